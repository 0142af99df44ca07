import Linalg

/// The optimisers a run can choose.
public enum OptimizerKind: String, CaseIterable, Codable, Sendable {
  /// Adam with Keras' defaults apart from the learning rate.
  case adam
  /// SGD, with heavy-ball momentum when `momentum` > 0.
  case sgd

  /// A fresh optimiser of this kind for `model`; `flushDenormals` is Adam's (see `Adam`).
  public func make<Model: ParameterSet & Sendable>(
    for model: Model, learningRate: Double, momentum: Double = 0, flushDenormals: Bool = false
  ) -> any Optimizer<Model> {
    switch self {
    case .adam:
      var adam = Adam(for: model, learningRate: learningRate)
      adam.flushDenormals = flushDenormals
      return adam
    case .sgd:
      return MomentumSGD(for: model, learningRate: learningRate, momentum: momentum)
    }
  }
}

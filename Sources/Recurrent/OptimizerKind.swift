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

extension OptimizerKind {
  /// The one check of a run's optimiser settings (`train`, `compare` and the tasks): the
  /// first problem, named by its command-line flag, or nil. Momentum is SGD's alone.
  public func problem(learningRate: Double, momentum: Double, clipNorm: Double?) -> String? {
    if !(learningRate > 0 && learningRate.isFinite) { return "--learning-rate must be positive and finite, got \(learningRate)" }
    if !(momentum >= 0 && momentum < 1) { return "--momentum must be in [0, 1), got \(momentum)" }
    if momentum != 0 && self != .sgd {
      return "--momentum \(momentum) applies to SGD only; Adam keeps its own moments (use --optimizer sgd, or leave out --momentum)"
    }
    if let clipNorm, !(clipNorm > 0 && clipNorm.isFinite) { return "--clip-norm must be positive and finite, got \(clipNorm)" }
    return nil
  }

  /// The settings as a figure's title names them: "Adam 0.001", "SGD 0.05 momentum 0.9, clip 1".
  public func label(learningRate: Double, momentum: Double, clipNorm: Double?) -> String {
    let name = self == .adam ? "Adam \(learningRate)" : "SGD \(learningRate)" + (momentum > 0 ? " momentum \(momentum)" : "")
    return name + (clipNorm.map { ", clip \($0)" } ?? "")
  }
}

import Recurrent

/// Which optimiser a task run uses.
public enum OptimizerKind: String, CaseIterable, Codable, Sendable {
  /// Adam with Keras' defaults apart from the learning rate.
  case adam
  /// SGD, with heavy-ball momentum when `momentum` > 0.
  case sgd
}

/// Adam or momentum SGD behind one `update`.
enum TaskOptimizer<Model: ParameterSet & Sendable> {
  case adam(Adam<Model>)
  case sgd(MomentumSGD<Model>)

  init(_ kind: OptimizerKind, for model: Model, learningRate: Double, momentum: Double) {
    switch kind {
    case .adam: self = .adam(Adam(for: model, learningRate: learningRate))
    case .sgd: self = .sgd(MomentumSGD(for: model, learningRate: learningRate, momentum: momentum))
    }
  }

  mutating func update(_ model: inout Model, with gradient: Model) {
    switch self {
    case .adam(var adam):
      adam.update(&model, with: gradient)
      self = .adam(adam)
    case .sgd(var sgd):
      sgd.update(&model, with: gradient)
      self = .sgd(sgd)
    }
  }
}

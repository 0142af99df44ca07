import Linalg

/// Stochastic gradient descent with heavy-ball momentum (PyTorch's form):
///
///     u = μ u + g,   θ -= lr · u
///
/// μ = 0 is plain SGD (θ -= lr · g). No per-parameter scaling: a gradient 1000 times larger
/// moves the weights 1000 times further, which is what clipping is for.
public struct MomentumSGD<Model: ParameterSet>: Optimizer where Model: Sendable {
  public var learningRate: Double
  public var momentum: Double
  /// The running sum u, shaped like the model (zeros until the first step).
  public var velocity: Model

  public init(for model: Model, learningRate: Double, momentum: Double = 0) {
    self.learningRate = learningRate
    self.momentum = momentum
    velocity = model.zeroed()
  }

  /// The velocity, also at μ = 0 (where it is the last gradient), so a resumed run takes the
  /// same steps bit for bit.
  public var stateTensors: [(prefix: String, path: WritableKeyPath<MomentumSGD, Model>)] { [("sgd.velocity.", \.velocity)] }

  public mutating func update(_ model: inout Model, with gradient: Model) {
    for (_, path) in Model.parameterPaths {
      // u = μ u + g
      velocity[keyPath: path].scale(by: Model.Scalar(momentum))
      velocity[keyPath: path].add(gradient[keyPath: path])
      // θ -= lr · u
      model[keyPath: path].add(velocity[keyPath: path], scaledBy: Model.Scalar(-learningRate))
    }
  }
}

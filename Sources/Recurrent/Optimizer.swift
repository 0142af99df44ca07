import Linalg

/// An optimiser: moves the weights along a gradient, carrying its own state between steps
/// (Adam's moments, the SGD velocity). Checkpoints store exactly that state: the tensors of
/// `stateTensors`, named prefix + parameter name, and `stateMetadata`.
public protocol Optimizer<Model>: Sendable {
  associatedtype Model: ParameterSet
  var learningRate: Double { get }
  /// One step: θ ← θ - (the optimiser's step for gradient g).
  mutating func update(_ model: inout Model, with gradient: Model)
  /// The state shaped like the model, with the prefix of its checkpoint tensors.
  var stateTensors: [(prefix: String, path: WritableKeyPath<Self, Model>)] { get }
  /// Scalar state (Adam's step count) as checkpoint metadata.
  var stateMetadata: [String: String] { get }
  /// Restores `stateMetadata`; returns the name of a missing or malformed key, or nil.
  mutating func restore(metadata: [String: String]) -> String?
}

extension Optimizer {
  public var stateMetadata: [String: String] { [:] }
  public mutating func restore(metadata: [String: String]) -> String? { nil }
}

import Linalg

/// A value made of weight matrices, walked through one list of key paths. Gradients have the
/// parameters' own type, so `gradient.recurrent` lines up with `model.recurrent`, and the
/// optimisers, clipping and checkpoints are each one loop over `parameterPaths`. The
/// arithmetic over a whole set is in ParameterSet+Arithmetic.swift.
public protocol ParameterSet {
  associatedtype Scalar: BLASScalar
  /// Every weight matrix with its checkpoint name.
  static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { get }
}

extension ParameterSet {
  public var parameterCount: Int { Self.parameterPaths.reduce(0) { $0 + self[keyPath: $1.path].count } }
}

import Linalg

// Whole-set arithmetic, each one loop over `parameterPaths`. Specialised for the models
// that train on IMDB (the hot callers in other modules), so this file sits above them and
// the protocol (ParameterSet.swift) below them.
extension ParameterSet {
  /// The same shapes, all zero: a gradient accumulator or optimiser moment.
  @_specialize(where Self == SequenceClassifier<Float>) @_specialize(where Self == TextCNN<Float>)
  public func zeroed() -> Self {
    var copy = self
    for (_, path) in Self.parameterPaths {
      copy[keyPath: path] = Matrix(rows: self[keyPath: path].rows, cols: self[keyPath: path].cols)
    }
    return copy
  }

  /// sqrt(Σ ||g||²) over every matrix: the global norm used by clipping. Accumulated in
  /// Double, rescaled per matrix, so an exploding Float gradient gives its true norm, not inf.
  public var globalNorm: Double {
    @_specialize(where Self == SequenceClassifier<Float>) @_specialize(where Self == TextCNN<Float>)
    get {
      var (scale, sum) = (0.0, 0.0)
      for (_, path) in Self.parameterPaths {
        let norm = self[keyPath: path].scaledNorm
        guard norm.isFinite else { return norm }
        if norm > scale {
          sum = sum * (scale / norm) * (scale / norm) + 1
          scale = norm
        } else if norm > 0 {
          sum += (norm / scale) * (norm / scale)
        }
      }
      return scale * sum.squareRoot()
    }
  }

  /// Scales every matrix so that the global norm is at most `maxNorm`; returns the norm
  /// before clipping.
  @discardableResult
  @_specialize(where Self == SequenceClassifier<Float>) @_specialize(where Self == TextCNN<Float>)
  public mutating func clipGlobalNorm(to maxNorm: Double) -> Double {
    let norm = globalNorm
    if norm > maxNorm, norm.isFinite {
      let factor = Scalar(maxNorm / norm)
      for (_, path) in Self.parameterPaths { self[keyPath: path].scale(by: factor) }
    }
    return norm
  }

  /// self += other, matrix by matrix (summing gradients of batch shards).
  @_specialize(where Self == SequenceClassifier<Float>) @_specialize(where Self == TextCNN<Float>)
  public mutating func add(_ other: Self) {
    for (_, path) in Self.parameterPaths { self[keyPath: path].add(other[keyPath: path]) }
  }
}

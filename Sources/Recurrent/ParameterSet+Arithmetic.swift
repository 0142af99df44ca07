import Linalg

// Whole-set arithmetic, each one loop over `parameterPaths`. Specialised for the models
// that train on IMDB (the hot callers in other modules), so this file sits above them and
// the protocol (ParameterSet.swift) below them.
extension ParameterSet {
  /// The same shapes, all zero: a gradient accumulator or optimiser moment.
  @_specialize(where Self == SequenceClassifier<Float>) @_specialize(where Self == TextCNN<Float>)
  @_specialize(where Self == DiagonalClassifier<Float>)
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
    @_specialize(where Self == DiagonalClassifier<Float>)
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
  @_specialize(where Self == DiagonalClassifier<Float>)
  public mutating func clipGlobalNorm(to maxNorm: Double) -> Double {
    let norm = globalNorm
    if norm > maxNorm, norm.isFinite {
      let factor = Scalar(maxNorm / norm)
      for (_, path) in Self.parameterPaths { self[keyPath: path].scale(by: factor) }
    }
    return norm
  }

  /// self += other, matrix by matrix (summing gradients of batch shards); large matrices
  /// in two halves on two threads, subnormals treated as on the calling thread
  /// (`elementwiseChunks`). `sparse`, when given, is a matrix of `other` that is zero outside
  /// the rows `rows` (a shard's embedding gradient, non-zero only at its reviews' ids): there
  /// only those rows are added. The sums are the same as adding everything wherever self
  /// holds no -0 (x + 0 = x otherwise), and a gradient summed from +0 holds none.
  @_specialize(where Self == SequenceClassifier<Float>) @_specialize(where Self == TextCNN<Float>)
  @_specialize(where Self == DiagonalClassifier<Float>)
  public mutating func add(_ other: Self, sparse: (path: WritableKeyPath<Self, Matrix<Scalar>>, rows: [Int])? = nil) {
    let flushDenormals = BLASRuntime.flushesDenormals
    for (_, path) in Self.parameterPaths {
      precondition(
        self[keyPath: path].rows == other[keyPath: path].rows && self[keyPath: path].cols == other[keyPath: path].cols,
        "add: shapes \(self[keyPath: path].shape) and \(other[keyPath: path].shape) do not match")
      let cols = self[keyPath: path].cols
      let rows = sparse.flatMap { $0.path == path ? $0.rows : nil }
      self[keyPath: path].storage.withUnsafeMutableBufferPointer { y in
        other[keyPath: path].storage.withUnsafeBufferPointer { x in
          guard let rows else {
            let (py, px) = (SendablePointer(y.baseAddress), SendablePointer(x.baseAddress))
            // y += x
            return elementwiseChunks(count: y.count, flushDenormals: flushDenormals) { range in
              guard let y = py.pointer, let x = px.pointer else { return }
              for k in range { y[k] += x[k] }
            }
          }
          // y[r] += x[r] for the rows x holds
          for r in rows {
            precondition(r >= 0 && (r + 1) * cols <= y.count, "add: row \(r) outside \(y.count / max(cols, 1)) rows")
            for k in (r * cols)..<((r + 1) * cols) { y[k] += x[k] }
          }
        }
      }
    }
  }
}

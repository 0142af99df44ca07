extension Matrix {
  @inlinable public static func + (a: Matrix, b: Matrix) -> Matrix {
    checkShapes(a.rows == b.rows && a.cols == b.cols, "+", a, b)
    return Matrix(rows: a.rows, cols: a.cols, storage: zip(a.storage, b.storage).map { $0 + $1 })
  }

  @inlinable public static func - (a: Matrix, b: Matrix) -> Matrix {
    checkShapes(a.rows == b.rows && a.cols == b.cols, "-", a, b)
    return Matrix(rows: a.rows, cols: a.cols, storage: zip(a.storage, b.storage).map { $0 - $1 })
  }

  @inlinable public static func * (s: Scalar, a: Matrix) -> Matrix {
    Matrix(rows: a.rows, cols: a.cols, storage: a.storage.map { s * $0 })
  }

  /// self += alpha * other (axpy).
  @inlinable public mutating func add(_ other: Matrix, scaledBy alpha: Scalar = 1) {
    checkShapes(rows == other.rows && cols == other.cols, "add", self, other)
    storage.withUnsafeMutableBufferPointer { y in
      other.storage.withUnsafeBufferPointer { x in
        for i in 0..<y.count { y[i] += alpha * x[i] }
      }
    }
  }

  @inlinable public mutating func scale(by s: Scalar) {
    storage.withUnsafeMutableBufferPointer { y in
      for i in 0..<y.count { y[i] *= s }
    }
  }

  @inlinable public func map(_ f: (Scalar) -> Scalar) -> Matrix {
    Matrix(rows: rows, cols: cols, storage: storage.map(f))
  }

  /// The sum of each column: a 1 x cols row (bias gradients).
  @inlinable public func columnSums() -> Matrix {
    var out = Matrix(rows: 1, cols: cols)
    out.storage.withUnsafeMutableBufferPointer { o in
      storage.withUnsafeBufferPointer { s in
        for i in 0..<rows {
          let base = i * cols
          for j in 0..<cols { o[j] += s[base + j] }
        }
      }
    }
    return out
  }

  /// Adds the 1 x cols row `bias` to every row.
  @inlinable public mutating func addRowVector(_ bias: Matrix) {
    precondition(bias.rows == 1 && bias.cols == cols, "addRowVector: bias \(bias.shape) does not fit rows of \(shape)")
    storage.withUnsafeMutableBufferPointer { s in
      bias.storage.withUnsafeBufferPointer { b in
        for i in 0..<rows {
          let base = i * cols
          for j in 0..<cols { s[base + j] += b[j] }
        }
      }
    }
  }

  /// Sum of squares of all elements.
  @inlinable public var squaredNorm: Scalar { storage.reduce(0) { $0 + $1 * $1 } }
  /// Frobenius norm (the Euclidean norm of a vector); squares may under- or overflow
  /// outside about 1e±19 (Float) or 1e±154 (Double): see `scaledNorm`.
  @inlinable public var frobeniusNorm: Scalar { Scalar.sqrt(squaredNorm) }
  /// The Frobenius norm in Double, rescaled by the largest element first, so it is exact
  /// for values anywhere between the smallest subnormal and the largest finite number.
  @inlinable public var scaledNorm: Double {
    if Scalar.self == Float.self {
      // Squares of Float values can neither overflow nor underflow in Double: one pass, in
      // eight running sums so that it vectorises (training takes this norm every step).
      return storage.withUnsafeBufferPointer { p in
        var lanes = SIMD8<Double>()
        var k = 0
        while k + 8 <= p.count {
          var v = SIMD8<Double>()
          for j in 0..<8 { v[j] = Double(p[k + j]) }
          lanes += v * v
          k += 8
        }
        var sum = lanes.sum()
        while k < p.count {
          sum += Double(p[k]) * Double(p[k])
          k += 1
        }
        return sum.squareRoot()
      }
    }
    let scale = Double(maxAbs)
    guard scale > 0, scale.isFinite else { return scale }
    var sum = 0.0
    for x in storage {
      let y = Double(x) / scale
      sum += y * y
    }
    return sum.squareRoot() * scale
  }
  /// Largest absolute element.
  @inlinable public var maxAbs: Scalar { storage.reduce(0) { Swift.max($0, Swift.abs($1)) } }
  @inlinable public var allFinite: Bool { storage.allSatisfy { $0.isFinite } }
}

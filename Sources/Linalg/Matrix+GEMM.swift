extension Matrix {
  /// self = alpha * op(a) * op(b) + beta * self, through BLAS.
  /// op(a) is M x K, op(b) is K x N, self is M x N. `aRows`, when given, uses only a's first
  /// rows (h_0 ... h_{T-1} of a time-major trace that also holds h_T), read in place.
  @inlinable public mutating func gemm(
    _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false,
    alpha: Scalar = 1, beta: Scalar = 0, aRows: Int? = nil
  ) {
    let usedRows = aRows ?? a.rows
    precondition(usedRows >= 0 && usedRows <= a.rows, "gemm: \(usedRows) rows of A \(a.shape) asked for")
    let (m, ka) = transposeA ? (a.cols, usedRows) : (usedRows, a.cols)
    let (kb, n) = transposeB ? (b.cols, b.rows) : (b.rows, b.cols)
    precondition(
      ka == kb,
      "gemm: inner dimensions differ: op(A) is \(m)x\(ka) (A \(a.shape)\(transposeA ? "ᵀ" : "")), op(B) is \(kb)x\(n) (B \(b.shape)\(transposeB ? "ᵀ" : ""))"
    )
    precondition(rows == m && cols == n, "gemm: result is \(shape) but op(A)·op(B) is \(m)x\(n)")
    if m == 0 || n == 0 { return }
    if ka == 0 {
      for i in storage.indices { storage[i] = beta == 0 ? 0 : storage[i] * beta }
      return
    }
    let (lda, ldb, ldc) = (a.cols, b.cols, cols)
    a.storage.withUnsafeBufferPointer { pa in
      b.storage.withUnsafeBufferPointer { pb in
        storage.withUnsafeMutableBufferPointer { pc in
          Scalar.gemm(
            transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: ka, alpha: alpha,
            a: pa.baseAddress!, lda: lda, b: pb.baseAddress!, ldb: ldb, beta: beta,
            c: pc.baseAddress!, ldc: ldc)
        }
      }
    }
  }

  /// op(a) · op(b) as a new matrix.
  @inlinable public static func product(
    _ a: Matrix, transposeA: Bool = false, _ b: Matrix, transposeB: Bool = false
  ) -> Matrix {
    let m = transposeA ? a.cols : a.rows
    let n = transposeB ? b.rows : b.cols
    var c = Matrix(rows: m, cols: n)
    c.gemm(a, transposeA: transposeA, b, transposeB: transposeB)
    return c
  }

  /// The naive triple loop: an algorithmic reference for tests, never for speed.
  @inlinable public static func referenceProduct(_ a: Matrix, _ b: Matrix) -> Matrix {
    checkShapes(a.cols == b.rows, "referenceProduct", a, b)
    var c = Matrix(rows: a.rows, cols: b.cols)
    for i in 0..<a.rows {
      for j in 0..<b.cols {
        var sum: Scalar = 0
        for k in 0..<a.cols { sum += a[i, k] * b[k, j] }
        c[i, j] = sum
      }
    }
    return c
  }
}

/// The Double matrix product in one fixed order of operations, so the analysis (the decay
/// sweep, saturation, probes, spectral norms, matrix powers) gives the same bits on every CPU,
/// whatever the BLAS kernel, the thread count or the vector width.
///
///     c_ij = α · s_ij + β · c_ij,   s_ij = (((0 + a_i0 b_0j) + a_i1 b_1j) + ...) + a_i,K-1 b_K-1,j
///
/// The sum runs over k in increasing order, every product rounded before it is added (no fused
/// multiply-add): the naive triple loop's result (`Matrix.referenceProduct`), bit for bit. α = 1
/// and β = 0 skip their operations (c_ij = s_ij). Columns are computed side by side in SIMD
/// lanes and four rows at a time, which changes no element's order of operations.
/// BLAS kernels reorder, block and fuse the sum differently per CPU; Float training keeps them.
/// - Complexity: 2·M·N·K flops, a few GFLOP/s: meant for H up to a few hundred.
enum FixedOrderProduct {
  /// C = α · op(A) · op(B) + β · C on row-major buffers, with the arguments of cblas_dgemm.
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    // op(B) as a contiguous K × N copy when B is transposed, so row k of op(B) is contiguous.
    var copy: [Double] = []
    if transposeB {
      copy = [Double](repeating: 0, count: k * n)
      for j in 0..<n { for p in 0..<k { copy[p * n + j] = b[j * ldb + p] } }
    }
    copy.withUnsafeBufferPointer { copied in
      let (rowsB, strideB) = transposeB ? (copied.baseAddress!, n) : (b, ldb)
      // a(i, p) = op(A)[i, p]
      let (rowStepA, colStepA) = transposeA ? (1, lda) : (lda, 1)
      if n < 4 {
        narrow(m: m, n: n, k: k, alpha: alpha, a: a, rowStepA: rowStepA, colStepA: colStepA, b: rowsB, strideB: strideB, beta: beta, c: c, ldc: ldc)
        return
      }
      var sums = [Double](repeating: 0, count: 4 * n)
      sums.withUnsafeMutableBufferPointer { s in
        var i = 0
        while i < m {
          let rows = min(4, m - i)
          s.update(repeating: 0)
          for p in 0..<k {
            let bRow = rowsB + p * strideB
            let a0 = a + i * rowStepA + p * colStepA
            accumulate(s.baseAddress!, n: n, rows: rows, a: a0, rowStepA: rowStepA, bRow: bRow)
          }
          for r in 0..<rows {
            let cRow = c + (i + r) * ldc
            for j in 0..<n { cRow[j] = scaled(s[r * n + j], alpha: alpha, beta: beta, c: cRow[j]) }
          }
          i += rows
        }
      }
    }
  }

  /// A product with fewer than 4 columns (a matrix times a vector): each column's dot
  /// products four rows at a time, in four independent sums over k in increasing order.
  private static func narrow(
    m: Int, n: Int, k: Int, alpha: Double, a: UnsafePointer<Double>, rowStepA: Int, colStepA: Int,
    b: UnsafePointer<Double>, strideB: Int, beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    for j in 0..<n {
      var i = 0
      while i + 4 <= m {
        let (a0, a1, a2, a3) = (a + i * rowStepA, a + (i + 1) * rowStepA, a + (i + 2) * rowStepA, a + (i + 3) * rowStepA)
        var (s0, s1, s2, s3) = (0.0, 0.0, 0.0, 0.0)
        for p in 0..<k {
          let (bp, q) = (b[p * strideB + j], p * colStepA)
          s0 = s0 + a0[q] * bp
          s1 = s1 + a1[q] * bp
          s2 = s2 + a2[q] * bp
          s3 = s3 + a3[q] * bp
        }
        let (c0, c1, c2, c3) = (c + i * ldc + j, c + (i + 1) * ldc + j, c + (i + 2) * ldc + j, c + (i + 3) * ldc + j)
        (c0.pointee, c1.pointee) = (scaled(s0, alpha: alpha, beta: beta, c: c0.pointee), scaled(s1, alpha: alpha, beta: beta, c: c1.pointee))
        (c2.pointee, c3.pointee) = (scaled(s2, alpha: alpha, beta: beta, c: c2.pointee), scaled(s3, alpha: alpha, beta: beta, c: c3.pointee))
        i += 4
      }
      while i < m {
        let ai = a + i * rowStepA
        var sum = 0.0
        for p in 0..<k { sum = sum + ai[p * colStepA] * b[p * strideB + j] }
        c[i * ldc + j] = scaled(sum, alpha: alpha, beta: beta, c: c[i * ldc + j])
        i += 1
      }
    }
  }

  /// s_r,j += a(i + r, p) · b_pj for r < rows and every j: four SIMD lanes of j at a time, then
  /// the remaining columns one by one (the same two operations on each element).
  @inline(__always)
  private static func accumulate(
    _ s: UnsafeMutablePointer<Double>, n: Int, rows: Int, a: UnsafePointer<Double>, rowStepA: Int,
    bRow: UnsafePointer<Double>
  ) {
    let raw = UnsafeRawPointer(bRow)
    for r in 0..<rows {
      let air = a[r * rowStepA]
      let sr = s + r * n
      let sRaw = UnsafeMutableRawPointer(sr)
      let lanes = SIMD4<Double>(repeating: air)
      var j = 0
      while j + 4 <= n {
        let offset = j * MemoryLayout<Double>.stride
        let sum = sRaw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
        let bj = raw.loadUnaligned(fromByteOffset: offset, as: SIMD4<Double>.self)
        sRaw.storeBytes(of: sum + lanes * bj, toByteOffset: offset, as: SIMD4<Double>.self)
        j += 4
      }
      while j < n {
        sr[j] = sr[j] + air * bRow[j]
        j += 1
      }
    }
  }

  /// α · s + β · c, skipping α = 1 and β = 0 (then c is never read, as in BLAS).
  @inline(__always)
  private static func scaled(_ s: Double, alpha: Double, beta: Double, c: Double) -> Double {
    let product = alpha == 1 ? s : alpha * s
    return beta == 0 ? product : product + beta * c
  }
}

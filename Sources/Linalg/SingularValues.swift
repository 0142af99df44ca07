/// Singular values and the spectral norm of small dense matrices, in Double.
///
/// Matrices whose norms span 1e-300...1e300 are rescaled by their largest element first, so
/// neither squaring in AᵀA nor the Jacobi rotations under- or overflow.
public enum SingularValues {
  /// All singular values, largest first, by one-sided Jacobi (Hestenes) rotations.
  /// - Complexity: O(sweeps · n² · m) for an m x n matrix; exact to rounding.
  public static func of(_ matrix: Matrix<Double>) -> [Double] {
    let scale = matrix.maxAbs
    guard scale > 0, scale.isFinite else { return Array(repeating: scale.isFinite ? 0 : .infinity, count: min(matrix.rows, matrix.cols)) }
    // Work on columns of the tall orientation: singular values are the final column norms.
    var u = (matrix.rows >= matrix.cols ? matrix : matrix.transposed).map { $0 / scale }
    let (m, n) = (u.rows, u.cols)
    for _ in 0..<60 {
      var rotated = false
      for p in 0..<(n - 1) {
        for q in (p + 1)..<n {
          var (alpha, beta, gamma) = (0.0, 0.0, 0.0)
          for i in 0..<m {
            let (up, uq) = (u[i, p], u[i, q])
            alpha += up * up
            beta += uq * uq
            gamma += up * uq
          }
          if abs(gamma) <= 1e-15 * (alpha * beta).squareRoot() || gamma == 0 { continue }
          rotated = true
          // Rotation that zeroes the (p, q) entry of UᵀU.
          let zeta = (beta - alpha) / (2 * gamma)
          let t = (zeta >= 0 ? 1.0 : -1.0) / (abs(zeta) + (1 + zeta * zeta).squareRoot())
          let c = 1 / (1 + t * t).squareRoot()
          let s = c * t
          for i in 0..<m {
            let (up, uq) = (u[i, p], u[i, q])
            u[i, p] = c * up - s * uq
            u[i, q] = s * up + c * uq
          }
        }
      }
      if !rotated { break }
    }
    var values = [Double](repeating: 0, count: n)
    for j in 0..<n {
      var sum = 0.0
      for i in 0..<m { sum += u[i, j] * u[i, j] }
      values[j] = sum.squareRoot() * scale
    }
    return values.sorted(by: >)
  }

  /// The largest singular value sigma_max(A) = sqrt(lambda_max(AᵀA)), by power iteration on
  /// the Gram matrix until the estimate changes by less than `tolerance` (relative).
  /// Never above the true value; `of(_:)` gives all values exactly.
  public static func spectralNorm(_ matrix: Matrix<Double>, tolerance: Double = 1e-13) -> Double {
    let scale = matrix.maxAbs
    guard scale > 0 else { return 0 }
    guard scale.isFinite else { return .infinity }
    let a = matrix.map { $0 / scale }
    let gram = Matrix.product(a, transposeA: true, a)  // n x n, symmetric
    let n = gram.cols
    // A fixed, generic start: all ones plus a ramp, so no singular vector is orthogonal to it.
    var v = Matrix<Double>(rows: n, cols: 1, storage: (0..<n).map { 1 + Double($0) / Double(n) })
    v.scale(by: 1 / v.frobeniusNorm)
    var lambda = 0.0
    for _ in 0..<2000 {
      var w = Matrix.product(gram, v)
      let next = w.frobeniusNorm
      if next == 0 { return 0 }
      w.scale(by: 1 / next)
      let converged = abs(next - lambda) <= tolerance * next
      lambda = next
      v = w
      if converged { break }
    }
    // Rayleigh quotient of the final vector: the best estimate from it.
    let gv = Matrix.product(gram, v)
    var rayleigh = 0.0
    for i in 0..<n { rayleigh += v.storage[i] * gv.storage[i] }
    return max(rayleigh, lambda).squareRoot() * scale
  }
}

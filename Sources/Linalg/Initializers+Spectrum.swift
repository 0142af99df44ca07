import SeededRandom
extension Initializer {
  /// A non-normal n × n matrix with spectral norm 1 and spectral radius `radius` (0 < radius ≤ 1),
  /// so radius and norm can be chosen separately (rescale it to norm σ: radius · σ):
  ///
  ///     A = Q (D + s N) Qᵀ
  ///
  /// D = diag(radius, λ₂, ..., λₙ) with λₖ uniform in [-radius, radius]; N strictly upper
  /// triangular with N(0, 1) entries; s ≥ 0 found by bisection so that ||D + sN||₂ = 1
  /// (||D + sN|| is convex in s and never below its largest diagonal entry, so it rises
  /// monotonically from `radius`); Q a random orthogonal matrix, which keeps the eigenvalues
  /// (the diagonal of D) and the norm while hiding the triangular structure. Needs n ≥ 2
  /// unless radius = 1 (a 1 × 1 matrix is normal).
  public static func nonNormal<T: BLASScalar>(size n: Int, radius: Double, using rng: inout SeededGenerator) -> Matrix<T> {
    precondition(radius > 0 && radius <= 1, "nonNormal: radius must be in (0, 1], got \(radius)")
    precondition(n >= 2 || radius == 1, "nonNormal: a \(n) x \(n) matrix cannot have radius \(radius) below its norm 1")
    var d = Matrix<Double>(rows: n, cols: n)
    var upper = Matrix<Double>(rows: n, cols: n)
    for i in 0..<n {
      d[i, i] = i == 0 ? radius : rng.uniform(-radius, radius)
      for j in (i + 1)..<max(i + 1, n) { upper[i, j] = rng.nextNormal() }
    }
    let q: Matrix<Double> = orthogonal(rows: n, cols: n, using: &rng)
    // ||D + sN||₂ = 1: bracket s, then bisect (60 halvings reach Double's resolution).
    func norm(_ s: Double) -> Double { SingularValues.spectralNorm(d + s * upper) }
    var (lo, hi) = (0.0, 1.0)
    if radius < 1 {
      while norm(hi) < 1 { hi *= 2 }
      for _ in 0..<60 {
        let mid = (lo + hi) / 2
        if norm(mid) < 1 { lo = mid } else { hi = mid }
      }
    }
    let triangular = d + (radius < 1 ? hi : 0) * upper
    return Matrix.product(Matrix.product(q, triangular), q, transposeB: true).converted(to: T.self)
  }
}

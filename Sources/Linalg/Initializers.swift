import SeededRandom
/// Weight initialisers with Keras' definitions.
public enum Initializer {
  /// Glorot (Xavier) uniform: U(-l, l) with l = sqrt(6 / (fan_in + fan_out)), fan_in = rows.
  public static func glorotUniform<T: BLASScalar>(
    rows: Int, cols: Int, using rng: inout SeededGenerator
  ) -> Matrix<T> {
    let limit = (6.0 / Double(rows + cols)).squareRoot()
    return uniform(rows: rows, cols: cols, limit: limit, using: &rng)
  }

  /// U(-limit, limit) for every element.
  public static func uniform<T: BLASScalar>(
    rows: Int, cols: Int, limit: Double, using rng: inout SeededGenerator
  ) -> Matrix<T> {
    var m = Matrix<T>(rows: rows, cols: cols)
    for i in 0..<m.count { m.storage[i] = T(rng.uniform(-limit, limit)) }
    return m
  }

  /// N(0, std²) for every element.
  public static func scaledNormal<T: BLASScalar>(
    rows: Int, cols: Int, std: Double, using rng: inout SeededGenerator
  ) -> Matrix<T> {
    var m = Matrix<T>(rows: rows, cols: cols)
    for i in 0..<m.count { m.storage[i] = T(std * rng.nextNormal()) }
    return m
  }

  /// Keras' orthogonal initialiser: the Q of a Gaussian matrix's QR decomposition (with R's
  /// diagonal made positive), so a square result has QᵀQ = I, a wide one orthonormal rows and
  /// a tall one orthonormal columns; every singular value equals `gain`.
  public static func orthogonal<T: BLASScalar>(
    rows: Int, cols: Int, gain: Double = 1, using rng: inout SeededGenerator
  ) -> Matrix<T> {
    let (n, k) = (max(rows, cols), min(rows, cols))
    // A tall n x k Gaussian matrix, orthonormalised column by column in Double.
    var a = Matrix<Double>(rows: n, cols: k)
    for i in 0..<a.count { a.storage[i] = rng.nextNormal() }
    let q = orthonormalColumns(a)
    let tall = q.converted(to: T.self)
    let oriented = rows >= cols ? tall : tall.transposed
    return T(gain) * oriented
  }

  /// Modified Gram-Schmidt, twice (re-orthogonalised), of the columns of a tall matrix.
  /// Each column keeps its direction, which makes R's diagonal positive.
  static func orthonormalColumns(_ a: Matrix<Double>) -> Matrix<Double> {
    var q = a
    for _ in 0..<2 {
      for j in 0..<q.cols {
        for p in 0..<j {
          var dot = 0.0
          for i in 0..<q.rows { dot += q[i, p] * q[i, j] }
          for i in 0..<q.rows { q[i, j] -= dot * q[i, p] }
        }
        var norm = 0.0
        for i in 0..<q.rows { norm += q[i, j] * q[i, j] }
        norm = norm.squareRoot()
        precondition(norm > 0, "orthogonal initialiser: a Gaussian column came out zero")
        for i in 0..<q.rows { q[i, j] /= norm }
      }
    }
    return q
  }
}

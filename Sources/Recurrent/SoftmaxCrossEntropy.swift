import Linalg

/// Softmax + cross-entropy over C classes, from logits (shifted by their row maximum, so
/// large logits stay finite):
///
///     p_nc = e^(z_nc - m_n) / Σ_k e^(z_nk - m_n),   m_n = max_k z_nk
///     L = (1/N) Σ_n -log p_n,y_n
///     dL/dz_nc = (p_nc - [c = y_n]) / N
///
/// N is the number of rows (one per prediction), or `meanOver`, so that shard losses and
/// gradients simply add up.
public enum SoftmaxCrossEntropy {
  /// logits: N × C, labels: N class indices in 0..<C (as values of T).
  public static func loss<T: BLASScalar>(logits: Matrix<T>, labels: ArraySlice<T>, meanOver: Int? = nil) -> T {
    check(logits, labels)
    var sum: T = 0
    for (n, y) in zip(0..<logits.rows, labels) {
      let (m, logNormaliser) = shift(logits, row: n)
      // -log p_ny = log Σ_k e^(z_nk - m) - (z_ny - m)
      sum += logNormaliser - (logits[n, Int(y)] - m)
    }
    return sum / T(meanOver ?? labels.count)
  }

  /// dL/dz for every logit (N × C).
  public static func gradient<T: BLASScalar>(logits: Matrix<T>, labels: ArraySlice<T>, meanOver: Int? = nil) -> Matrix<T> {
    check(logits, labels)
    let scale = 1 / T(meanOver ?? labels.count)
    var d = Matrix<T>(rows: logits.rows, cols: logits.cols)
    for (n, y) in zip(0..<logits.rows, labels) {
      let (m, logNormaliser) = shift(logits, row: n)
      for c in 0..<logits.cols { d[n, c] = T.exp(logits[n, c] - m - logNormaliser) * scale }
      d[n, Int(y)] -= scale
    }
    return d
  }

  /// Rows whose largest logit is their label's (ties count for the first).
  public static func correctCount<T: BLASScalar>(logits: Matrix<T>, labels: ArraySlice<T>) -> Int {
    check(logits, labels)
    return zip(0..<logits.rows, labels).reduce(0) { count, item in
      let row = (0..<logits.cols).map { logits[item.0, $0] }
      return count + (row.indices.max(by: { row[$0] < row[$1] }) == Int(item.1) ? 1 : 0)
    }
  }

  /// m = max_k z_nk and log Σ_k e^(z_nk - m) of one row.
  static func shift<T: BLASScalar>(_ z: Matrix<T>, row n: Int) -> (max: T, logNormaliser: T) {
    let m = (0..<z.cols).reduce(-T.infinity) { max($0, z[n, $1]) }
    return (m, T.log((0..<z.cols).reduce(0) { $0 + T.exp(z[n, $1] - m) }))
  }

  static func check<T: BLASScalar>(_ logits: Matrix<T>, _ labels: ArraySlice<T>) {
    precondition(logits.rows == labels.count && logits.cols >= 1, "softmax cross-entropy: logits \(logits.shape) but \(labels.count) labels")
    precondition(labels.allSatisfy { $0 >= 0 && Int($0) < logits.cols && T(Int($0)) == $0 }, "softmax cross-entropy: every label must be a class index in 0..<\(logits.cols)")
  }
}

import Linalg

/// Sigmoid + binary cross-entropy, computed from logits so |z| of 100 and more stay finite:
///
///     L = (1/N) Σ_b [ max(z, 0) - z·y + log(1 + e^-|z|) ]   (= -y log σ(z) - (1-y) log(1-σ(z)))
///     dL/dz = (σ(z) - y) / N
///
/// N is the batch size B, or, for a shard of a batch, the whole batch's B (`meanOver`), so
/// shard losses and gradients simply add up.
public enum BinaryCrossEntropy {
  /// logits: B × 1, labels: B values in {0, 1} (any value in [0, 1] is accepted).
  public static func loss<T: BLASScalar>(logits: Matrix<T>, labels: ArraySlice<T>, meanOver: Int? = nil) -> T {
    precondition(logits.cols == 1 && logits.rows == labels.count, "BCE: logits \(logits.shape) but \(labels.count) labels")
    var sum: T = 0
    for (z, y) in zip(logits.storage, labels) {
      sum += max(z, 0) - z * y + T.log1p(T.exp(-abs(z)))
    }
    return sum / T(meanOver ?? labels.count)
  }

  /// dL/dz for every logit (B × 1).
  public static func gradient<T: BLASScalar>(logits: Matrix<T>, labels: ArraySlice<T>, meanOver: Int? = nil) -> Matrix<T> {
    precondition(logits.cols == 1 && logits.rows == labels.count, "BCE: logits \(logits.shape) but \(labels.count) labels")
    let n = T(meanOver ?? labels.count)
    return Matrix(rows: logits.rows, cols: 1, storage: zip(logits.storage, labels).map { (sigmoid($0) - $1) / n })
  }

  /// Count of logits on the right side of 0 (prediction σ(z) > 0.5 for label 1).
  public static func correctCount<T: BLASScalar>(logits: Matrix<T>, labels: ArraySlice<T>) -> Int {
    zip(logits.storage, labels).reduce(0) { $0 + ((($1.0 > 0) == ($1.1 > 0.5)) ? 1 : 0) }
  }
}

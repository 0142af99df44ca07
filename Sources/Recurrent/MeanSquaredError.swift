import Linalg

/// Mean squared error on a linear output, the regression head beside `BinaryCrossEntropy`:
///
///     L = (1/N) Σ_b (z_b - y_b)²
///     dL/dz = 2 (z - y) / N
///
/// N is the batch size B, or, for a shard of a batch, the whole batch's B (`meanOver`).
public enum MeanSquaredError {
  /// outputs: B × 1, targets: B values.
  public static func loss<T: BLASScalar>(outputs: Matrix<T>, targets: ArraySlice<T>, meanOver: Int? = nil) -> T {
    precondition(outputs.cols == 1 && outputs.rows == targets.count, "MSE: outputs \(outputs.shape) but \(targets.count) targets")
    var sum: T = 0
    for (z, y) in zip(outputs.storage, targets) { sum += (z - y) * (z - y) }
    return sum / T(meanOver ?? targets.count)
  }

  /// dL/dz for every output (B × 1).
  public static func gradient<T: BLASScalar>(outputs: Matrix<T>, targets: ArraySlice<T>, meanOver: Int? = nil) -> Matrix<T> {
    precondition(outputs.cols == 1 && outputs.rows == targets.count, "MSE: outputs \(outputs.shape) but \(targets.count) targets")
    let n = T(meanOver ?? targets.count)
    return Matrix(rows: outputs.rows, cols: 1, storage: zip(outputs.storage, targets).map { 2 * ($0 - $1) / n })
  }
}

import Linalg
import Recurrent

/// The loss on the model's one output per sequence: mean squared error for regression,
/// sigmoid + binary cross-entropy (from logits) for classification.
public enum LossHead: String, Codable, Sendable {
  case meanSquaredError
  case binaryCrossEntropy

  /// Mean loss over `meanOver` sequences (default: the batch).
  public func loss<T: BLASScalar>(_ outputs: Matrix<T>, _ targets: ArraySlice<T>, meanOver: Int? = nil) -> T {
    switch self {
    case .meanSquaredError: MeanSquaredError.loss(outputs: outputs, targets: targets, meanOver: meanOver)
    case .binaryCrossEntropy: BinaryCrossEntropy.loss(logits: outputs, labels: targets, meanOver: meanOver)
    }
  }

  /// dL/dz for every output.
  public func gradient<T: BLASScalar>(_ outputs: Matrix<T>, _ targets: ArraySlice<T>, meanOver: Int? = nil) -> Matrix<T> {
    switch self {
    case .meanSquaredError: MeanSquaredError.gradient(outputs: outputs, targets: targets, meanOver: meanOver)
    case .binaryCrossEntropy: BinaryCrossEntropy.gradient(logits: outputs, labels: targets, meanOver: meanOver)
    }
  }

  /// Correct answers: classification only (nil for regression).
  public func correctCount<T: BLASScalar>(_ outputs: Matrix<T>, _ targets: ArraySlice<T>) -> Int? {
    self == .binaryCrossEntropy ? BinaryCrossEntropy.correctCount(logits: outputs, labels: targets) : nil
  }
}

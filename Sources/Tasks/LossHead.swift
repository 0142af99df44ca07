import Linalg
import Recurrent

/// The loss on the model's outputs (one row per read-out step and sequence): mean squared
/// error for regression, sigmoid + binary cross-entropy (from logits) for two classes,
/// softmax + cross-entropy (from logits) for several; the mean is over the rows.
public enum LossHead: String, Codable, Sendable {
  case meanSquaredError
  case binaryCrossEntropy
  case softmaxCrossEntropy

  /// Whether the outputs are classes (then `correctCount` counts right answers).
  public var isClassification: Bool { self != .meanSquaredError }

  /// Mean loss over `meanOver` sequences (default: the batch).
  public func loss<T: BLASScalar>(_ outputs: Matrix<T>, _ targets: ArraySlice<T>, meanOver: Int? = nil) -> T {
    switch self {
    case .meanSquaredError: MeanSquaredError.loss(outputs: outputs, targets: targets, meanOver: meanOver)
    case .binaryCrossEntropy: BinaryCrossEntropy.loss(logits: outputs, labels: targets, meanOver: meanOver)
    case .softmaxCrossEntropy: SoftmaxCrossEntropy.loss(logits: outputs, labels: targets, meanOver: meanOver)
    }
  }

  /// dL/dz for every output.
  public func gradient<T: BLASScalar>(_ outputs: Matrix<T>, _ targets: ArraySlice<T>, meanOver: Int? = nil) -> Matrix<T> {
    switch self {
    case .meanSquaredError: MeanSquaredError.gradient(outputs: outputs, targets: targets, meanOver: meanOver)
    case .binaryCrossEntropy: BinaryCrossEntropy.gradient(logits: outputs, labels: targets, meanOver: meanOver)
    case .softmaxCrossEntropy: SoftmaxCrossEntropy.gradient(logits: outputs, labels: targets, meanOver: meanOver)
    }
  }

  /// Correct answers: classification only (nil for regression).
  public func correctCount<T: BLASScalar>(_ outputs: Matrix<T>, _ targets: ArraySlice<T>) -> Int? {
    switch self {
    case .meanSquaredError: nil
    case .binaryCrossEntropy: BinaryCrossEntropy.correctCount(logits: outputs, labels: targets)
    case .softmaxCrossEntropy: SoftmaxCrossEntropy.correctCount(logits: outputs, labels: targets)
    }
  }
}

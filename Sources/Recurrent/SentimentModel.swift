import Linalg

/// A binary sentiment classifier over token ids that the comparison trains and evaluates
/// the same way whatever its architecture: the recurrent `SequenceClassifier`, the diagonal
/// `DiagonalClassifier` and `TextCNN`.
public protocol SentimentModel: ParameterSet, Sendable {
  /// B × 1 logits for B reviews of T ids each (row-major).
  func logits(_ tokens: ArraySlice<Int32>, batch B: Int) -> Matrix<Scalar>
  /// Mean BCE loss (over `meanOver` reviews) and correct count; the gradient of every
  /// parameter, as the model's own type, is written into `gradient`, which must arrive all
  /// zero in the model's shapes (a buffer reused from step to step). Only the embedding
  /// table's rows of the batch's ids are added into; every other parameter is replaced.
  func lossAndGradient(tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int, into gradient: inout Self) -> (loss: Scalar, correct: Int)
  /// The embedding table (V × E): a batch's gradient is zero outside the rows of its ids.
  static var embeddingTable: WritableKeyPath<Self, Matrix<Scalar>> { get }
}

extension SentimentModel {
  /// Mean BCE loss (over `meanOver` reviews), correct count and the gradient of every
  /// parameter, in a gradient made zero for this call.
  public func lossAndGradient(tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int) -> (loss: Scalar, correct: Int, gradient: Self) {
    var gradient = zeroed()
    let (loss, correct) = lossAndGradient(tokens: tokens, labels: labels, meanOver: meanOver, into: &gradient)
    return (loss, correct, gradient)
  }
}

extension SequenceClassifier: SentimentModel {
  public static var embeddingTable: WritableKeyPath<Self, Matrix<Scalar>> { \.embedding.table }

  public func logits(_ tokens: ArraySlice<Int32>, batch B: Int) -> Matrix<Scalar> { predict(tokens, batch: B) }

  public func lossAndGradient(tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int, into gradient: inout Self) -> (loss: Scalar, correct: Int) {
    lossAndGradient(tokens, labels: labels, meanOver: meanOver, into: &gradient)
  }
}

extension TextCNN: SentimentModel {
  public static var embeddingTable: WritableKeyPath<Self, Matrix<Scalar>> { \.embedding.table }

  public func logits(_ tokens: ArraySlice<Int32>, batch B: Int) -> Matrix<Scalar> { forward(tokens, batch: B).logits }

  public func lossAndGradient(tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int, into gradient: inout Self) -> (loss: Scalar, correct: Int) {
    lossAndGradient(tokens, labels: labels, meanOver: meanOver, into: &gradient)
  }
}

extension DiagonalClassifier: SentimentModel {
  public static var embeddingTable: WritableKeyPath<Self, Matrix<Scalar>> { \.embedding.table }
}

import Linalg
import SeededRandom

/// Embedding(V, E) -> convolutions of several widths, F filters each, ReLU, max over time ->
/// Dense(widths·F, 1) -> sigmoid: the text CNN GradLab compares with the recurrent
/// classifiers on the same embedding and data. Gradients are the same type.
public struct TextCNN<Scalar: BLASScalar>: ParameterSet, Sendable {
  public var embedding: Embedding<Scalar>
  public var convolutions: MaxPooledConvolutions<Scalar>
  public var output: Dense<Scalar>

  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    [
      ("embedding.embeddings", \.embedding.table),
      ("convolutions.kernel", \.convolutions.kernel),
      ("convolutions.bias", \.convolutions.bias),
      ("dense.kernel", \.output.weight),
      ("dense.bias", \.output.bias),
    ]
  }

  /// Keras initialisation throughout; one generator seeds every layer in order.
  public init(vocabularySize: Int, embeddingSize: Int, widths: [Int], filters: Int, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    embedding = Embedding(vocabularySize: vocabularySize, dimension: embeddingSize, using: &rng)
    convolutions = MaxPooledConvolutions(inputSize: embeddingSize, widths: widths, filters: filters, using: &rng)
    output = Dense(inputSize: widths.count * filters, outputSize: 1, using: &rng)
  }

  public init(embedding: Embedding<Scalar>, convolutions: MaxPooledConvolutions<Scalar>, output: Dense<Scalar>) {
    self.embedding = embedding
    self.convolutions = convolutions
    self.output = output
  }

  public struct Pass: Sendable {
    public let features: MaxPooledConvolutions<Scalar>.Pass
    /// B × 1.
    public let logits: Matrix<Scalar>
  }

  /// tokens: B reviews of T ids each (row-major).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(_ tokens: ArraySlice<Int32>, batch B: Int) -> Pass {
    let features = convolutions.forward(embedding.forward(tokens, batch: B), batch: B)
    return Pass(features: features, logits: output.forward(features.output))
  }

  /// Mean BCE loss (over `meanOver`, default B), correct count and the gradient of every
  /// parameter.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func lossAndGradient(
    _ tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int? = nil
  ) -> (loss: Scalar, correct: Int, gradient: TextCNN) {
    var gradient = zeroed()
    let (loss, correct) = lossAndGradient(tokens, labels: labels, meanOver: meanOver, into: &gradient)
    return (loss, correct, gradient)
  }

  /// The same, the gradient written into `gradient`, which must arrive all zero in this
  /// model's shapes (a buffer reused from step to step): the embedding table's rows of the
  /// batch's ids are added into, every other parameter is replaced.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func lossAndGradient(
    _ tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int? = nil, into gradient: inout TextCNN
  ) -> (loss: Scalar, correct: Int) {
    let B = labels.count
    let pass = forward(tokens, batch: B)
    let loss = BinaryCrossEntropy.loss(logits: pass.logits, labels: labels, meanOver: meanOver)
    let dLogits = BinaryCrossEntropy.gradient(logits: pass.logits, labels: labels, meanOver: meanOver)
    let dense = output.backward(pass.features.output, outputGradient: dLogits)
    gradient.output = Dense(weight: dense.weight, bias: dense.bias)
    let conv = convolutions.backward(pass.features, outputGradient: dense.input)
    gradient.convolutions.kernel = conv.kernel
    gradient.convolutions.bias = conv.bias
    embedding.backward(tokens, batch: B, outputGradient: conv.input, into: &gradient.embedding.table)
    return (loss, BinaryCrossEntropy.correctCount(logits: pass.logits, labels: labels))
  }
}

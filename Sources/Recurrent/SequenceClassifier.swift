import Linalg
import SeededRandom

/// Embedding(V, E) -> recurrent layer (H) -> Dense(H, 1) on the last h_T -> sigmoid:
/// the original assignment's sentiment model with any cell. Gradients are the same type.
public struct SequenceClassifier<Scalar: BLASScalar>: ParameterSet, Sendable {
  public var embedding: Embedding<Scalar>
  public var recurrent: RecurrentLayer<Scalar>
  public var output: Dense<Scalar>

  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    [
      ("embedding.embeddings", \.embedding.table),
      ("recurrent.kernel", \.recurrent.inputKernel),
      ("recurrent.recurrent_kernel", \.recurrent.recurrentKernel),
      ("recurrent.bias", \.recurrent.bias),
      ("recurrent.recurrent_bias", \.recurrent.recurrentBias),
      ("dense.kernel", \.output.weight),
      ("dense.bias", \.output.bias),
    ]
  }

  /// Keras initialisation throughout; one generator seeds every layer in order.
  public init(kind: CellKind, vocabularySize: Int, embeddingSize: Int, hiddenSize: Int, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    embedding = Embedding(vocabularySize: vocabularySize, dimension: embeddingSize, using: &rng)
    recurrent = RecurrentLayer(kind: kind, inputSize: embeddingSize, hiddenSize: hiddenSize, using: &rng)
    output = Dense(inputSize: hiddenSize, outputSize: 1, using: &rng)
  }

  public init(embedding: Embedding<Scalar>, recurrent: RecurrentLayer<Scalar>, output: Dense<Scalar>) {
    self.embedding = embedding
    self.recurrent = recurrent
    self.output = output
  }

  /// Everything the backward pass needs from one forward pass.
  public struct Pass: Sendable {
    public let tokens: ArraySlice<Int32>
    public let trace: RecurrentTrace<Scalar>
    /// B × 1 logits.
    public let logits: Matrix<Scalar>
    /// The distinct ids and their embedding rows (nil when every position was projected).
    let distinct: DistinctInputs?
  }

  /// tokens: B reviews of T ids each (row-major).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(_ tokens: ArraySlice<Int32>, batch B: Int, projection: InputProjection = .distinctTokens) -> Pass {
    let (trace, distinct) = projectAndRun(tokens, batch: B, projection: projection)
    return Pass(tokens: tokens, trace: trace, logits: output.forward(trace.lastHidden), distinct: distinct)
  }

  /// Mean BCE loss, correct-prediction count and the gradient of the loss w.r.t. every
  /// parameter; `record` sees dL/dh_t during BPTT. `meanOver` is the count the loss is
  /// averaged over (the whole batch when these reviews are one shard of it).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func lossAndGradient(
    _ tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int? = nil,
    projection: InputProjection = .distinctTokens, record: BPTTRecorder<Scalar>? = nil
  ) -> (loss: Scalar, correct: Int, gradient: SequenceClassifier) {
    var gradient = StepPhase.gradientSetup.time { zeroed() }
    let (loss, correct) = lossAndGradient(tokens, labels: labels, meanOver: meanOver, projection: projection, record: record, into: &gradient)
    return (loss, correct, gradient)
  }

  /// The same, the gradient written into `gradient`, which must arrive all zero in this
  /// model's shapes (a buffer reused from step to step): the embedding table's rows of the
  /// batch's ids are added into, every other parameter is replaced.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func lossAndGradient(
    _ tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int? = nil,
    projection: InputProjection = .distinctTokens, record: BPTTRecorder<Scalar>? = nil, into gradient: inout SequenceClassifier
  ) -> (loss: Scalar, correct: Int) {
    let B = labels.count
    let (trace, distinct) = projectAndRun(tokens, batch: B, projection: projection)
    let (logits, loss, dense) = StepPhase.output.time {
      let logits = output.forward(trace.lastHidden)
      let loss = BinaryCrossEntropy.loss(logits: logits, labels: labels, meanOver: meanOver)
      let dLogits = BinaryCrossEntropy.gradient(logits: logits, labels: labels, meanOver: meanOver)
      return (logits, loss, output.backward(trace.lastHidden, outputGradient: dLogits))
    }
    gradient.output = Dense(weight: dense.weight, bias: dense.bias)
    let inputs = trace.inputs
    // Backward writes dL/da_x over the trace's gates: the trace is handed over whole (taken
    // out of `pending`, so that no other reference to its buffers is left).
    var pending = Optional(consume trace)
    let back = StepPhase.recurrentBackward.time { recurrent.backwardThroughTime(pending.take()!, lastHidden: dense.input, record: record) }
    gradient.recurrent = back.parameters
    StepPhase.inputBackward.time {
      projectionBackward(tokens, batch: B, inputs: inputs, distinct: distinct, preactivationGradient: back.inputPreactivations, into: &gradient)
    }
    return (loss, BinaryCrossEntropy.correctCount(logits: logits, labels: labels))
  }
}

extension SequenceClassifier {
  /// The same weights in another precision (Float training weights, Double analysis).
  public func converted<Other: BLASScalar>(to: Other.Type) -> SequenceClassifier<Other> {
    SequenceClassifier<Other>(
      embedding: Embedding(table: embedding.table.converted(to: Other.self)),
      recurrent: RecurrentLayer(
        kind: recurrent.kind, inputKernel: recurrent.inputKernel.converted(), recurrentKernel: recurrent.recurrentKernel.converted(),
        bias: recurrent.bias.converted(), recurrentBias: recurrent.recurrentBias.converted()),
      output: Dense(weight: output.weight.converted(), bias: output.bias.converted()))
  }
}

import Linalg
import SeededRandom

/// The diagonal recurrences that `DiagonalScan` runs, as a sentiment model's middle layer.
public enum DiagonalRecurrence: String, CaseIterable, Codable, Sendable {
  /// `LRUBlock`: encoder, LRU (H complex lanes), GLU with a residual, read at h_T.
  case lru
  /// `MinGRULayer` (H units).
  case mingru
}

/// Embedding(V, E) -> an LRU block or minGRU (H) -> Dense(H, 1) on the last h_T -> sigmoid:
/// the assignment's sentiment model with a diagonal recurrence, trained like
/// `SequenceClassifier` (same embedding initialisation, BCE on the logits). The model holds
/// both recurrences so that its parameter list is one static list; the one it does not use
/// is empty (0 units). Gradients are the same type; parameter gradients are summed over
/// steps and reviews.
public struct DiagonalClassifier<Scalar: RealScalar>: ParameterSet, Sendable {
  public let recurrence: DiagonalRecurrence
  public var embedding: Embedding<Scalar>
  public var lru: LRUBlock<Scalar>
  public var minGRU: MinGRULayer<Scalar>
  public var output: Dense<Scalar>

  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    let (lru, minGRU): (WritableKeyPath<Self, LRUBlock<Scalar>>, WritableKeyPath<Self, MinGRULayer<Scalar>>) = (\.lru, \.minGRU)
    return [("embedding.embeddings", \.embedding.table)]
      + LRUBlock<Scalar>.parameterPaths.map { (name: "lru." + $0.name, path: lru.appending(path: $0.path)) }
      + MinGRULayer<Scalar>.parameterPaths.map { (name: "mingru." + $0.name, path: minGRU.appending(path: $0.path)) }
      + [("dense.kernel", \.output.weight), ("dense.bias", \.output.bias)]
  }

  /// Keras' embedding initialisation, then the recurrence's own (the LRU on the ring
  /// [0.9, 0.999], minGRU glorot-uniform with zero biases), then the glorot-uniform readout,
  /// all from one generator in that order.
  public init(recurrence: DiagonalRecurrence, vocabularySize: Int, embeddingSize E: Int, hiddenSize H: Int, seed: UInt64) {
    var rng = SeededGenerator(seed: seed)
    self.recurrence = recurrence
    embedding = Embedding(vocabularySize: vocabularySize, dimension: E, using: &rng)
    (lru, minGRU) = (LRUBlock.empty(inputSize: E), MinGRULayer.empty(inputSize: E))
    switch recurrence {
    case .lru: lru = LRUBlock(inputSize: E, width: H, lanes: H, using: &rng)
    case .mingru: minGRU = MinGRULayer(inputSize: E, hiddenSize: H, using: &rng)
    }
    output = Dense(inputSize: H, outputSize: 1, using: &rng)
  }

  /// What the forward pass keeps for the backward pass: the distinct ids of the batch and
  /// their embedding rows E[u] (U × E), h_T and the recurrence's trace.
  struct Pass {
    let distinct: DistinctTokens
    let rows: Matrix<Scalar>
    let last: Matrix<Scalar>
    let lru: LRUTrace<Scalar>?
    let minGRU: MinGRUTrace<Scalar>?
  }

  /// h_T (B × H) of B reviews of T ids each. The recurrence's input side reads each
  /// position's embedding row through a linear map, so it is computed once per distinct id
  /// and spread to the T·B positions (time-major), as `SequenceClassifier` does.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  func lastHidden(_ tokens: ArraySlice<Int32>, batch B: Int) -> Pass {
    let distinct = DistinctTokens(tokens, batch: B, vocabularySize: embedding.vocabularySize)
    let rows = embedding.rows(distinct.ids)
    switch recurrence {
    case .lru:
      // v = E[u] W_e + b_e per id, then v[t·B + b] = v_u of tokens[b, t]
      let (last, trace) = lru.forward(encoded: distinct.gather(lru.encoder.forward(rows)), batch: B)
      return Pass(distinct: distinct, rows: rows, last: last, lru: trace, minGRU: nil)
    case .mingru:
      // E[u] W_z + b_z and E[u] W_h + b_h per id, spread the same way
      let perID = minGRU.inputSide(rows)
      let trace = minGRU.forward(inputSide: MinGRUInputSide(gate: distinct.gather(perID.gate), candidate: distinct.gather(perID.candidate)), batch: B)
      return Pass(distinct: distinct, rows: rows, last: trace.lastHidden, lru: nil, minGRU: trace)
    }
  }

  /// B × 1 logits z = h_T W_d + b_d for B reviews of T ids each (row-major).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func logits(_ tokens: ArraySlice<Int32>, batch B: Int) -> Matrix<Scalar> {
    output.forward(lastHidden(tokens, batch: B).last)
  }

  /// Mean BCE loss (over `meanOver` reviews, default B), correct count and the gradient of
  /// every parameter.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func lossAndGradient(tokens: ArraySlice<Int32>, labels: ArraySlice<Scalar>, meanOver: Int) -> (loss: Scalar, correct: Int, gradient: DiagonalClassifier) {
    let B = labels.count
    let pass = lastHidden(tokens, batch: B)
    let z = output.forward(pass.last)
    var gradient = zeroed()
    // z = h_T W_d + b_d:  dW_d, db_d, dL/dh_T = dz W_dᵀ
    let dense = output.backward(pass.last, outputGradient: BinaryCrossEntropy.gradient(logits: z, labels: labels, meanOver: meanOver))
    gradient.output = Dense(weight: dense.weight, bias: dense.bias)
    // Back through the recurrence to its input side at every position, summed per id
    // (dA_u = Σ over each id's positions of dA), then back to E[u] and dW_e[id] += dE[u].
    let dRows: Matrix<Scalar>
    if let trace = pass.lru {
      let back = lru.backwardToEncoded(trace, lastGradient: dense.input)
      // v = E[u] W_e + b_e:  dW_e = E[u]ᵀ dV_u,  db_e = Σ dV_u,  dE[u] = dV_u W_eᵀ
      let e = lru.encoderGradients(pass.rows, encodedGradient: pass.distinct.sum(back.encoded))
      gradient.lru = LRUBlock(encoder: e.encoder, lru: back.lru, glu: back.glu)
      dRows = e.inputs
    } else if let trace = pass.minGRU {
      let back = minGRU.backwardToInputSide(trace, hiddenGradient: .zeros(rows: trace.gates.rows, endingWith: dense.input))
      let perID = MinGRUInputSide(gate: pass.distinct.sum(back.inputSide.gate), candidate: pass.distinct.sum(back.inputSide.candidate))
      dRows = minGRU.inputGradients(pass.rows, inputSideGradient: perID, into: &gradient.minGRU)
    } else {
      preconditionFailure("DiagonalClassifier: the forward pass kept no trace")
    }
    embedding.backward(ids: pass.distinct.ids, rowGradient: dRows, into: &gradient.embedding.table)
    return (
      BinaryCrossEntropy.loss(logits: z, labels: labels, meanOver: meanOver),
      BinaryCrossEntropy.correctCount(logits: z, labels: labels), gradient
    )
  }
}

import Linalg
import Recurrent
import SeededRandom
import TestSupport
import Testing

/// Projecting each distinct token once must give what projecting every position gives: the
/// same mathematics, only the order of additions differs.
@Suite struct DistinctTokenProjectionTests {
  /// Reviews with repeated ids, padding 0 and ids that occur only once, row-major B × T.
  static let tokens: [Int32] = [
    0, 0, 4, 7, 4, 1,
    3, 8, 8, 8, 0, 2,
    5, 4, 1, 1, 6, 4,
  ]

  @Test func idsAreAscendingAndSlotsPointBackToEveryToken() {
    let (B, T) = (3, 6)
    let distinct = DistinctTokens(Self.tokens[...], batch: B, vocabularySize: 10)
    #expect(distinct.ids == [0, 1, 2, 3, 4, 5, 6, 7, 8])
    #expect(distinct.positions == B * T)
    for b in 0..<B {
      for t in 0..<T { #expect(distinct.ids[Int(distinct.slots[t * B + b])] == Self.tokens[b * T + t]) }
    }
    // Summing what was gathered counts each id's occurrences.
    let ones = Matrix<Double>(rows: distinct.count, cols: 1, repeating: 1)
    let counts = distinct.sum(distinct.gather(ones)).storage
    #expect(counts == [3, 3, 1, 1, 4, 1, 1, 1, 3])
  }

  /// The per-id sum adds in position order (deterministic): in Float the same bits as adding
  /// each position's row into its id's row one after the other.
  @Test(arguments: [16, 37])
  func floatSumAddsInPositionOrder(width n: Int) {
    let (B, T) = (3, 6)
    let distinct = DistinctTokens(Self.tokens[...], batch: B, vocabularySize: 10)
    let perPosition: Matrix<Float> = randomMatrix(B * T, n, seed: 14).converted()
    var expected = [Float](repeating: 0, count: distinct.count * n)
    for p in 0..<(B * T) {
      for k in 0..<n { expected[Int(distinct.slots[p]) * n + k] += perPosition.storage[p * n + k] }
    }
    let sum = distinct.sum(perPosition)
    #expect(sum.rows == distinct.count && sum.cols == n)
    #expect(sum.storage.map(\.bitPattern) == expected.map(\.bitPattern))
  }

  /// The forward loop fed step by step (`forward(steps:batch:input:)`, each step's rows
  /// gathered just before it) gives the trace of the loop fed the whole gathered matrix, bit
  /// for bit, in Float.
  @Test(arguments: CellKind.allCases)
  func stepwiseGatherGivesTheSameTrace(kind: CellKind) {
    let (B, T, H) = (3, 6, 5)
    var rng = SeededGenerator(seed: 15)
    var layer = RecurrentLayer<Float>(kind: kind, inputSize: 4, hiddenSize: H, using: &rng)
    layer.bias = randomMatrix(1, kind.gateCount * H, seed: 17, std: 0.3).converted()
    let distinct = DistinctTokens(Self.tokens[...], batch: B, vocabularySize: 10)
    let perID = layer.inputPreactivations(randomMatrix(distinct.count, 4, seed: 19).converted())
    let whole = layer.forward(inputPreactivations: distinct.gather(perID), batch: B)
    let stepwise = layer.forward(steps: T, batch: B) { t, a in distinct.gather(perID, step: t, batch: B, into: a) }
    for (name, a, b) in [("hidden", whole.hidden, stepwise.hidden), ("cell", whole.cell, stepwise.cell), ("gates", whole.gates, stepwise.gates), ("cache", whole.cache, stepwise.cache)] {
      #expect(a.shape == b.shape && a.storage.map(\.bitPattern) == b.storage.map(\.bitPattern), "\(kind) \(name) differs")
    }
    #expect(whole.hidden.maxAbs > 0)
  }

  @Test(arguments: CellKind.allCases)
  func gradientsEqualTheEveryPositionPathInDouble(kind: CellKind) {
    let (B, V, E, H) = (3, 10, 4, 5)
    var model = SequenceClassifier<Double>(kind: kind, vocabularySize: V, embeddingSize: E, hiddenSize: H, seed: 11)
    model.embedding.table = randomMatrix(V, E, seed: 12)
    model.recurrent.bias = randomMatrix(1, kind.gateCount * H, seed: 13, std: 0.3)
    let labels: ArraySlice<Double> = [1, 0, 1]
    precondition(Self.tokens.count % B == 0)
    let fast = model.lossAndGradient(Self.tokens[...], labels: labels, projection: .distinctTokens)
    let dense = model.lossAndGradient(Self.tokens[...], labels: labels, projection: .everyPosition)
    #expect(relativeError(fast.loss, dense.loss) < 1e-13, "\(kind) loss \(fast.loss) vs \(dense.loss)")
    for (name, path) in SequenceClassifier<Double>.parameterPaths {
      let (a, b) = (fast.gradient[keyPath: path], dense.gradient[keyPath: path])
      #expect(a.rows == b.rows && a.cols == b.cols)
      let error = relativeError(a.storage, b.storage)
      #expect(error < 1e-12, "\(kind) \(name): relative error \(error)")
      #expect(a.count == 0 || a.maxAbs > 0, "\(kind) \(name): an all-zero gradient proves nothing")
    }
  }

  /// Forty Adam steps of a small Float model on random batches: the two paths round
  /// differently, so the weights drift apart slowly, but the loss trajectory must match.
  @Test func floatLossTrajectoriesMatch() {
    let (B, T, V, E, H, steps) = (16, 12, 60, 8, 8, 40)
    let start = SequenceClassifier<Float>(kind: .lstm, vocabularySize: V, embeddingSize: E, hiddenSize: H, seed: 21)
    var rng = SeededGenerator(seed: 22)
    let batches = (0..<steps).map { _ in
      // Zipf-like ids: a few frequent ones repeat inside every batch, as in real text.
      (0..<(B * T)).map { _ in Int32(min(V - 1, rng.index(below: V) * rng.index(below: V) / V)) }
    }
    // Something to learn: the label is the parity of each review's last id.
    func labels(_ tokens: [Int32]) -> ArraySlice<Float> { (0..<B).map { Float(tokens[$0 * T + T - 1] % 2) }[...] }
    func trajectory(_ projection: InputProjection) -> [Float] {
      var model = start
      var adam = Adam(for: model, learningRate: 1e-2)
      return batches.map { tokens in
        let result = model.lossAndGradient(tokens[...], labels: labels(tokens), projection: projection)
        adam.update(&model, with: result.gradient)
        return result.loss
      }
    }
    let (fast, dense) = (trajectory(.distinctTokens), trajectory(.everyPosition))
    #expect(fast.last! < 0.9 * fast.first!, "the model did not learn; the comparison would be weak")
    for (step, (a, b)) in zip(fast, dense).enumerated() {
      #expect(abs(a - b) < 1e-4 * max(1, abs(b)), "step \(step + 1): loss \(a) vs \(b)")
    }
  }

  /// Evaluation's forward-only pass keeps no trace but must compute the same numbers.
  @Test(arguments: CellKind.allCases)
  func forwardOnlyLogitsEqualTheTracedForward(kind: CellKind) {
    let (B, V, E, H) = (3, 10, 4, 5)
    var model = SequenceClassifier<Double>(kind: kind, vocabularySize: V, embeddingSize: E, hiddenSize: H, seed: 31)
    model.embedding.table = randomMatrix(V, E, seed: 32)
    model.output.bias = Matrix([[0.2]])
    let traced = model.forward(Self.tokens[...], batch: B).logits
    let dense = model.forward(Self.tokens[...], batch: B, projection: .everyPosition).logits
    #expect(model.predict(Self.tokens[...], batch: B) == traced, "\(kind)")
    #expect(relativeError(traced.storage, dense.storage) < 1e-14, "\(kind)")
    let float = model.converted(to: Float.self)
    #expect(float.predict(Self.tokens[...], batch: B) == float.forward(Self.tokens[...], batch: B).logits, "\(kind) in Float")
  }
}

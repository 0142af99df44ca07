import Foundation
import Linalg
import Recurrent
import SeededRandom
import Tasks
import Testing

/// The generators: baselines against their closed forms, seeds, and labels.
@Suite struct LongLagTaskTests {
  static func batch(_ task: LongLagTask, B: Int, T: Int, seed: UInt64) -> TaskBatch<Double> {
    var rng = SeededGenerator(seed: seed)
    return task.batch(size: B, length: T, using: &rng)
  }

  @Test func addingBaselineMatchesItsClosedForm() {
    // Answering 1 scores E[(u_a + u_b - 1)²] = 2/12 = 1/6. The sum minus 1 is triangular on
    // [-1, 1] with E[z⁴] = 1/15, so one squared error has variance 1/15 - 1/36 = 7/180:
    // with N = 40,000 sequences the mean is within 4 standard errors (0.0039) of 1/6.
    let N = 40_000
    let batch = Self.batch(.adding, B: N, T: 8, seed: 3)
    let mse = batch.targets.reduce(0.0) { $0 + ($1 - 1) * ($1 - 1) } / Double(N)
    #expect(LongLagTask.adding.baselineLoss == 1.0 / 6.0)
    #expect(abs(mse - 1.0 / 6.0) < 4 * (7.0 / 180.0 / Double(N)).squareRoot(), "baseline MSE \(mse)")
    let mean = batch.targets.reduce(0, +) / Double(N)
    #expect(abs(mean - 1) < 4 * (1.0 / 6.0 / Double(N)).squareRoot(), "mean target \(mean)")
  }

  @Test func firstSymbolBaselineIsLog2AndLabelsAreBalanced() {
    let N = 40_000
    let batch = Self.batch(.first, B: N, T: 5, seed: 4)
    let ones = batch.targets.reduce(0, +)
    // Binomial(N, 1/2): within 4 standard deviations (4 · 100) of N/2.
    #expect(abs(ones - Double(N) / 2) < 4 * (Double(N) / 4).squareRoot(), "\(ones) positive labels of \(N)")
    #expect(LongLagTask.first.baselineLoss == Foundation.log(2.0))
  }

  @Test(arguments: LongLagTask.allCases)
  func theSameSeedGivesTheSameDataAndAnotherSeedOther(task: LongLagTask) {
    let a = Self.batch(task, B: 16, T: 30, seed: 9)
    #expect(a == Self.batch(task, B: 16, T: 30, seed: 9))
    #expect(a.inputs != Self.batch(task, B: 16, T: 30, seed: 10).inputs)
  }

  @Test(arguments: [2, 3, 7, 50])
  func addingLabelsAreTheSumOfTheTwoMarkedValues(T: Int) {
    let B = 64
    let batch = Self.batch(.adding, B: B, T: T, seed: UInt64(T))
    for b in 0..<B {
      let marked = (1...T).filter { batch.inputs[(($0 - 1) * B) + b, 1] == 1 }
      #expect(marked.count == 2 && marked == batch.markers[b], "sequence \(b): markers at \(marked)")
      #expect(marked[0] <= T / 2 && marked[1] > T / 2, "sequence \(b): one marker per half, got \(marked) for T = \(T)")
      let sum = marked.reduce(0.0) { $0 + batch.inputs[($1 - 1) * B + b, 0] }
      #expect(abs(sum - batch.targets[b]) < 1e-15, "sequence \(b)")
      let values = (1...T).map { batch.inputs[($0 - 1) * B + b, 0] }
      #expect(values.allSatisfy { $0 >= 0 && $0 < 1 })
      let flags = (1...T).map { batch.inputs[($0 - 1) * B + b, 1] }
      #expect(flags.allSatisfy { $0 == 0 || $0 == 1 })
    }
  }

  @Test func firstSymbolLabelsFollowOnlyTheFirstInput() {
    let (B, T) = (64, 20)
    let batch = Self.batch(.first, B: B, T: T, seed: 12)
    for b in 0..<B {
      #expect(batch.targets[b] == (batch.inputs[b, 0] > 0 ? 1 : 0))
      #expect((1...T).allSatisfy { abs(batch.inputs[($0 - 1) * B + b, 0]) == 1 })
    }
  }
}

/// Selective copying: the sequences as specified, and its baseline log V, which a model that
/// cannot see which token sits where does not beat, while the same model seeing them does.
@Suite struct SelectiveCopyTaskTests {
  let V = LongLagTask.tokens
  let K = LongLagTask.copies

  @Test func sequencesHoldTheTokensAmongNoiseThenTheRecallSteps() {
    let (B, T) = (50, 20)
    let batch = LongLagTaskTests.batch(.selectiveCopy, B: B, T: T, seed: 7)
    #expect(batch.readoutSteps == K && batch.inputs.cols == V + 2)
    var positions = Set<[Int]>()
    for b in 0..<B {
      let marked = batch.markers[b]
      #expect(marked.count == K && marked == marked.sorted() && Set(marked).count == K && marked.allSatisfy { 1 <= $0 && $0 <= T - K })
      positions.insert(marked)
      var tokens: [Int] = []
      for t in 1...T {
        let row = (0..<(V + 2)).map { batch.inputs[(t - 1) * B + b, $0] }
        #expect(row.filter { $0 == 1 }.count == 1 && row.filter { $0 == 0 }.count == V + 1, "b \(b) t \(t): not one-hot")
        let symbol = row.firstIndex(of: 1) ?? -1
        if t > T - K { #expect(symbol == V + 1, "b \(b) t \(t): expected the recall marker") } else if marked.contains(t) { tokens.append(symbol) } else { #expect(symbol == V, "b \(b) t \(t): expected noise") }
      }
      #expect(tokens.allSatisfy { $0 < V })
      #expect((0..<K).map { Int(batch.targets[$0 * B + b]) } == tokens)
    }
    // The positions change from sequence to sequence: the model must select by content.
    #expect(positions.count > B / 2)
    #expect(LongLagTask.selectiveCopy.baselineLoss == Foundation.log(Double(V)))
  }

  /// Trains an LSTM for `steps` Adam steps on fresh batches, then its loss on a fresh test set;
  /// `blind` replaces every token by one symbol "a token", so the model sees where tokens are
  /// but not which.
  func trainedLoss(blind: Bool, steps: Int) -> Double {
    let task = LongLagTask.selectiveCopy
    let (B, T) = (16, 10)
    func erase(_ batch: TaskBatch<Float>) -> TaskBatch<Float> {
      guard blind else { return batch }
      var x = batch.inputs
      for r in 0..<x.rows where (0..<V).contains(where: { x[r, $0] == 1 }) {
        for v in 0..<V { x[r, v] = 0 }
        x[r, 0] = 1
      }
      return TaskBatch(batch: batch.batch, steps: batch.steps, inputs: x, targets: batch.targets, markers: batch.markers)
    }
    var model = TaskModel<Float>(cell: .lstm, inputSize: task.inputSize, hiddenSize: 8, outputSize: task.outputSize, seed: 3, length: T)
    var adam = OptimizerKind.adam.make(for: model, learningRate: 1e-2)
    for step in 0..<steps {
      var rng = SeededGenerator(seed: 100 + UInt64(step))
      let batch = erase(task.batch(size: B, length: T, using: &rng))
      adam.update(&model, with: model.lossAndGradient(batch, head: task.head).gradient)
    }
    var rng = SeededGenerator(seed: 99)
    return TaskRun.evaluate(model, on: erase(task.batch(size: 1000, length: T, using: &rng)), head: task.head).loss
  }

  @Test func aModelBlindToTheTokensCannotBeatTheBaseline() {
    let baseline = LongLagTask.selectiveCopy.baselineLoss
    let blind = trainedLoss(blind: true, steps: 80)
    // Every token is uniform and independent of what the blind model sees, so its expected
    // loss is log V + KL ≥ log V; 0.02 covers the test set's sampling error.
    #expect(blind > baseline - 0.02, "blind loss \(blind) below the baseline \(baseline)")
    // The same training seeing the tokens gets below the baseline: the test can tell them apart.
    let seeing = trainedLoss(blind: false, steps: 80)
    #expect(seeing < baseline - 0.1, "seeing loss \(seeing) not below the baseline \(baseline)")
  }
}

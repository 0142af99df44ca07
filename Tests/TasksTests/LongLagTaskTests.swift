import Foundation
import Linalg
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

import Foundation
import Linalg
import Recurrent
import Timing

/// Computes one batch's loss and gradient on several threads: the batch is cut into
/// contiguous shards, each shard runs forward and BPTT on its own core with single-threaded
/// BLAS, each averaging its loss over the whole batch, so shard gradients simply add up.
///
/// Every worker flushes subnormal floats to zero (training only, see `BLASRuntime`).
public struct ShardedGradient: Sendable {
  public let shards: Int

  public init(shards: Int) {
    precondition(shards >= 1, "ShardedGradient needs at least one shard, got \(shards)")
    self.shards = shards
  }

  /// The process settings training needs, set once before the first step: BLAS on one
  /// thread inside each shard (a single shard keeps BLAS on every core), and glibc keeping
  /// the steps' large buffers instead of returning them to the kernel every step.
  public func prepareProcess() {
    BLASRuntime.setThreads(shards > 1 ? 1 : ProcessInfo.processInfo.activeProcessorCount)
    MemoryTuning.reuseLargeAllocations()
  }

  /// tokens: B·T ids (B reviews), labels: B values. Any `SentimentModel` (the recurrent
  /// classifier, the text CNN).
  public func compute<Model: SentimentModel>(
    _ model: Model, tokens: ArraySlice<Int32>, labels: ArraySlice<Float>,
    flushDenormals: Bool = true
  ) -> BatchGradient<Model> where Model.Scalar == Float {
    let B = labels.count
    let T = tokens.count / B
    let count = min(shards, B)
    let bounds = (0...count).map { $0 * B / count }
    let results = ParallelResults<(loss: Float, correct: Int, gradient: Model)>(count: count)
    // With the phase clocks on, each shard's phases are read on its own thread (the
    // calling thread runs a shard too, so its sums so far are set aside first).
    let clocks = PhaseClock.isEnabled
    let callerPhases = clocks ? PhaseClock.take() : []
    let shardClocks = ParallelResults<(phases: [Double], ms: Double)>(count: count)
    let region = Stopwatch()
    parallelFor(chunks: count, flushDenormals: flushDenormals) { s in
      let (lo, hi) = (bounds[s], bounds[s + 1])
      let start = tokens.startIndex
      if clocks { _ = PhaseClock.take() }
      let shardWatch = Stopwatch()
      let part = model.lossAndGradient(
        tokens: tokens[(start + lo * T)..<(start + hi * T)],
        labels: labels[(labels.startIndex + lo)..<(labels.startIndex + hi)], meanOver: B)
      if clocks { shardClocks[s] = (PhaseClock.take(), shardWatch.seconds * 1000) }
      results[s] = (part.loss, part.correct, part.gradient)
    }
    if clocks { Self.addCriticalPath(caller: callerPhases, shards: shardClocks, regionMilliseconds: region.seconds * 1000) }
    // Each shard's result is taken out of its slot, so `total` holds the only reference to
    // shard 0's gradient and adding into it copies nothing.
    func take(_ s: Int) -> (loss: Float, correct: Int, gradient: Model) {
      guard let part = results[s] else { preconditionFailure("shard \(s) produced no result") }
      results[s] = nil
      return part
    }
    var total = take(0)
    StepPhase.shardSum.time {
      let vocabulary = model[keyPath: Model.embeddingTable].rows
      for s in 1..<count {
        let part = take(s)
        total.loss += part.loss
        total.correct += part.correct
        // Shard s's embedding gradient is zero outside its reviews' ids: only those rows.
        var seen = [Bool](repeating: false, count: vocabulary)
        for id in tokens[(tokens.startIndex + bounds[s] * T)..<(tokens.startIndex + bounds[s + 1] * T)] where id >= 0 && Int(id) < vocabulary {
          seen[Int(id)] = true
        }
        total.gradient.add(part.gradient, sparse: (Model.embeddingTable, seen.indices.filter { seen[$0] }))
      }
    }
    // The shards' losses add up in Float, as every run so far has.
    return BatchGradient(loss: Double(total.loss), correct: total.correct, gradient: total.gradient)
  }

  /// Puts the step's critical path on the calling thread's phase clocks: its own sums from
  /// before the shards, the slowest shard's phases, and the hand-off (the parallel part's
  /// wall time minus the slowest shard's).
  private static func addCriticalPath(caller: [Double], shards: ParallelResults<(phases: [Double], ms: Double)>, regionMilliseconds: Double) {
    let measured = (0..<shards.count).compactMap { shards[$0] }
    guard let slowest = measured.max(by: { $0.ms < $1.ms }) else { return }
    for slot in 0..<PhaseClock.slots {
      PhaseClock.add(slot, seconds: (caller[slot] + slowest.phases[slot]) / 1000)
    }
    PhaseClock.add(StepPhase.handOff.rawValue, seconds: max(0, regionMilliseconds - slowest.ms) / 1000)
  }
}

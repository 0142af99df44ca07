import Foundation
import Linalg
import Recurrent
import Timing

/// Computes one batch's loss and gradient on several threads: the batch is cut into
/// contiguous shards, each shard runs forward and BPTT on its own core with single-threaded
/// BLAS, each averaging its loss over the whole batch, so shard gradients simply add up.
///
/// Each shard writes into a gradient buffer kept from one call to the next (`ShardBuffer`):
/// a gradient is zero outside the embedding rows of its batch's ids, so making it zero again
/// means zeroing those rows, not the whole 10,000 × 128 table.
///
/// Every worker flushes subnormal floats to zero (training only, see `BLASRuntime`).
public struct ShardedGradient: Sendable {
  public let shards: Int
  private let buffers = ShardBuffers()

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
  /// classifier, the text CNN, the diagonal models); specialised for the three, so the
  /// buffers' bookkeeping does not run through generic code.
  @_specialize(where Model == SequenceClassifier<Float>) @_specialize(where Model == TextCNN<Float>)
  @_specialize(where Model == DiagonalClassifier<Float>)
  public func compute<Model: SentimentModel>(
    _ model: Model, tokens: ArraySlice<Int32>, labels: ArraySlice<Float>,
    flushDenormals: Bool = true
  ) -> BatchGradient<Model> where Model.Scalar == Float {
    let B = labels.count
    let T = tokens.count / B
    let count = min(shards, B)
    let bounds = (0...count).map { $0 * B / count }
    let parts = buffers.take(count, for: model)
    let results = ParallelResults<(loss: Float, correct: Int)>(count: count)
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
      let shardTokens = tokens[(start + lo * T)..<(start + hi * T)]
      let part = parts[s]
      StepPhase.gradientSetup.time { part.prepare(for: model) }
      results[s] = model.lossAndGradient(
        tokens: shardTokens, labels: labels[(labels.startIndex + lo)..<(labels.startIndex + hi)], meanOver: B, into: &part.gradient)
      StepPhase.gradientSetup.time { part.writtenRows = ShardBuffer<Model>.rows(of: shardTokens, vocabulary: part.gradient[keyPath: Model.embeddingTable].rows) }
      if clocks { shardClocks[s] = (PhaseClock.take(), shardWatch.seconds * 1000) }
    }
    if clocks { Self.addCriticalPath(caller: callerPhases, shards: shardClocks, regionMilliseconds: region.seconds * 1000) }
    func result(_ s: Int) -> (loss: Float, correct: Int) {
      guard let part = results[s] else { preconditionFailure("shard \(s) produced no result") }
      return part
    }
    // The sum goes into shard 0's buffer: the buffers hold the only references to the
    // shards' gradients, so adding into it copies nothing.
    var (loss, correct) = result(0)
    let total = parts[0]
    StepPhase.shardSum.time {
      for s in 1..<count {
        (loss, correct) = (loss + result(s).loss, correct + result(s).correct)
        // Shard s's embedding gradient is zero outside its reviews' ids: only those rows.
        total.gradient.add(parts[s].gradient, sparse: (Model.embeddingTable, parts[s].writtenRows))
        total.writtenRows += parts[s].writtenRows
      }
    }
    buffers.keep(parts)
    // The shards' losses add up in Float, as every run so far has.
    return BatchGradient(loss: Double(loss), correct: correct, gradient: total.gradient)
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

/// One shard's gradient, kept from one step to the next: every element is zero but the
/// embedding rows in `writtenRows` (the ids of the reviews it was computed or summed over).
final class ShardBuffer<Model: SentimentModel>: @unchecked Sendable {
  var gradient: Model
  /// Embedding rows that may be non-zero, ascending per shard (a row may repeat).
  var writtenRows: [Int] = []

  init(zeroLike model: Model) { gradient = model.zeroed() }

  /// Makes the gradient all zero again in the model's shapes: the written embedding rows and
  /// every other parameter, or a new zero gradient if the buffer has other shapes (another
  /// model of the same type). A gradient still referenced elsewhere (the caller kept the last
  /// step's) is copied by its first write here, so the caller's stays as it was.
  /// Zero bytes are +0 in Float and Double, and a byte fill runs at memset's speed whether or
  /// not this generic code is specialised.
  func prepare(for model: Model) {
    guard fits(model) else {
      (gradient, writtenRows) = (model.zeroed(), [])
      return
    }
    let table = Model.embeddingTable
    let rowBytes = model[keyPath: table].cols * MemoryLayout<Model.Scalar>.stride
    for (_, path) in Model.parameterPaths {
      gradient[keyPath: path].storage.withUnsafeMutableBytes { g in
        guard let base = g.baseAddress else { return }
        guard path == table else {
          _ = g.initializeMemory(as: UInt8.self, repeating: 0)
          return
        }
        for r in writtenRows { (base + r * rowBytes).initializeMemory(as: UInt8.self, repeating: 0, count: rowBytes) }
      }
    }
    writtenRows = []
  }

  /// Whether the gradient has the model's shapes.
  private func fits(_ model: Model) -> Bool {
    Model.parameterPaths.allSatisfy { (_, path) in
      let (g, w) = (gradient[keyPath: path], model[keyPath: path])
      return g.rows == w.rows && g.cols == w.cols
    }
  }

  /// The distinct ids of `tokens` that index the table, ascending.
  static func rows(of tokens: ArraySlice<Int32>, vocabulary: Int) -> [Int] {
    var seen = [Bool](repeating: false, count: vocabulary)
    for id in tokens where id >= 0 && Int(id) < vocabulary { seen[Int(id)] = true }
    return seen.indices.filter { seen[$0] }
  }
}

/// The shard buffers between calls. A call takes them and gives them back, so calls from two
/// threads at once (which no caller makes) would each get buffers of their own.
final class ShardBuffers: @unchecked Sendable {
  private let lock = NSLock()
  private var kept: [AnyObject] = []

  /// `count` buffers for `model`'s type: the kept ones, new zero ones where none is kept
  /// (`prepare` then fits each to the model's shapes).
  func take<Model: SentimentModel>(_ count: Int, for model: Model) -> [ShardBuffer<Model>] {
    let reusable = lock.withLock {
      defer { kept = [] }
      return kept.compactMap { $0 as? ShardBuffer<Model> }
    }
    return (0..<count).map { $0 < reusable.count ? reusable[$0] : ShardBuffer(zeroLike: model) }
  }

  func keep<Model: SentimentModel>(_ buffers: [ShardBuffer<Model>]) { lock.withLock { kept = buffers } }
}

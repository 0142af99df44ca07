import Foundation
import Linalg
import Recurrent
import SeededRandom
import Timing
import Training

/// Times training steps of the original model on random tokens of the real shapes
/// (B 64, T 200, E 128, H 64, V 10,000): speed depends on how many distinct ids a batch
/// holds, not on the words, so `tokens` draws them as IMDB's are distributed. The batch is
/// cut into `shards` run on as many threads, subnormals flushed, as in training.
/// With `diagonal` set, the model is the comparison's `DiagonalClassifier` (an LRU block or
/// minGRU of H units) instead of the recurrent classifier of `cell`.
public struct TrainingBenchmark: Sendable {
  public var cell: CellKind = .lstm
  public var diagonal: DiagonalRecurrence?
  public var batch = 64
  public var sequenceLength = 200
  public var vocabularySize = 10_000
  public var embeddingSize = 128
  public var hiddenSize = 64
  public var iterations = 20
  /// Steps run first and not counted: the first ones pay for the threads' start, the
  /// allocator's first growth and cold caches (13-20 ms instead of about 9.5 on the AMD EPYC).
  public var warmup = 3
  public var shards = 2
  public var tokens = BenchmarkTokens.zipf
  /// The pointwise kernels' vector width (nil: the CPU's best).
  public var kernels: KernelLevel?
  public init() {}

  /// Training steps in one epoch of the 20,000 training reviews.
  public var stepsPerEpoch: Int { (20_000 + batch - 1) / batch }

  /// FLOPs of one training step: the gate matmuls, forward (x W_x, h W_h) and backward
  /// (twice each: data and weight gradients), 2 FLOPs per multiply-add.
  public var flopsPerStep: Double {
    let gates = Double(cell.gateCount * hiddenSize)
    let perReviewForward = Double(sequenceLength) * 2 * (Double(embeddingSize) + Double(hiddenSize)) * gates
    return 3 * perReviewForward * Double(batch)
  }

  /// FLOPs one step performs with the distinct-token projection, given the distinct ids of
  /// each shard: the recurrent products as above, the input side (P = E[u] W_x, dW_x,
  /// dE[u]) for the distinct ids only.
  public func performedFlopsPerStep(distinctIDs: [Int]) -> Double {
    let gates = Double(cell.gateCount * hiddenSize)
    let recurrent = 3 * 2 * Double(sequenceLength * batch * hiddenSize) * gates
    let input = 3 * 2 * Double(distinctIDs.reduce(0, +) * embeddingSize) * gates
    return recurrent + input
  }

  public struct Report: Sendable, Codable {
    public var millisecondsPerStepMedian: Double
    public var millisecondsPerStepQuartiles: [Double]
    /// Steps run before the timed ones and not counted.
    public var warmupSteps: Int
    public var secondsPerEpoch: Double
    /// The dense-equivalent rate: `flopsPerStep` (every position projected) per second
    /// (nil for a diagonal model, whose FLOPs the benchmark does not count).
    public var gflops: Double?
    /// FLOPs actually performed per second (`performedFlopsPerStep`; nil as `gflops`).
    public var performedGflops: Double?
    /// Distinct token ids in each shard of the benchmark batch.
    public var distinctIDsPerShard: [Int]
    public var tokens: BenchmarkTokens
    public var blasCore: String
    /// The CPU model and the load average (1, 5, 15 minutes) when the benchmark started:
    /// other work on the machine slows every step.
    public var cpu: String
    public var loadAverage: [Double]
    /// The vector width the pointwise kernels ran at.
    public var kernels: KernelLevel
    public var shards: Int
    /// Where a step's time goes (ms), timed in place in as many steps again.
    public var breakdown: StepBreakdown
    /// The process's peak resident memory so far (MiB).
    public var peakMemoryMiB: Double
  }

  public func run(progress: (String) -> Void) -> Report {
    guard let diagonal else {
      return run(SequenceClassifier<Float>(kind: cell, vocabularySize: vocabularySize, embeddingSize: embeddingSize, hiddenSize: hiddenSize, seed: 1), progress: progress)
    }
    var report = run(DiagonalClassifier<Float>(recurrence: diagonal, vocabularySize: vocabularySize, embeddingSize: embeddingSize, hiddenSize: hiddenSize, seed: 1), progress: progress)
    (report.gflops, report.performedGflops) = (nil, nil)
    return report
  }

  func run<Model: SentimentModel>(_ initial: Model, progress: (String) -> Void) -> Report where Model.Scalar == Float {
    let load = loadAverage()
    var rng = SeededGenerator(seed: 1)
    var model = initial
    var adamState = Adam(for: model)
    adamState.flushDenormals = true  // as in training
    var optimizer: any Optimizer<Model> = adamState
    let tokens = self.tokens.draw(count: batch * sequenceLength, vocabularySize: vocabularySize, using: &rng)
    let labels = (0..<batch).map { _ in Float(rng.index(below: 2)) }
    let sharded = ShardedGradient(shards: shards)
    sharded.prepareProcess()
    let level = KernelLevel.use(kernels)
    defer { KernelLevel.use(nil) }
    // One training step as `trainLoop` takes it (ms).
    func step(_ i: Int) -> Double {
      let watch = Stopwatch()
      var batch = sharded.compute(model, tokens: tokens[...], labels: labels[...])
      let record = trainStep(&model, &batch, optimizer: &optimizer, clip: nil)
      guard record.isFinite else { preconditionFailure("benchmark step \(i + 1): non-finite loss or gradient") }
      let ms = watch.seconds * 1000
      progress(String(format: "step %d: %.1f ms (loss %.4f)", i + 1, ms, record.loss))
      return ms
    }
    let times = (0..<(warmup + iterations)).map(step).dropFirst(warmup).sorted()
    let median = times[times.count / 2]
    let distinct = (0..<min(shards, batch)).map { s -> Int in
      let (lo, hi) = (s * batch / min(shards, batch), (s + 1) * batch / min(shards, batch))
      return Set(tokens[(lo * sequenceLength)..<(hi * sequenceLength)]).count
    }
    progress("as many steps again with every part timed in place")
    PhaseClock.isEnabled = true
    _ = PhaseClock.take()
    let profiled = (0..<iterations).map { i in (ms: step(warmup + iterations + i), phases: PhaseClock.take()) }
    PhaseClock.isEnabled = false
    return Report(
      millisecondsPerStepMedian: median,
      millisecondsPerStepQuartiles: [times[times.count / 4], times[(3 * times.count) / 4]], warmupSteps: warmup,
      secondsPerEpoch: median * Double(stepsPerEpoch) / 1000, gflops: flopsPerStep / (median / 1000) / 1e9,
      performedGflops: performedFlopsPerStep(distinctIDs: distinct) / (median / 1000) / 1e9,
      distinctIDsPerShard: distinct, tokens: self.tokens,
      blasCore: BLASRuntime.coreName, cpu: MachineDescription.cpuModel, loadAverage: load, kernels: level, shards: shards, breakdown: StepBreakdown(steps: profiled), peakMemoryMiB: peakResidentMiB())
  }
}

/// The system's load average over 1, 5 and 15 minutes (empty where getloadavg fails).
func loadAverage() -> [Double] {
  var load = [Double](repeating: 0, count: 3)
  return getloadavg(&load, 3) == 3 ? load : []
}

/// The peak resident memory of this process (MiB), from getrusage.
func peakResidentMiB() -> Double {
  var usage = rusage()
  #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
  #else
    getrusage(RUSAGE_SELF, &usage)
  #endif
  #if os(Linux)
    return Double(usage.ru_maxrss) / 1024  // KiB
  #else
    return Double(usage.ru_maxrss) / 1_048_576  // bytes
  #endif
}

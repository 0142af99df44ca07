import Foundation
import Linalg
import Recurrent

/// Times training steps of the original model on random tokens of the real shapes
/// (B 64, T 200, E 128, H 64, V 10,000): speed does not depend on the words. The batch is
/// cut into `shards` run on as many threads, subnormals flushed, as in training.
public struct TrainingBenchmark: Sendable {
  public var cell: CellKind = .lstm
  public var batch = 64
  public var sequenceLength = 200
  public var vocabularySize = 10_000
  public var embeddingSize = 128
  public var hiddenSize = 64
  public var iterations = 20
  public var warmup = 3
  public var shards = 2
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

  public struct Report: Sendable, Codable {
    public var millisecondsPerStepMedian: Double
    public var millisecondsPerStepQuartiles: [Double]
    public var secondsPerEpoch: Double
    public var gflops: Double
    public var blasCore: String
    public var shards: Int
  }

  public func run(progress: (String) -> Void) -> Report {
    var rng = SeededGenerator(seed: 1)
    var model = SequenceClassifier<Float>(kind: cell, vocabularySize: vocabularySize, embeddingSize: embeddingSize, hiddenSize: hiddenSize, seed: 1)
    var adam = Adam(for: model)
    adam.flushDenormals = true  // as in training
    let tokens = (0..<(batch * sequenceLength)).map { _ in Int32(rng.index(below: vocabularySize)) }
    let labels = (0..<batch).map { _ in Float(rng.index(below: 2)) }
    let sharded = ShardedGradient(shards: shards)
    sharded.prepareProcess()
    var times: [Double] = []
    for i in 0..<(warmup + iterations) {
      let start = DispatchTime.now().uptimeNanoseconds
      let result = sharded.compute(model, tokens: tokens[...], labels: labels[...])
      adam.update(&model, with: result.gradient)
      let ms = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
      if i >= warmup { times.append(ms) }
      progress(String(format: "step %d: %.1f ms (loss %.4f)", i + 1, ms, result.loss))
    }
    times.sort()
    let median = times[times.count / 2]
    return Report(
      millisecondsPerStepMedian: median,
      millisecondsPerStepQuartiles: [times[times.count / 4], times[(3 * times.count) / 4]],
      secondsPerEpoch: median * Double(stepsPerEpoch) / 1000, gflops: flopsPerStep / (median / 1000) / 1e9,
      blasCore: BLASRuntime.coreName, shards: shards)
  }
}

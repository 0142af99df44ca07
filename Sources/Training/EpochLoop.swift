import IMDB
import Recurrent
import SeededRandom
import Timing

/// One pass over the shuffled training reviews, the epoch of `train` and `compare`: batches
/// of `batchSize` reviews in an order shuffled by `SeededGenerator(seed:, stream: epoch)`,
/// each one `trainStep` of the shared `trainLoop`, the gradient computed by `sharded`.
/// A loss or gradient norm that is not finite stops the run (`TrainingError.nonFinite`)
/// before the step is applied.
public struct EpochLoop: Sendable {
  public let split: EncodedSplit
  public let batchSize: Int
  public let seed: UInt64
  /// Clip the global gradient norm to this value (nil: no clipping).
  public let clip: Double?
  public let sharded: ShardedGradient
  /// Said after "the training loss" in errors (" of lstm-T200-pre-seed1").
  public var subject = ""
  /// The checkpoint an error names as the last good one.
  public var lastGood: String? = nil

  public init(split: EncodedSplit, batchSize: Int, seed: UInt64, clip: Double?, sharded: ShardedGradient) {
    self.split = split
    self.batchSize = batchSize
    self.seed = seed
    self.clip = clip
    self.sharded = sharded
  }

  /// Optimiser steps per epoch.
  public var steps: Int { (split.count + batchSize - 1) / batchSize }

  /// The running totals of an epoch.
  public struct Tally: Sendable {
    public var lossSum = 0.0
    public var correct = 0
    public var seen = 0
    public var norms: [Double] = []
    public let stopwatch = Stopwatch()
    public var seconds: Double { stopwatch.seconds }
  }

  /// Trains `model` for epoch `epoch`; `after` hears every step with the epoch's totals so
  /// far. The metrics' validation fields are NaN (the caller evaluates).
  public func run<Model: SentimentModel>(
    epoch: Int, _ model: inout Model, optimizer: inout any Optimizer<Model>, keepBefore: Bool = false,
    after: (StepOutcome<Model>, Tally) throws -> Void = { _, _ in }
  ) throws -> EpochMetrics where Model.Scalar == Float {
    let (B, T) = (batchSize, split.length)
    var order = Array(0..<split.count)
    var rng = SeededGenerator(seed: seed, stream: UInt64(epoch))
    rng.shuffle(&order)
    var tally = Tally()
    var tokens = [Int32](repeating: 0, count: B * T)
    var labels = [Float](repeating: 0, count: B)
    var batchCount = 0
    try trainLoop(&model, optimizer: &optimizer, clip: clip, steps: steps, keepBefore: keepBefore) { model, step in
      let batch = order[(step * B)..<min((step + 1) * B, split.count)]
      for (row, review) in batch.enumerated() {
        tokens.replaceSubrange((row * T)..<((row + 1) * T), with: split.row(review))
        labels[row] = split.labels[review]
      }
      batchCount = batch.count
      return sharded.compute(model, tokens: tokens[0..<(batch.count * T)], labels: labels[0..<batch.count])
    } after: { outcome in
      let record = outcome.record
      guard record.loss.isFinite else {
        throw TrainingError.nonFinite(epoch: epoch, step: outcome.index + 1, what: "the training loss" + subject, value: record.loss, checkpoint: lastGood)
      }
      guard record.gradientNorm.isFinite else {
        throw TrainingError.nonFinite(epoch: epoch, step: outcome.index + 1, what: "the gradient norm" + subject, value: record.gradientNorm, checkpoint: lastGood)
      }
      tally.norms.append(record.gradientNorm)
      tally.lossSum += record.loss * Double(batchCount)
      tally.correct += record.correct
      tally.seen += batchCount
      try after(outcome, tally)
      return true
    }
    let seconds = tally.seconds
    tally.norms.sort()
    return EpochMetrics(
      epoch: epoch, trainLoss: tally.lossSum / Double(tally.seen), trainAccuracy: Double(tally.correct) / Double(tally.seen),
      validationLoss: .nan, validationAccuracy: .nan, seconds: seconds,
      gradientNormMedian: tally.norms[tally.norms.count / 2], gradientNormMax: tally.norms.last ?? .nan)
  }
}

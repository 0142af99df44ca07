import Dispatch
import Foundation
import IMDB
import Linalg
import Recurrent

/// An IMDB training run in an output folder, resumable after every epoch.
///
/// The folder holds `config.json`, `metrics.tsv` (one row per epoch), `gradients.tsv`
/// (||dL/dh_t|| over t on a fixed validation batch at `gradientEpochs`),
/// `checkpoint.safetensors` (the last finished epoch: weights and Adam state),
/// `best.safetensors` (the epoch with the lowest validation loss) and, at the end,
/// `results.json` (test loss and accuracy of both). Every file is written atomically, so a
/// kill loses at most the epoch in progress, and `resume` continues to the same weights an
/// uninterrupted run reaches: shuffles are seeded per epoch and every reduction has a fixed
/// order.
public struct TrainingRun {
  public let configuration: TrainingConfiguration
  public let data: IMDBData
  public let output: URL
  /// The command that reproduces the run, stored in config.json.
  public var command: String = ""

  public init(configuration: TrainingConfiguration, data: IMDBData, output: URL) {
    self.configuration = configuration
    self.data = data
    self.output = output
  }

  var checkpointURL: URL { output.appendingPathComponent("checkpoint.safetensors") }
  var bestURL: URL { output.appendingPathComponent("best.safetensors") }
  var metricsURL: URL { output.appendingPathComponent("metrics.tsv") }
  var gradientsURL: URL { output.appendingPathComponent("gradients.tsv") }

  /// Trains from scratch, or from the folder's checkpoint when `resume` is set.
  public func run(resume: Bool, reporter: TrainingReporter) throws -> TrainingSummary {
    try configuration.validate()
    try prepareOutput(resume: resume)
    BLASRuntime.setFlushDenormals(true)
    if configuration.threads > 1 { BLASRuntime.setThreads(1) }
    MemoryTuning.reuseLargeAllocations()

    var state = try startingState(resume: resume, reporter: reporter)
    let sharded = ShardedGradient(shards: configuration.threads)
    let probeBatch = GradientProbe(split: data.validation, count: configuration.batchSize)
    if state.checkpoint.epoch == 0, configuration.gradientEpochs.contains(0) {
      state.gradients.rows += probeBatch.rows(state.checkpoint.model, cell: configuration.cell, epoch: 0)
      try state.gradients.write(to: gradientsURL)
    }

    for epoch in (state.checkpoint.epoch + 1)...max(configuration.epochs, state.checkpoint.epoch + 1) where epoch <= configuration.epochs {
      var metrics = try trainEpoch(epoch, &state.checkpoint, sharded: sharded, reporter: reporter, lastGood: state.metrics.rows.isEmpty ? nil : checkpointURL.path)
      let validation = Evaluation.run(state.checkpoint.model, on: data.validation, batchSize: 256, threads: configuration.threads)
      metrics.validationLoss = validation.loss
      metrics.validationAccuracy = validation.accuracy
      state.checkpoint.epoch = epoch
      // The checkpoint first: the metrics row must never be ahead of the weights.
      try state.checkpoint.write(to: checkpointURL)
      if validation.loss < state.bestValidationLoss {
        state.bestValidationLoss = validation.loss
        try state.checkpoint.write(to: bestURL)
      }
      state.metrics.append(metrics.row)
      try state.metrics.write(to: metricsURL)
      if configuration.gradientEpochs.contains(epoch) {
        state.gradients.rows += probeBatch.rows(state.checkpoint.model, cell: configuration.cell, epoch: epoch)
        try state.gradients.write(to: gradientsURL)
      }
      reporter.epochFinished(metrics)
    }
    return try summarize(state, reporter: reporter)
  }

  struct State {
    var checkpoint: TrainingCheckpoint
    var metrics: TSVTable
    var gradients: TSVTable
    var bestValidationLoss: Double
  }

  func prepareOutput(resume: Bool) throws {
    do {
      try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
      let probe = output.appendingPathComponent(".write-test")
      try Data().write(to: probe)
      try FileManager.default.removeItem(at: probe)
    } catch {
      throw TrainingError.outputNotWritable(path: output.path, reason: error.localizedDescription)
    }
    if !resume, FileManager.default.fileExists(atPath: checkpointURL.path) {
      throw TrainingError.checkpointMismatch(
        path: checkpointURL.path, reason: "the output folder already holds a run; pass --resume to continue it, or choose another --output")
    }
    var config = try JSONEncoder.pretty.encode(configuration)
    if !command.isEmpty {
      config = try JSONEncoder.pretty.encode(RunDescription(command: command, configuration: configuration))
    }
    try config.write(to: output.appendingPathComponent("config.json"), options: .atomic)
  }

  func startingState(resume: Bool, reporter: TrainingReporter) throws -> State {
    let fresh = SequenceClassifier<Float>(
      kind: configuration.cell, vocabularySize: configuration.data.vocabularySize,
      embeddingSize: configuration.embeddingSize, hiddenSize: configuration.hiddenSize, seed: configuration.seed)
    var state = State(
      checkpoint: TrainingCheckpoint(model: fresh, optimizer: Adam(for: fresh, learningRate: configuration.learningRate), epoch: 0, configuration: configuration),
      metrics: TSVTable(header: EpochMetrics.header), gradients: TSVTable(header: GradientProbe.header), bestValidationLoss: .infinity)
    guard resume, FileManager.default.fileExists(atPath: checkpointURL.path) else {
      if resume { reporter.log("no checkpoint in \(output.path): starting from epoch 1") }
      return state
    }
    let saved = try TrainingCheckpoint.read(from: checkpointURL)
    guard configuration.canResume(from: saved.configuration) else {
      throw TrainingError.checkpointMismatch(path: checkpointURL.path, reason: "it was made with a different configuration (only --epochs may change on resume)")
    }
    state.checkpoint = saved
    state.checkpoint.configuration = configuration
    // Keep only the table rows the checkpoint has reached.
    if let metrics = try? TSVTable.read(from: metricsURL) {
      state.metrics.rows = try metrics.rows.map(EpochMetrics.init(row:)).filter { $0.epoch <= saved.epoch }.map(\.row)
    }
    if let gradients = try? TSVTable.read(from: gradientsURL), gradients.header == GradientProbe.header {
      state.gradients.rows = gradients.rows.filter { (Int($0[1]) ?? .max) <= saved.epoch }
    }
    state.bestValidationLoss = try state.metrics.rows.map { try EpochMetrics(row: $0).validationLoss }.min() ?? .infinity
    reporter.log("resuming \(output.path) after epoch \(saved.epoch) of \(configuration.epochs)")
    return state
  }

  /// One pass over the shuffled training reviews.
  func trainEpoch(_ epoch: Int, _ checkpoint: inout TrainingCheckpoint, sharded: ShardedGradient, reporter: TrainingReporter, lastGood: String?) throws -> EpochMetrics {
    let split = data.train
    let (B, T) = (configuration.batchSize, split.length)
    var order = Array(0..<split.count)
    var rng = SeededGenerator(seed: configuration.seed &+ UInt64(epoch) &* 0x9E37_79B9_7F4A_7C15)
    rng.shuffle(&order)
    let steps = (split.count + B - 1) / B
    var (lossSum, correct, seen) = (0.0, 0, 0)
    var norms: [Double] = []
    let start = DispatchTime.now().uptimeNanoseconds
    var tokens = [Int32](repeating: 0, count: B * T)
    var labels = [Float](repeating: 0, count: B)
    for step in 0..<steps {
      let batch = order[(step * B)..<min((step + 1) * B, split.count)]
      for (row, review) in batch.enumerated() {
        tokens.replaceSubrange((row * T)..<((row + 1) * T), with: split.tokens[(review * T)..<((review + 1) * T)])
        labels[row] = split.labels[review]
      }
      var result = sharded.compute(checkpoint.model, tokens: tokens[0..<(batch.count * T)], labels: labels[0..<batch.count])
      guard result.loss.isFinite else {
        throw TrainingError.nonFinite(epoch: epoch, step: step + 1, what: "the training loss", value: Double(result.loss), checkpoint: lastGood)
      }
      let norm = Double(result.gradient.globalNorm)
      guard norm.isFinite else {
        throw TrainingError.nonFinite(epoch: epoch, step: step + 1, what: "the gradient norm", value: norm, checkpoint: lastGood)
      }
      norms.append(norm)
      if let clip = configuration.clipNorm { result.gradient.clipGlobalNorm(to: Float(clip)) }
      checkpoint.optimizer.update(&checkpoint.model, with: result.gradient)
      lossSum += Double(result.loss) * Double(batch.count)
      correct += result.correct
      seen += batch.count
      if step % 10 == 9 || step == steps - 1 {
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let rate = Double(step + 1) / elapsed
        reporter.progress(TrainingProgress(
          epoch: epoch, epochs: configuration.epochs, step: step + 1, steps: steps, loss: lossSum / Double(seen),
          accuracy: Double(correct) / Double(seen), stepsPerSecond: rate, epochSecondsLeft: Double(steps - step - 1) / rate))
      }
    }
    norms.sort()
    return EpochMetrics(
      epoch: epoch, trainLoss: lossSum / Double(seen), trainAccuracy: Double(correct) / Double(seen),
      validationLoss: .nan, validationAccuracy: .nan,
      seconds: Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9,
      gradientNormMedian: norms[norms.count / 2], gradientNormMax: norms.last ?? .nan)
  }

  func summarize(_ state: State, reporter: TrainingReporter) throws -> TrainingSummary {
    func result(_ checkpoint: TrainingCheckpoint) throws -> TrainingSummary.Result {
      let row = try state.metrics.rows.map(EpochMetrics.init(row:)).first { $0.epoch == checkpoint.epoch }
      let test = Evaluation.run(checkpoint.model, on: data.test, batchSize: 256, threads: configuration.threads)
      return TrainingSummary.Result(
        epoch: checkpoint.epoch, validationLoss: row?.validationLoss ?? .nan, validationAccuracy: row?.validationAccuracy ?? .nan,
        testLoss: test.loss, testAccuracy: test.accuracy)
    }
    reporter.log("evaluating the last and the best-validation epochs on \(data.test.count) test reviews")
    let best = FileManager.default.fileExists(atPath: bestURL.path) ? try TrainingCheckpoint.read(from: bestURL) : state.checkpoint
    let summary = TrainingSummary(last: try result(state.checkpoint), bestValidation: try result(best))
    try JSONEncoder.pretty.encode(summary).write(to: output.appendingPathComponent("results.json"), options: .atomic)
    return summary
  }
}

/// config.json: the configuration and the command that reproduces the run.
struct RunDescription: Codable {
  var command: String
  var configuration: TrainingConfiguration
}

extension JSONEncoder {
  static var pretty: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }
}

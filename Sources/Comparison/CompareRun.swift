import Dispatch
import Foundation
import IMDB
import Linalg
import Recurrent
import SeededRandom
import StopSignals
import Storage
import Training

/// Trains every unit of a comparison that has no record yet, into `output/units/`:
/// `<unit>.json` (`UnitRecord`), `<unit>.predictions.tsv` (every test review's logit) and,
/// for the recurrent models, `<unit>.gradients.tsv` (||dL/dh_t|| over t on the first
/// validation reviews, best-validation weights, in Double) and `<unit>.spectra.tsv` (W_h's
/// spectrum per gate block and the measured decay rate, before training and after every
/// epoch). Files are written atomically and
/// the record last, so a stop loses only the unit in progress and a rerun continues.
public struct CompareRun: Sendable {
  public let configuration: CompareConfiguration
  public let output: URL

  public init(configuration: CompareConfiguration, output: URL) {
    self.configuration = configuration
    self.output = output
  }

  /// Where the units' files are.
  public var folder: CompareFolder { CompareFolder(output: output, units: configuration.units) }
  public var unitsFolder: URL { folder.unitsFolder }
  func url(_ unit: CompareUnit, _ suffix: String) -> URL { folder.url(unit, suffix) }

  /// The units with a record in the output folder.
  public var finishedUnits: [CompareUnit] { folder.finishedUnits }

  /// The record of a finished unit.
  public func record(_ unit: CompareUnit) throws -> UnitRecord { try folder.record(unit) }

  /// Trains the missing units; `load` returns the IMDB data for one length and padding.
  /// `epochFinished` hears the unit in training and its epochs so far, after each epoch.
  public func run(
    load: (IMDBOptions) throws -> IMDBData, reporter: TrainingReporter,
    epochFinished: (CompareUnit, [EpochMetrics]) -> Void = { _, _ in }
  ) throws {
    try configuration.validate()
    try OutputFolder.checkWritable(unitsFolder)
    // One comparison at a time per folder, so two never train the same unit.
    let lock = try OutputFolderLock(output)
    defer { lock.release() }
    OutputFolder.removeStaleTemporaries(in: unitsFolder)
    try FileManager.default.createDirectory(at: unitsFolder, withIntermediateDirectories: true)
    let sharded = ShardedGradient(shards: configuration.threads)
    sharded.prepareProcess()
    let done = Set(finishedUnits)
    // A finished unit trained with other settings would be mixed in silently: refuse it.
    for unit in done {
      let record = try self.record(unit)
      let differences =
        record.settings.map { $0.differences(from: configuration.unitSettings) }
        ?? (record.epochs.count == configuration.epochs ? [] : ["epochs \(record.epochs.count) vs \(configuration.epochs)"])
      guard differences.isEmpty else {
        throw TrainingError.invalidConfiguration(
          "\(url(unit, ".json").path) was trained with other settings (\(differences.joined(separator: ", ")) in this comparison); use the same flags or another --output")
      }
    }
    let missing = configuration.units.filter { !done.contains($0) }
    reporter.log("\(done.count) of \(configuration.units.count) units already trained; BLAS kernels \(BLASRuntime.coreName)")
    let stop = CompareStop(folder: folder)
    let stopAction = StopSignals.onStop { reporter.log(stop.stopped(signal: $0)) }
    defer { stopAction.remove() }
    var loaded: (options: IMDBOptions, data: IMDBData)?
    for unit in missing {
      let options = configuration.dataOptions(length: unit.length, padding: unit.padding)
      if loaded?.options != options { loaded = (options, try load(options)) }
      guard let data = loaded?.data else { continue }
      stop.started(unit)
      reporter.log("training \(unit.name)")
      let c = configuration
      switch unit.model.cell {
      case .some(let cell):
        let model = SequenceClassifier<Float>(kind: cell, vocabularySize: c.vocabularySize, embeddingSize: c.embeddingSize, hiddenSize: c.hiddenSize, seed: unit.seed)
        // Before training and after every epoch: W_h's spectrum and the measured decay rate.
        let probe = GradientProbe(split: data.validation, count: max(c.probeReviews, 1))
        var spectra = TSVTable(header: RecurrentSpectrum.header)
        let best = try train(model, unit: unit, data: data, sharded: sharded, reporter: reporter, epochFinished: epochFinished) { model, epoch in
          guard c.probeReviews > 0 else { return }
          spectra.rows += RecurrentSpectrum.rows(model, cell: cell, epoch: epoch, gradientRows: probe.rows(model, cell: cell, epoch: epoch))
        }
        if c.probeReviews > 0 {
          try TSVTable(header: GradientProbe.header, rows: probe.rows(best.model, cell: cell, epoch: best.epoch)).write(to: url(unit, ".gradients.tsv"))
          try spectra.write(to: url(unit, ".spectra.tsv"))
        }
        try finish(unit, best: best.model, bestEpoch: best.epoch, epochs: best.epochs, data: data)
      case .none:
        let model = TextCNN<Float>(vocabularySize: c.vocabularySize, embeddingSize: c.embeddingSize, widths: c.widths, filters: c.filters, seed: unit.seed)
        let best = try train(model, unit: unit, data: data, sharded: sharded, reporter: reporter, epochFinished: epochFinished)
        try finish(unit, best: best.model, bestEpoch: best.epoch, epochs: best.epochs, data: data)
      }
    }
  }

  /// Up to `epochs` passes over the shuffled training reviews (shuffles seeded per epoch),
  /// keeping the weights of the epoch with the lowest validation loss and stopping after
  /// `patience` epochs without a lower one (0: never). `observe` sees the weights before
  /// training (epoch 0) and after every epoch; `epochFinished` hears the epochs so far.
  func train<Model: SentimentModel>(
    _ initial: Model, unit: CompareUnit, data: IMDBData, sharded: ShardedGradient, reporter: TrainingReporter,
    epochFinished: (CompareUnit, [EpochMetrics]) -> Void, observe: (Model, Int) throws -> Void = { _, _ in }
  ) throws -> (model: Model, epoch: Int, epochs: [EpochMetrics]) where Model.Scalar == Float {
    let (B, split) = (configuration.batchSize, data.train)
    let T = split.length
    var model = initial
    var optimizer = Adam(for: model, learningRate: configuration.learningRate)
    optimizer.flushDenormals = true
    var best = (model: model, epoch: 0, loss: Double.infinity)
    var epochs: [EpochMetrics] = []
    var tokens = [Int32](repeating: 0, count: B * T)
    var labels = [Float](repeating: 0, count: B)
    try observe(model, 0)
    for epoch in 1...configuration.epochs {
      var order = Array(0..<split.count)
      var rng = SeededGenerator(seed: unit.seed, stream: UInt64(epoch))
      rng.shuffle(&order)
      var (lossSum, correct) = (0.0, 0)
      var norms: [Double] = []
      let start = DispatchTime.now().uptimeNanoseconds
      for (step, first) in stride(from: 0, to: split.count, by: B).enumerated() {
        let batch = order[first..<min(first + B, split.count)]
        for (row, review) in batch.enumerated() {
          tokens.replaceSubrange((row * T)..<((row + 1) * T), with: split.row(review))
          labels[row] = split.labels[review]
        }
        let result = sharded.compute(model, tokens: tokens[0..<(batch.count * T)], labels: labels[0..<batch.count])
        guard result.loss.isFinite else {
          throw TrainingError.nonFinite(epoch: epoch, step: step + 1, what: "the training loss of \(unit.name)", value: Double(result.loss), checkpoint: nil)
        }
        norms.append(result.gradient.globalNorm)
        optimizer.update(&model, with: result.gradient)
        lossSum += Double(result.loss) * Double(batch.count)
        correct += result.correct
      }
      let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
      let validation = Evaluation.run(model, on: data.validation, batchSize: Evaluation.forwardBatch, threads: configuration.threads)
      norms.sort()
      let record = EpochMetrics(
        epoch: epoch, trainLoss: lossSum / Double(split.count), trainAccuracy: Double(correct) / Double(split.count),
        validationLoss: validation.loss, validationAccuracy: validation.accuracy, seconds: seconds,
        gradientNormMedian: norms[norms.count / 2], gradientNormMax: norms.last ?? .nan)
      epochs.append(record)
      if validation.loss < best.loss { best = (model, epoch, validation.loss) }
      try observe(model, epoch)
      reporter.log(String(format: "%@ epoch %d: loss %.4f acc %.4f val_loss %.4f val_acc %.4f (%.1f s)", unit.name, epoch, record.trainLoss, record.trainAccuracy, record.validationLoss, record.validationAccuracy, seconds))
      epochFinished(unit, epochs)
      if configuration.patience > 0 && epoch - best.epoch >= configuration.patience {
        reporter.log("\(unit.name): no lower validation loss for \(configuration.patience) epochs; stopping at epoch \(epoch), best epoch \(best.epoch)")
        break
      }
    }
    return (best.model, best.epoch, epochs)
  }

  /// The test predictions of the best-validation weights, then the record.
  func finish<Model: SentimentModel>(_ unit: CompareUnit, best: Model, bestEpoch: Int, epochs: [EpochMetrics], data: IMDBData) throws where Model.Scalar == Float {
    let logits = Evaluation.logits(best, on: data.test, batchSize: Evaluation.forwardBatch, threads: configuration.threads)
    let predictions = UnitPredictions(lengths: data.test.lengths.map(Int.init), labels: data.test.labels, logits: logits)
    try predictions.table.write(to: url(unit, ".predictions.tsv"))
    let logitMatrix = Matrix<Double>(rows: logits.count, cols: 1, storage: logits.map(Double.init))
    let record = UnitRecord(
      unit: unit, settings: configuration.unitSettings, epochs: epochs, bestEpoch: bestEpoch,
      testLoss: BinaryCrossEntropy.loss(logits: logitMatrix, labels: data.test.labels.map(Double.init)[...]),
      testAccuracy: Double(predictions.correct.filter { $0 }.count) / Double(logits.count),
      parameterCount: best.parameterCount, blasCore: BLASRuntime.coreName, machine: MachineDescription.cpuModel)
    try JSONEncoder.pretty.encode(record).write(to: url(unit, ".json"), options: .atomic)
  }
}

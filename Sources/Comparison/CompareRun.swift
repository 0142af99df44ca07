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

  /// The record of a finished unit, checked against this comparison's settings.
  public func record(_ unit: CompareUnit) throws -> UnitRecord { try folder.record(unit, settings: configuration.unitSettings) }

  /// The unit at `index` of `configuration.units` (0-based), for one job of a sweep spread
  /// over processes or machines.
  public func unit(at index: Int) throws -> CompareUnit {
    let units = configuration.units
    guard units.indices.contains(index) else {
      throw TrainingError.invalidConfiguration("--unit must be in 0...\(units.count - 1) (this comparison has \(units.count) units; --list-units lists them), got \(index)")
    }
    return units[index]
  }

  /// Trains the missing units (or only `only`); `load` returns the IMDB data for one length
  /// and padding. `epochFinished` hears the unit in training and its epochs so far, after
  /// each epoch. Every check (settings, records, the data of finished units) comes before
  /// the first unit trains.
  public func run(
    load: (IMDBOptions) throws -> IMDBData, reporter: TrainingReporter,
    epochFinished: (CompareUnit, [EpochMetrics]) -> Void = { _, _ in }, only: CompareUnit? = nil
  ) throws {
    try configuration.validate()
    // One whole comparison at a time per folder; a one-unit job leaves the folder to the
    // other jobs and locks its unit alone (below).
    let lock: OutputFolderLock?
    if only == nil {
      lock = try OutputFolderLock(output)
      try OutputFolder.checkWritable(unitsFolder)
      OutputFolder.removeStaleTemporaries(in: unitsFolder)
    } else {
      lock = nil
      try OutputFolderLock.checkFree(output)
    }
    defer { lock?.release() }
    // Jobs start together: creating the folders (kept, unlike a check's) cannot race.
    _ = try OutputFolder.createMissing(unitsFolder)
    let sharded = ShardedGradient(shards: configuration.threads)
    sharded.prepareProcess()
    // A finished unit trained with other settings would be mixed in silently: refuse it.
    let done = Set(finishedUnits)
    let records = try configuration.units.filter(done.contains).map(record)
    let missing = configuration.units.filter { !done.contains($0) && (only == nil || $0 == only) }
    reporter.log("\(done.count) of \(configuration.units.count) units already trained; BLAS kernels \(BLASRuntime.coreName)")
    // The data of every length and padding still to train, against the units trained on it.
    var loaded: (options: IMDBOptions, data: IMDBData)?
    for options in Self.distinct(missing.map { configuration.dataOptions(length: $0.length, padding: $0.padding) }) {
      let trained = records.filter { configuration.dataOptions(length: $0.unit.length, padding: $0.unit.padding) == options && $0.dataFingerprint != nil }
      guard let first = trained.first, let fingerprint = first.dataFingerprint else { continue }
      if loaded?.options != options { loaded = (options, try load(options)) }
      if let data = loaded?.data, data.fingerprint != fingerprint {
        throw TrainingError.invalidConfiguration(
          "\(url(first.unit, ".json").path) was trained on other data (fingerprint \(fingerprint)) than --data gives (\(data.fingerprint)); use the --data of the first run, or another --output")
      }
    }
    let stop = CompareStop(folder: folder)
    let stopAction = StopSignals.onStop { reporter.log(stop.stopped(signal: $0)) }
    defer { stopAction.remove() }
    for unit in missing {
      let options = configuration.dataOptions(length: unit.length, padding: unit.padding)
      if loaded?.options != options { loaded = (options, try load(options)) }
      guard let data = loaded?.data else { continue }
      // Two jobs never train one unit: each holds the unit's lock while it trains.
      let unitLock = try OutputFolderLock(unitsFolder, fileName: ".\(unit.name).lock")
      defer { unitLock.release() }
      guard !FileManager.default.fileExists(atPath: url(unit, ".json").path) else { continue }
      if only != nil { OutputFolder.removeStaleTemporaries(in: unitsFolder, prefix: ".\(unit.name).") }
      stop.started(unit)
      reporter.log("training \(unit.name)")
      let c = configuration
      if let cell = unit.model.cell {
        let model = SequenceClassifier<Float>(kind: cell, vocabularySize: c.vocabularySize, embeddingSize: c.embeddingSize, hiddenSize: c.hiddenSize, seed: unit.seed)
        // Before training and after every epoch: W_h's spectrum and the measured decay rate.
        let probe = GradientProbe(split: data.validation, count: max(c.probeReviews, 1))
        var spectra = TSVTable(header: RecurrentSpectrum.header)
        let best = try train(model, unit: unit, data: data, sharded: sharded, reporter: reporter, epochFinished: epochFinished) { model, epoch in
          guard c.probeReviews > 0 else { return }
          spectra.rows += RecurrentSpectrum.rows(model, cell: cell, epoch: epoch, gradientNorms: probe.norms(model))
        }
        if c.probeReviews > 0 {
          try TSVTable(header: GradientProbe.header, rows: GradientProbe.rows(probe.norms(best.model), cell: cell, epoch: best.epoch))
            .write(to: url(unit, ".gradients.tsv"))
          try spectra.write(to: url(unit, ".spectra.tsv"))
        }
        try finish(unit, best: best.model, bestEpoch: best.epoch, epochs: best.epochs, data: data)
      } else if let recurrence = unit.model.diagonal {
        // The gradient probe and W_h's spectrum are the RecurrentLayer's: not recorded here.
        if c.probeReviews > 0 { reporter.log("\(unit.name): no gradients.tsv or spectra.tsv (the probes read RecurrentLayer cells only)") }
        let model = DiagonalClassifier<Float>(recurrence: recurrence, vocabularySize: c.vocabularySize, embeddingSize: c.embeddingSize, hiddenSize: c.hiddenSize, seed: unit.seed)
        let best = try train(model, unit: unit, data: data, sharded: sharded, reporter: reporter, epochFinished: epochFinished)
        try finish(unit, best: best.model, bestEpoch: best.epoch, epochs: best.epochs, data: data)
      } else {
        let model = TextCNN<Float>(vocabularySize: c.vocabularySize, embeddingSize: c.embeddingSize, widths: c.widths, filters: c.filters, seed: unit.seed)
        let best = try train(model, unit: unit, data: data, sharded: sharded, reporter: reporter, epochFinished: epochFinished)
        try finish(unit, best: best.model, bestEpoch: best.epoch, epochs: best.epochs, data: data)
      }
    }
  }

  /// `items` without repeats, in their first order.
  static func distinct<T: Equatable>(_ items: [T]) -> [T] {
    items.reduce(into: []) { if !$0.contains($1) { $0.append($1) } }
  }

  /// Up to `epochs` passes over the shuffled training reviews (shuffles seeded per epoch),
  /// keeping the weights of the epoch with the lowest validation loss and stopping after
  /// `patience` epochs without a lower one (0: never). `observe` sees the weights before
  /// training (epoch 0) and after every epoch; `epochFinished` hears the epochs so far.
  func train<Model: SentimentModel>(
    _ initial: Model, unit: CompareUnit, data: IMDBData, sharded: ShardedGradient, reporter: TrainingReporter,
    epochFinished: (CompareUnit, [EpochMetrics]) -> Void, observe: (Model, Int) throws -> Void = { _, _ in }
  ) throws -> (model: Model, epoch: Int, epochs: [EpochMetrics]) where Model.Scalar == Float {
    var model = initial
    let c = configuration
    var optimizer = c.optimizer.make(for: model, learningRate: c.learningRate, momentum: c.momentum, flushDenormals: true)
    var best = (model: model, epoch: 0, loss: Double.infinity)
    var epochs: [EpochMetrics] = []
    var loop = EpochLoop(split: data.train, batchSize: c.batchSize, seed: unit.seed, clip: c.clipNorm, sharded: sharded)
    loop.subject = " of \(unit.name)"
    try observe(model, 0)
    for epoch in 1...configuration.epochs {
      var record = try loop.run(epoch: epoch, &model, optimizer: &optimizer)
      let seconds = record.seconds
      let validation = Evaluation.run(model, on: data.validation, batchSize: Evaluation.forwardBatch, threads: configuration.threads)
      record.validationLoss = validation.loss
      record.validationAccuracy = validation.accuracy
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
      parameterCount: best.parameterCount, blasCore: BLASRuntime.coreName, machine: MachineDescription.cpuModel,
      dataFingerprint: data.fingerprint)
    try AtomicFile.write(JSONEncoder.pretty.encode(record), to: url(unit, ".json"))
  }
}

import Dispatch
import Foundation
import IMDB
import Linalg
import Recurrent
import SeededRandom
import StopSignals
import Storage

/// An IMDB training run in an output folder, resumable after every epoch.
///
/// The folder holds `config.json`, `metrics.tsv` (one row per epoch), `spectra.tsv` (W_h's
/// spectral norm and radius per gate block with the measured decay rate, at `gradientEpochs`), `gradients.tsv`
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
  /// Write `steps.tsv`, one row per optimiser step (see `StepLog`).
  public var logSteps = false

  public init(configuration: TrainingConfiguration, data: IMDBData, output: URL) {
    self.configuration = configuration
    self.data = data
    self.output = output
  }

  var checkpointURL: URL { output.appendingPathComponent("checkpoint.safetensors") }
  var bestURL: URL { output.appendingPathComponent("best.safetensors") }
  var metricsURL: URL { output.appendingPathComponent("metrics.tsv") }
  var gradientsURL: URL { output.appendingPathComponent("gradients.tsv") }
  var stepsURL: URL { output.appendingPathComponent("steps.tsv") }

  /// Trains from scratch, or from the folder's checkpoint when `resume` is set.
  public func run(resume: Bool, reporter: TrainingReporter) throws -> TrainingSummary {
    try configuration.validate()
    guard data.train.count > 0, data.validation.count > 0, data.test.count > 0 else {
      throw TrainingError.invalidConfiguration("the data have \(data.train.count) training, \(data.validation.count) validation and \(data.test.count) test reviews; each split needs at least one")
    }
    // Until the starting state is known, a stop has saved nothing new.
    let starting = StopSignals.onStop { [output] _ in
      reporter.log("stopped before training started: nothing new is saved in \(output.path); run the same command to start again")
    }
    defer { starting.remove() }
    let lock = try claimOutput(resume: resume)
    defer { lock.release() }
    let sharded = ShardedGradient(shards: configuration.threads)
    sharded.prepareProcess()
    reporter.log(
      "BLAS kernels \(BLASRuntime.coreName)\(BLASRuntime.usesGenericKernels ? " (generic and slow: set OPENBLAS_CORETYPE)" : ""), "
        + "\(configuration.threads) shard\(configuration.threads == 1 ? "" : "s") of the batch on as many threads, subnormals flushed to zero")

    let fingerprint = data.fingerprint
    var state = try startingState(resume: resume, dataFingerprint: fingerprint, reporter: reporter)
    let stop = TrainingStop(output: output, command: command, savedEpoch: state.checkpoint.epoch)
    starting.remove()
    let stopAction = StopSignals.onStop { reporter.log(stop.message(signal: $0)) }
    defer { stopAction.remove() }
    let probe = GradientProbe(split: data.validation, count: configuration.batchSize)
    guard state.checkpoint.epoch < configuration.epochs else {
      // config.json keeps describing the epochs the results come from.
      reporter.log("the checkpoint has reached epoch \(state.checkpoint.epoch) of \(configuration.epochs): nothing to train")
      return try summarize(state, reporter: reporter)
    }
    try writeDescription()
    try recordGradientsIfDue(&state, probe: probe)

    for epoch in (state.checkpoint.epoch + 1)...configuration.epochs {
      var metrics = try trainEpoch(epoch, &state.checkpoint, stepLog: &state.steps, sharded: sharded, reporter: reporter)
      let validation = Evaluation.run(state.checkpoint.model, on: data.validation, batchSize: Evaluation.forwardBatch, threads: configuration.threads)
      metrics.validationLoss = validation.loss
      metrics.validationAccuracy = validation.accuracy
      state.checkpoint.epoch = epoch
      state.checkpoint.metrics = metrics
      // Order matters for a stop at any point: best, then checkpoint (which carries the
      // metrics row), then the tables. A stop before the checkpoint retrains this epoch to
      // the same weights; a stop after it restores the row from the checkpoint.
      if validation.loss < state.checkpoint.bestValidationLoss {
        state.checkpoint.bestValidationLoss = validation.loss
        state.checkpoint.bestEpoch = epoch
        try state.checkpoint.write(to: bestURL)
      }
      // A stop names the epoch the checkpoint on disk holds.
      try StopSignals.uninterruptible {
        try state.checkpoint.write(to: checkpointURL)
        stop.saved(epoch)
      }
      state.metrics.append(metrics)
      try TSVTable(header: EpochMetrics.header, rows: state.metrics.map(\.row)).write(to: metricsURL)
      try state.steps?.table.write(to: stepsURL)
      try recordGradientsIfDue(&state, probe: probe)
      reporter.epochFinished(metrics)
    }
    return try summarize(state, reporter: reporter)
  }

  struct State {
    var checkpoint: TrainingCheckpoint
    var metrics: [EpochMetrics]
    var gradients: TSVTable
    var steps: StepLog?
  }

  /// Fails, before any work, when `output` cannot take this run: it cannot be written, another
  /// run holds it, or it holds a run already and `resume` is off. Leaves nothing behind.
  public static func checkOutput(_ output: URL, resume: Bool) throws {
    try OutputFolder.checkWritable(output)
    try OutputFolderLock.checkFree(output)
    try checkNoRun(in: output, resume: resume)
  }

  /// Unless `resume` is set, a folder that holds a checkpoint is another run's.
  static func checkNoRun(in output: URL, resume: Bool) throws {
    let checkpoint = output.appendingPathComponent("checkpoint.safetensors")
    if !resume, FileManager.default.fileExists(atPath: checkpoint.path) {
      throw TrainingError.checkpointMismatch(
        path: checkpoint.path, reason: "the output folder already holds a run; pass --resume to continue it, or choose another --output")
    }
  }

  /// Locks the folder for this run (creating it), checks it again under the lock and removes
  /// the temporary files of a run that was stopped mid-write.
  func claimOutput(resume: Bool) throws -> OutputFolderLock {
    try Self.checkOutput(output, resume: resume)
    let lock = try OutputFolderLock(output)
    try Self.checkNoRun(in: output, resume: resume)
    OutputFolder.removeStaleTemporaries(in: output)
    return lock
  }

  /// config.json: the configuration and the command that reproduces the run.
  func writeDescription() throws {
    try AtomicFile.write(
      JSONEncoder.pretty.encode(RunDescription(command: command, configuration: configuration)),
      to: output.appendingPathComponent("config.json"))
  }

  func startingState(resume: Bool, dataFingerprint: String, reporter: TrainingReporter) throws -> State {
    var checkpoint = TrainingCheckpoint(configuration: configuration)
    checkpoint.dataFingerprint = dataFingerprint
    var state = State(
      checkpoint: checkpoint,
      metrics: [], gradients: TSVTable(header: GradientProbe.header),
      steps: logSteps ? StepLog() : nil)
    guard resume, FileManager.default.fileExists(atPath: checkpointURL.path) else {
      if resume { reporter.log("no checkpoint in \(output.path) yet: starting from epoch 1") }
      return state
    }
    let saved = try TrainingCheckpoint.read(from: checkpointURL)
    let differences = configuration.differences(from: saved.configuration)
    guard differences.isEmpty else {
      throw TrainingError.checkpointMismatch(
        path: checkpointURL.path,
        reason: "it was made with other settings (\(differences.joined(separator: "; "))). Only --epochs and --gradient-epochs may change on resume; config.json there holds the original command")
    }
    if let trained = saved.dataFingerprint, trained != dataFingerprint {
      throw TrainingError.checkpointMismatch(
        path: checkpointURL.path,
        reason: "it was trained on other data (fingerprint \(trained)) than this run loaded (\(dataFingerprint)); resume with the --data of the first run (config.json there holds its command), or choose another --output")
    }
    if saved.blasCore != BLASRuntime.coreName {
      reporter.log("warning: the checkpoint was computed with BLAS kernels \(saved.blasCore), this run uses \(BLASRuntime.coreName): results will not match an uninterrupted run bit for bit")
    }
    state.checkpoint = saved
    state.checkpoint.configuration = configuration
    state.checkpoint.dataFingerprint = dataFingerprint
    // The tables up to the checkpoint's epoch; its own row comes from the checkpoint if the
    // stop fell between writing the two.
    state.metrics = try Self.readTable(metricsURL, header: EpochMetrics.header).rows
      .map(EpochMetrics.init(row:)).filter { $0.epoch < saved.epoch }
    if let last = saved.metrics { state.metrics.append(last) }
    state.gradients.rows = try Self.readTable(gradientsURL, header: GradientProbe.header).rows
      .filter { (Int($0[1]) ?? .max) <= saved.epoch }
    if logSteps {
      state.steps?.table = try Self.readTable(stepsURL, header: StepLog.header)
      state.steps?.keep(throughEpoch: saved.epoch)
    }
    reporter.log("resuming \(output.path) after epoch \(saved.epoch) of \(configuration.epochs)")
    return state
  }

  /// A table of the run, or an empty one if the file does not exist yet; any other problem
  /// (unreadable, malformed) is an error rather than a silent overwrite.
  public static func readTable(_ url: URL, header: [String]) throws -> TSVTable {
    guard FileManager.default.fileExists(atPath: url.path) else { return TSVTable(header: header) }
    let table = try TSVTable.read(from: url)
    guard table.header == header else {
      throw TSVError(path: url.path, problem: "has the header \(TSVTable.excerpt(table.header)), expected \(header.joined(separator: " "))")
    }
    return table
  }

  /// Records dL/dh_t on the probe batch if the checkpoint's epoch is a recording epoch and
  /// its rows are not in the table yet (also after a stop right before recording).
  func recordGradientsIfDue(_ state: inout State, probe: GradientProbe) throws {
    let epoch = state.checkpoint.epoch
    guard configuration.gradientEpochs.contains(epoch), !state.gradients.rows.contains(where: { $0[1] == String(epoch) }) else { return }
    let norms = probe.norms(state.checkpoint.model)
    state.gradients.rows += GradientProbe.rows(norms, cell: configuration.cell, epoch: epoch)
    try state.gradients.write(to: gradientsURL)
    // spectra.tsv: W_h's spectrum per gate block beside the measured decay rate.
    let spectraURL = output.appendingPathComponent("spectra.tsv")
    var spectra = try Self.readTable(spectraURL, header: RecurrentSpectrum.header)
    spectra.rows = spectra.rows.filter { (Int($0[1]) ?? .max) < epoch }
      + RecurrentSpectrum.rows(state.checkpoint.model, cell: configuration.cell, epoch: epoch, gradientNorms: norms)
    try spectra.write(to: spectraURL)
  }

  /// One pass over the shuffled training reviews (`EpochLoop`), with the step log and the
  /// progress line.
  func trainEpoch(
    _ epoch: Int, _ checkpoint: inout TrainingCheckpoint, stepLog: inout StepLog?, sharded: ShardedGradient, reporter: TrainingReporter
  ) throws -> EpochMetrics {
    var loop = EpochLoop(split: data.train, batchSize: configuration.batchSize, seed: configuration.seed, clip: configuration.clipNorm, sharded: sharded)
    loop.lastGood = checkpoint.epoch > 0 ? checkpointURL.path : nil
    let steps = loop.steps
    return try loop.run(epoch: epoch, &checkpoint.model, optimizer: &checkpoint.optimizer, keepBefore: stepLog != nil) { outcome, tally in
      let step = outcome.index
      if let before = outcome.before {
        stepLog?.record(
          epoch: epoch, step: step + 1, record: outcome.record, applied: outcome.applied,
          before: before, after: outcome.model, optimizer: outcome.optimizer)
      }
      if step % 10 == 9 || step == steps - 1 {
        let rate = Double(step + 1) / tally.seconds
        reporter.progress(TrainingProgress(
          epoch: epoch, epochs: configuration.epochs, step: step + 1, steps: steps, loss: tally.lossSum / Double(tally.seen),
          accuracy: Double(tally.correct) / Double(tally.seen), stepsPerSecond: rate, epochSecondsLeft: Double(steps - step - 1) / rate,
          runSecondsLeft: Double(steps - step - 1 + (configuration.epochs - epoch) * steps) / rate))
      }
    }
  }

  func summarize(_ state: State, reporter: TrainingReporter) throws -> TrainingSummary {
    func result(_ checkpoint: TrainingCheckpoint) -> TrainingSummary.Result {
      let row = state.metrics.first { $0.epoch == checkpoint.epoch }
      let test = Evaluation.run(checkpoint.model, on: data.test, batchSize: Evaluation.forwardBatch, threads: configuration.threads)
      return TrainingSummary.Result(
        epoch: checkpoint.epoch, validationLoss: row?.validationLoss ?? .nan, validationAccuracy: row?.validationAccuracy ?? .nan,
        testLoss: test.loss, testAccuracy: test.accuracy)
    }
    reporter.log("evaluating the last and the best-validation epochs on \(data.test.count) test reviews")
    // When the last epoch is the best one, its test evaluation serves both.
    let last = result(state.checkpoint)
    let best = state.checkpoint.bestEpoch == state.checkpoint.epoch ? last : result(try TrainingCheckpoint.read(from: bestURL))
    let summary = TrainingSummary(last: last, bestValidation: best, blasCore: state.checkpoint.blasCore, machine: MachineDescription.cpuModel)
    try AtomicFile.write(JSONEncoder.pretty.encode(summary), to: output.appendingPathComponent("results.json"))
    return summary
  }
}

/// config.json: the configuration and the command that reproduces the run.
struct RunDescription: Codable {
  var command: String
  var configuration: TrainingConfiguration
}

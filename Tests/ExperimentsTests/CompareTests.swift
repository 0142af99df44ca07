import Comparison
import Foundation
import IMDB
import Storage
import Testing
import Training

/// `gradlab compare` on the tiny synthetic task of TrainingRunTests.
@Suite struct CompareTests {
  static func configuration() -> CompareConfiguration {
    var c = CompareConfiguration()
    c.models = [.rnn, .cnn]
    c.seeds = [1, 2]
    c.lengths = [12]
    c.epochs = 2
    c.vocabularySize = 20
    c.batchSize = 16
    c.embeddingSize = 5
    c.hiddenSize = 4
    c.widths = [2, 3]
    c.filters = 3
    c.learningRate = 0.01
    c.buckets = 3
    c.probeReviews = 8
    return c
  }

  @Test func tablesCountEveryTestReviewOncePerModelAndRerunsTrainNothing() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-compare-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    let data = TrainingRunTests.syntheticData(seed: 3)
    let run = CompareRun(configuration: Self.configuration(), output: output)
    try run.run(load: { _ in data }, reporter: TrainingReporter())
    #expect(run.finishedUnits.count == 4)
    let tables = try CompareTables(run: run)
    let overall = tables.overallTable
    #expect(overall.column("model") == ["rnn", "cnn"])
    #expect(overall.column("seeds") == ["2", "2"])
    let byLength = try tables.byLengthTable()
    for model in ["rnn", "cnn"] {
      let counts = byLength.rows.filter { $0[0] == model }.compactMap { Int($0[6]) }
      #expect(counts.reduce(0, +) == data.test.count, "\(model) bucket counts \(counts)")
    }
    // Gradients: T + 1 rows per recurrent unit, none for the CNN.
    #expect(tables.gradients.rows.count == 2 * 13)
    #expect(tables.gradients.rows.allSatisfy { $0[0] == "rnn" })
    // Spectra: epochs 0, 1, 2 of both RNN units, one gate block each, σ ≥ ρ.
    #expect(tables.spectra.rows.map { $0[4] } == ["0", "1", "2", "0", "1", "2"])
    for row in tables.spectra.rows {
      let (sigma, rho) = (Double(row[6]) ?? .nan, Double(row[7]) ?? .nan)
      // (1e-6: power iteration for σ converges slowly when all singular values are near 1, as
      // after the orthogonal initialisation.)
      #expect(rho <= sigma * (1 + 1e-6) && rho > 0, "rho \(rho), sigma \(sigma)")
    }

    // A rerun finds every unit finished; a deleted unit retrains to the same predictions.
    let predictionsURL = run.unitsFolder.appendingPathComponent("cnn-T12-pre-seed2.predictions.tsv")
    let before = try String(contentsOf: predictionsURL, encoding: .utf8)
    try FileManager.default.removeItem(at: run.unitsFolder.appendingPathComponent("cnn-T12-pre-seed2.json"))
    final class Log: @unchecked Sendable { var lines: [String] = [] }
    let log = Log()
    try run.run(load: { _ in data }, reporter: TrainingReporter(log: { log.lines.append($0) }))
    #expect(log.lines.filter { $0.hasPrefix("training ") } == ["training cnn-T12-pre-seed2"])
    #expect(try String(contentsOf: predictionsURL, encoding: .utf8) == before)

    // Units of another budget or other layer sizes are refused, not mixed in.
    var longer = Self.configuration()
    longer.epochs = 3
    var wider = Self.configuration()
    wider.hiddenSize = 6
    var sgd = Self.configuration()
    sgd.optimizer = .sgd
    for other in [longer, wider, sgd] {
      #expect(throws: UnitRecordError.self) { try CompareRun(configuration: other, output: output).run(load: { _ in data }, reporter: TrainingReporter()) }
    }

    // A comparison running in the folder keeps a second one out.
    let held = try OutputFolderLock(output)
    #expect(throws: OutputFolderInUse.self) { try run.run(load: { _ in data }, reporter: TrainingReporter()) }
    held.release()
    try run.run(load: { _ in data }, reporter: TrainingReporter())
  }

  @Test func patienceStopsAUnitAfterThatManyEpochsWithoutALowerValidationLoss() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-compare-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    var c = Self.configuration()
    c.epochs = 12
    c.patience = 2
    c.learningRate = 0.2  // overfits the 96 training reviews within a few epochs
    let run = CompareRun(configuration: c, output: output)
    try run.run(load: { _ in TrainingRunTests.syntheticData(seed: 3) }, reporter: TrainingReporter())
    let records = try CompareTables(run: run).records
    #expect(records.count == 4)
    for record in records {
      let losses = record.epochs.map(\.validationLoss)
      let best = try #require(losses.indices.min { losses[$0] < losses[$1] })
      #expect(record.bestEpoch == best + 1)
      // Either every epoch ran, or exactly `patience` epochs followed the best one.
      #expect(record.epochs.count == 12 || record.epochs.count == record.bestEpoch + 2, "\(record.unit.name): \(losses)")
    }
    #expect(records.contains { $0.epochs.count < 12 }, "no unit stopped early: \(records.map { $0.epochs.map(\.validationLoss) })")
    let overall = CompareTables.overallHeader
    #expect(overall.suffix(2) == ["epochs_mean", "train_seconds_mean"])
  }

  @Test func unitsTrainWithTheChosenOptimizerAndClippingAndRecordThem() throws {
    // SGD at a large step (lr 0.5, μ 0.9) moves the weights far; clipped to ||g|| ≤ 1e-6 each
    // step moves them at most lr · 1e-6 / (1 - μ) = 5e-6, so the validation loss stays put.
    func validationLosses(clip: Double?) throws -> (losses: [Double], settings: CompareSettings?) {
      let output = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-compare-\(UUID().uuidString)")
      defer { try? FileManager.default.removeItem(at: output) }
      var c = Self.configuration()
      (c.models, c.seeds, c.probeReviews) = ([.rnn], [1], 0)
      (c.optimizer, c.momentum, c.learningRate, c.clipNorm) = (.sgd, 0.9, 0.5, clip)
      let run = CompareRun(configuration: c, output: output)
      try run.run(load: { _ in TrainingRunTests.syntheticData(seed: 3) }, reporter: TrainingReporter())
      let record = try #require(CompareTables(run: run).records.first)
      return (record.epochs.map(\.validationLoss), record.settings)
    }
    let clipped = try validationLosses(clip: 1e-6)
    #expect(clipped.settings?.optimizer == .sgd && clipped.settings?.momentum == 0.9 && clipped.settings?.clipNorm == 1e-6)
    #expect(abs(clipped.losses[1] - clipped.losses[0]) < 1e-4, "clipped: \(clipped.losses)")
    let free = try validationLosses(clip: nil)
    #expect(free.settings?.clipNorm == nil)
    #expect(abs(free.losses[1] - free.losses[0]) > 1e-3, "unclipped: \(free.losses)")
  }

  @Test func lengthBucketsCutAtQuantilesAndKeepTies() {
    let buckets = LengthBuckets(lengths: [5, 1, 2, 3, 4, 6, 7, 8], count: 4)
    #expect(buckets.upperEdges == [2, 4, 6, 8])
    #expect([1, 2, 3, 8, 100].map(buckets.bucket(of:)) == [0, 0, 1, 3, 3])
    let ties = LengthBuckets(lengths: [3, 3, 3, 3, 3, 9], count: 3)
    #expect(ties.upperEdges == [3, 9])
    #expect(ties.range(1) == (4, 9))
  }

  @Test func refusesBadConfigurations() {
    var c = Self.configuration()
    c.lengths = [2]  // shorter than the widest CNN filter (3)
    #expect(throws: TrainingError.self) { try c.validate() }
    c = Self.configuration()
    c.seeds = [1, 1]
    #expect(throws: TrainingError.self) { try c.validate() }
    c = Self.configuration()
    c.momentum = 0.9  // Adam keeps its own moments
    #expect(throws: TrainingError.self) { try c.validate() }
    c.optimizer = .sgd
    #expect(throws: Never.self) { try c.validate() }
    c.clipNorm = 0
    #expect(throws: TrainingError.self) { try c.validate() }
  }
}

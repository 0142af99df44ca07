import Comparison
import Foundation
import IMDB
import Storage
import Testing
import Training

/// A comparison spread over jobs (`--unit`), and the checks that keep other runs' units out.
@Suite struct CompareSweepTests {
  static func folder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-compare-sweep-\(UUID().uuidString)")
  }

  /// The tables of a run with their wall-clock columns (seconds) left out.
  static func timeless(_ run: CompareRun) throws -> [String] {
    let tables = try CompareTables(run: run)
    func drop(_ table: TSVTable) -> String {
      let keep = table.header.indices.filter { !table.header[$0].contains("seconds") }
      return ([table.header] + table.rows).map { row in keep.map { row[$0] }.joined(separator: "\t") }.joined(separator: "\n")
    }
    return [drop(tables.runsTable), drop(tables.overallTable), drop(try tables.byLengthTable()), drop(tables.gradients), drop(tables.spectra)]
  }

  @Test func unitsTrainedOneByOneGiveTheTablesOfOneRun() throws {
    let (serial, spread) = (Self.folder(), Self.folder())
    defer { for url in [serial, spread] { try? FileManager.default.removeItem(at: url) } }
    let data = TrainingRunTests.syntheticData(seed: 3)
    let c = CompareTests.configuration()
    let whole = CompareRun(configuration: c, output: serial)
    try whole.run(load: { _ in data }, reporter: TrainingReporter())
    let jobs = CompareRun(configuration: c, output: spread)
    for index in [3, 1, 0, 2] {
      try jobs.run(load: { _ in data }, reporter: TrainingReporter(), only: try jobs.unit(at: index))
      #expect(jobs.finishedUnits.contains(try jobs.unit(at: index)))
    }
    #expect(try Self.timeless(jobs) == Self.timeless(whole))
    #expect(throws: TrainingError.self) { try jobs.unit(at: 4) }
    // A job does not start while a whole comparison holds the folder.
    let held = try OutputFolderLock(spread)
    #expect(throws: OutputFolderInUse.self) { try jobs.run(load: { _ in data }, reporter: TrainingReporter(), only: try jobs.unit(at: 0)) }
    held.release()
  }

  @Test func aRerunWithOtherDataIsRefusedBeforeItTrainsAnything() throws {
    let output = Self.folder()
    defer { try? FileManager.default.removeItem(at: output) }
    var c = CompareTests.configuration()
    c.models = [.cnn]
    c.seeds = [1]
    try CompareRun(configuration: c, output: output).run(load: { _ in TrainingRunTests.syntheticData(seed: 3) }, reporter: TrainingReporter())
    c.seeds = [1, 2]
    final class Log: @unchecked Sendable { var lines: [String] = [] }
    let log = Log()
    let run = CompareRun(configuration: c, output: output)
    #expect(throws: TrainingError.self) {
      try run.run(load: { _ in TrainingRunTests.syntheticData(seed: 4) }, reporter: TrainingReporter(log: { log.lines.append($0) }))
    }
    #expect(!log.lines.contains { $0.hasPrefix("training ") }, "\(log.lines)")
    #expect(run.finishedUnits.count == 1)
  }

  @Test func recordsWithImpossibleNumbersOrOtherSettingsStayOutOfTheTables() throws {
    let output = Self.folder()
    defer { try? FileManager.default.removeItem(at: output) }
    var c = CompareTests.configuration()
    c.models = [.cnn]
    c.seeds = [1]
    let run = CompareRun(configuration: c, output: output)
    try run.run(load: { _ in TrainingRunTests.syntheticData(seed: 3) }, reporter: TrainingReporter())
    try CompareTables(run: run).write(to: output)
    let tablesBefore = try Data(contentsOf: output.appendingPathComponent("compare_overall.tsv"))
    let recordURL = run.unitsFolder.appendingPathComponent("cnn-T12-pre-seed1.json")
    let good = try JSONDecoder.tolerant.decode(UnitRecord.self, from: Data(contentsOf: recordURL))
    var damaged: [UnitRecord] = []
    var r = good
    r.testAccuracy = 12.5
    damaged.append(r)
    r = good
    r.settings?.hiddenSize += 1
    damaged.append(r)
    r = good
    r.bestEpoch = 9
    damaged.append(r)
    r = good
    r.unit.seed = 2
    damaged.append(r)
    for record in damaged {
      try JSONEncoder.pretty.encode(record).write(to: recordURL)
      #expect(throws: UnitRecordError.self) { try CompareTables(run: run) }
      #expect(throws: UnitRecordError.self) { try run.run(load: { _ in TrainingRunTests.syntheticData(seed: 3) }, reporter: TrainingReporter()) }
    }
    // Flags that match no trained unit write no tables over the good ones.
    try JSONEncoder.pretty.encode(good).write(to: recordURL)
    var other = c
    other.seeds = [7]
    #expect(throws: TrainingError.self) { try CompareTables(run: CompareRun(configuration: other, output: output)).write(to: output) }
    #expect(try Data(contentsOf: output.appendingPathComponent("compare_overall.tsv")) == tablesBefore)
  }
}

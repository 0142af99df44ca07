@testable import Comparison
import Foundation
import Storage
@testable import Tasks
import Testing
import TestSupport
@testable import Training

/// Every table GradLab reads, damaged by seed (CRLF, a cut, a NaN, binary bytes): each read
/// ends with the same table (CRLF), a result, or one short line that names the file.
@Suite struct TableReaderFuzzTests {
  /// Writes each damaged copy of `text` as `name` in a fresh folder and reads it with `read`,
  /// which returns what it understood.
  func fuzz(_ name: String, _ text: String, seed: UInt64, read: (URL) throws -> String) throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent(name)
    try Data(text.utf8).write(to: url)
    let original = try read(url)
    for (what, bytes, sameTable) in Damage.tableVariants(of: text, count: 40, seed: seed) {
      try Data(bytes).write(to: url)
      do {
        let result = try read(url)
        if sameTable { #expect(result == original, "\(name), \(what)") }
      } catch {
        let message = "\(error)"
        #expect(!sameTable, "\(name), \(what): \(message)")
        #expect(!message.contains("\n") && message.count < 400 && message.contains(name), "\(name), \(what): \(message)")
      }
    }
  }

  @Test func predictionsOfAUnit() throws {
    let rows = (0..<12).map { "\(5 + $0)\t\(Float($0 % 2))\t\(Float($0) * 0.25 - 1)" }
    try fuzz("u.predictions.tsv", (["length\tlabel\tlogit"] + rows).joined(separator: "\n") + "\n", seed: 1) { url in
      let p = try UnitPredictions.read(from: url)
      return "\(p.lengths) \(p.labels) \(p.logits)"
    }
  }

  @Test func tablesOfATaskExperiment() throws {
    let settings = ["adding", "rnn", "10", "4", "8", "adam", "0.01", "0", "1", "none", "100", "0.0166", "1"]
    let row = settings + ["1", "50", "50", "0.01", "0.01", "NaN", "0", "0.3", "0.4", "2.5", "0.1", "0.5"]
    let text = ([TaskTables.runsHeader, row, Array(settings.dropLast()) + ["2"] + Array(row.dropFirst(settings.count))]).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
    try fuzz("runs.tsv", text, seed: 2) { url in
      let tables = try TaskTables.read(from: url.deletingLastPathComponent())
      return tables.summary.text
    }
  }

  @Test func stepsOfATrainingRun() throws {
    let rows = (1...40).map { step in
      ["\(1 + (step - 1) / 20)", "\((step - 1) % 20 + 1)", "\(step == 33 ? 90.0 : 0.5 + Double(step % 3) * 0.01)"] + Array(repeating: "0.1", count: StepLog.header.count - 3)
    }
    let text = ([StepLog.header] + rows).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
    try fuzz("steps.tsv", text, seed: 3) { url in
      let analysis = try StepLogAnalysis(steps: try TSVTable.read(from: url), path: url.path)
      return "\(analysis.spike(epoch: 2, cell: "rnn") ?? []) \(analysis.epochs.text)"
    }
  }

  @Test func metricsOfATrainingRun() throws {
    let rows = (1...3).map { epoch in [String(epoch)] + Array(repeating: "0.5", count: EpochMetrics.header.count - 1) }
    let text = ([EpochMetrics.header] + rows).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
    try fuzz("metrics.tsv", text, seed: 4) { url in
      let table = try TrainingRun.readTable(url, header: EpochMetrics.header)
      return "\(try table.rows.map(EpochMetrics.init(row:)).map(\.row))"
    }
  }

  @Test func aTableOfNothingButALineEndIsRefusedInOneLine() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("t.tsv")
    for bytes: [UInt8] in [[], [0x0D, 0x0A], [0x61, 0x0D, 0x62, 0x0A], [0x61, 0x00, 0x0A], [0xFF, 0xFE]] {
      try Data(bytes).write(to: url)
      #expect(throws: TSVError.self) { try TSVTable.read(from: url) }
    }
    try Data("a\tb\r\n1\t2\r\n\r\n3\t4".utf8).write(to: url)
    #expect(try TSVTable.read(from: url) == TSVTable(header: ["a", "b"], rows: [["1", "2"], ["3", "4"]]))
  }
}

import Foundation
import Recurrent
import Storage
import Tasks
import Testing

/// The task experiments' tables: one row per run, resumable, the same numbers on any thread.
@Suite struct TaskExperimentTests {
  static func experiment() -> TaskExperiment {
    var base = TaskConfiguration()
    (base.task, base.hiddenSize, base.batchSize, base.steps, base.evaluateEvery, base.testSize) = (.adding, 4, 8, 20, 10, 32)
    var experiment = TaskExperiment(name: "test", runs: TaskPlans.lengthSweep(base: base, cells: [.rnn, .lstm], lengths: [5], seeds: [1, 2]))
    experiment.profileSeed = 1
    experiment.logsSteps = { $0.cell == .rnn }
    return experiment
  }

  /// `timings.tsv` without its wall-clock column.
  static func events(_ timings: TSVTable) -> [[String]] { timings.rows.map { Array($0.dropLast()) } }

  @Test func tablesHoldEveryRunAndAResumeRunsOnlyWhatIsMissing() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-tasks-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    let first = try Self.experiment().run(output: output, log: { _ in })
    #expect(first.runs.rows.count == 4)
    #expect(first.runs.column("cell") == ["rnn", "rnn", "lstm", "lstm"] && first.runs.column("seed") == ["1", "2", "1", "2"])
    #expect(first.curves.rows.count == 4 * 2)  // evaluations at steps 10 and 20
    #expect(first.steps.rows.count == 2 * 20)  // the two RNN runs log every step
    #expect(first.gradients.rows.count == 2 * 2 * 6)  // seed 1 of each cell, two profiles, t = 0...5
    // The wall clock is in timings.tsv alone: each evaluation and each run's end.
    #expect(first.timings.rows.count == 4 * 3)
    #expect(first.timings.column("at")?.prefix(3) == ["evaluation", "evaluation", "end"] && first.timings.column("step")?.prefix(3) == ["10", "20", "20"])
    for table in [first.runs, first.curves, first.steps, first.gradients, first.summary] { #expect(!table.header.contains { $0.contains("seconds") }) }
    let summary = first.summary
    #expect(summary.column("runs") == ["2", "2"] && summary.column("cell") == ["rnn", "lstm"])

    // Remove one run from runs.tsv: the next start runs it, and only it, to the same numbers.
    let runsURL = output.appendingPathComponent("runs.tsv")
    var runs = try TSVTable.read(from: runsURL)
    runs.rows.remove(at: 1)
    try runs.write(to: runsURL)
    let lines = LogLines()
    let second = try Self.experiment().run(output: output, log: { lines.append($0) })
    #expect(lines.all.first?.contains("3 of 4 runs already done") == true, "\(lines.all)")
    for (a, b) in [(first.runs, second.runs), (first.curves, second.curves), (first.steps, second.steps), (first.gradients, second.gradients)] {
      #expect(a == b)
    }
    #expect(Self.events(first.timings) == Self.events(second.timings))
  }

  @Test func anExperimentWithABadRunIsRefusedBeforeAnyWork() {
    var experiment = Self.experiment()
    experiment.runs[2].length = 1
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-tasks-\(UUID().uuidString)")
    #expect(throws: TaskError.self) { try experiment.run(output: output, log: { _ in }) }
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }
}

final class LogLines: @unchecked Sendable {
  private var lines: [String] = []
  private let lock = NSLock()
  func append(_ line: String) {
    lock.lock()
    lines.append(line)
    lock.unlock()
  }
  var all: [String] {
    lock.lock()
    defer { lock.unlock() }
    return lines
  }
}

import Figures
import Foundation
import LiveViews
import Testing
import Training

#if canImport(Glibc)
  import Glibc
#endif

/// Collects what a run says, from any thread.
final class Transcript: @unchecked Sendable {
  private let lock = NSLock()
  private var lines: [String] = []
  func add(_ line: String) { lock.withLock { lines.append(line) } }
  var all: [String] { lock.withLock { lines } }
}

@Suite(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
struct TrainingLiveViewTests {
  func folder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-live-\(UUID().uuidString)")
  }

  @Test func drawsEveryEpochIntoLivePNGAndTheTextChartThenLeavesNoGnuplot() throws {
    let output = folder()
    defer { try? FileManager.default.removeItem(at: output) }
    let configuration = TrainingRunTests.configuration(epochs: 3)
    let warnings = Transcript(), charts = Transcript()
    let live = try TrainingLiveView(output: output, configuration: configuration, warn: { warnings.add($0) })
    let reporter = TrainingReporter().drawing(live, textSize: { (columns: 150, rows: 40, colors: false) }, show: { charts.add($0) })
    _ = try TrainingRun(configuration: configuration, data: TrainingRunTests.syntheticData(seed: 3), output: output).run(resume: false, reporter: reporter)
    live.close()

    #expect(warnings.all.isEmpty, "\(warnings.all)")
    #expect(charts.all.count == 3)
    let last = try #require(charts.all.last)
    // The title comes from the configuration; the gradient epochs 0 and 2 are curves.
    for text in ["\(output.lastPathComponent): IMDB, Embedding(20, 6) -> LSTM(5)", "loss (y: binary cross-entropy)", "accuracy", "epoch 0", "epoch 2", "validation", "lag T - t"] {
      #expect(last.contains(text), "the chart lacks '\(text)':\n\(last)")
    }
    #expect(!charts.all[0].contains("epoch 2"))  // not recorded yet after epoch 1
    let png = [UInt8](try Data(contentsOf: output.appendingPathComponent("live.png")))
    #expect(png[16..<24].elementsEqual([0, 0, 0x05, 0xDC, 0, 0, 0x01, 0xF4]))  // 1500 × 500
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
    #expect(processIsGone(live.figure.processID))
  }

  @Test func aGnuplotKilledMidRunTurnsTheViewOffWithOneWarningAndTrainingGoesOn() throws {
    let output = folder()
    defer { try? FileManager.default.removeItem(at: output) }
    let configuration = TrainingRunTests.configuration(epochs: 4)
    let warnings = Transcript()
    let live = try TrainingLiveView(output: output, configuration: configuration, warn: { warnings.add($0) })
    let pid = live.figure.processID
    var reporter = TrainingReporter().drawing(live)
    let epochs = Transcript()
    reporter.epochFinished = { [finished = reporter.epochFinished] metrics in
      finished(metrics)
      epochs.add(String(metrics.epoch))
      if metrics.epoch == 1 { kill(pid, SIGKILL) }
    }
    let summary = try TrainingRun(configuration: configuration, data: TrainingRunTests.syntheticData(seed: 4), output: output).run(resume: false, reporter: reporter)
    #expect(summary.last.epoch == 4)
    #expect(epochs.all == ["1", "2", "3", "4"])
    #expect(warnings.all.count == 1)
    #expect(warnings.all.first?.contains("live figure off") == true)
    #expect(!live.figure.isOn)
    #expect(processIsGone(pid))  // reaped, not a zombie
    live.close()
  }

  /// A gnuplot that never reads its input, and starts a process of its own: the run is held
  /// back by the bounded waits alone (the first text chart, the last drawing at close, the
  /// grace before the kill), the view turns off with one warning, and nothing survives.
  @Test func aGnuplotThatNeverReadsNeitherHoldsTheRunBackNorSurvivesIt() throws {
    let output = folder(), fakes = folder()
    try FileManager.default.createDirectory(at: fakes, withIntermediateDirectories: true)
    defer { for url in [output, fakes] { try? FileManager.default.removeItem(at: url) } }
    let fake = fakes.appendingPathComponent("gnuplot"), pids = fakes.appendingPathComponent("pids")
    try "#!/bin/sh\necho $$ > '\(pids.path)'\nsleep 300 &\necho $! >> '\(pids.path)'\nwait\n".write(to: fake, atomically: true, encoding: .utf8)
    chmod(fake.path, 0o755)
    let configuration = TrainingRunTests.configuration(epochs: 6)
    let warnings = Transcript(), charts = Transcript()
    let live = try TrainingLiveView(output: output, configuration: configuration, gnuplot: fake, warn: { warnings.add($0) })
    // The time the run spends in the live view: its updates, and its close.
    let held = Transcript()
    var reporter = TrainingReporter().drawing(live, textSize: { (columns: 150, rows: 40, colors: false) }, show: { charts.add($0) })
    reporter.epochFinished = { [drawing = reporter.epochFinished] metrics in
      let started = Date()
      drawing(metrics)
      held.add(String(Date().timeIntervalSince(started)))
    }
    let summary = try TrainingRun(configuration: configuration, data: TrainingRunTests.syntheticData(seed: 5), output: output).run(resume: false, reporter: reporter)
    let closing = Date()
    live.close()
    let seconds = held.all.compactMap(Double.init).reduce(Date().timeIntervalSince(closing), +)

    #expect(summary.last.epoch == 6)
    // chartWait (2 s) once, closeWait (2 s) and the grace (1 s); without the bounds, a
    // drawing waits 60 s.
    #expect(seconds < 8, "the live view held the run for \(seconds) s")
    #expect(charts.all.isEmpty)
    #expect(warnings.all.count == 1 && warnings.all.first?.contains("live figure off") == true, "\(warnings.all)")
    let children = try String(contentsOf: pids, encoding: .utf8).split(whereSeparator: \.isNewline).compactMap { Int32($0) }
    #expect(children.count == 2)
    let deadline = Date().addingTimeInterval(3)
    while Date() < deadline, children.contains(where: processRuns) { usleep(20_000) }
    #expect(children.filter(processRuns) == [], "survivors")
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
  }
}

/// True while a process with this id runs (a zombie awaiting its parent counts as ended).
func processRuns(_ pid: Int32) -> Bool {
  guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
  return !["Z", "X"].contains(stat.split(separator: ")").last?.split(separator: " ").first ?? "")
}

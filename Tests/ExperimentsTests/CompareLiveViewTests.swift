import Comparison
import Figures
import Foundation
import LiveViews
import Testing
import Training

@Suite(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
struct CompareLiveViewTests {
  @Test func drawsEveryEpochOfEveryUnitWithTheFinishedUnitsAndLeavesNoGnuplot() throws {
    let output = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-compare-live-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: output) }
    let configuration = CompareTests.configuration()
    let run = CompareRun(configuration: configuration, output: output)
    let charts = Transcript()
    let live = try CompareLiveView(run: run, warn: { charts.add("warning: \($0)") })
    let data = TrainingRunTests.syntheticData(seed: 3)
    try run.run(load: { _ in data }, reporter: TrainingReporter()) { unit, epochs in
      if let chart = live.update(unit: unit, epochs: epochs, text: (columns: 160, rows: 40, colors: false)) { charts.add(chart) }
    }
    live.close()

    // 4 units × 2 epochs, no warning.
    #expect(charts.all.count == 8, "\(charts.all.filter { $0.hasPrefix("warning") })")
    let last = try #require(charts.all.last)
    let lastUnit = try #require(configuration.units.last)
    for text in [
      "3 of 4 units finished; training \(lastUnit.name)", "up to 2 epochs", "validation loss, T = 12, padding 'pre'",
      "rnn seed 1", "cnn seed 2", "test accuracy of the finished units", "model: 1 rnn, 2 cnn", "T = 12, 'pre'",
    ] {
      #expect(last.contains(text), "the chart lacks '\(text)':\n\(last)")
    }
    #expect(charts.all[0].contains("0 of 4 units finished"))
    let png = [UInt8](try Data(contentsOf: output.appendingPathComponent("live.png")))
    #expect(png[16..<24].elementsEqual([0, 0, 0x05, 0x78, 0, 0, 0x02, 0x26]))  // 1400 × 550
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).filter { $0.hasSuffix(".tmp") }.isEmpty)
    #expect(processIsGone(live.figure.processID))
  }
}

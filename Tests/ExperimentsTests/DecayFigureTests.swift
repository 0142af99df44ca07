import Experiments
import Foundation
import Recurrent
import Testing

/// Every decay figure script renders from a freshly written (small) sweep without a gnuplot
/// error or warning, so a change to the tables cannot silently break a figure. Skipped when
/// gnuplot is not installed.
@Suite struct DecayFigureTests {
  static let gnuplot = ["/usr/bin/gnuplot", "/usr/local/bin/gnuplot", "/opt/homebrew/bin/gnuplot"]
    .first { FileManager.default.isExecutableFile(atPath: $0) }
  static let plots = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("plots")
  static let scripts = ["decay_gradient_vs_lag", "decay_heatmap", "decay_rates", "decay_forget", "decay_layer"]

  @Test(.enabled(if: gnuplot != nil, "gnuplot is not installed"))
  func scriptsRenderFromTheTables() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-figures-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var c = DecayConfiguration()
    c.sigmas = [0.5, 1, 2]
    c.steps = 20
    c.hiddenSize = 4
    c.inputSize = 3
    c.seeds = 2
    c.forgetBiases = [0, 1]
    try DecayOutput.write(try DecaySweep(c).run(threads: 2), to: folder, command: "test")
    for name in Self.scripts {
      let png = folder.appendingPathComponent("\(name).png")
      let process = Process()
      process.executableURL = URL(fileURLWithPath: try #require(Self.gnuplot))
      process.arguments = [
        "-e", "set terminal pngcairo size 900,500; set output '\(png.path)'; datadir='\(folder.path)'",
        Self.plots.appendingPathComponent("\(name).gp").path,
      ]
      let errors = Pipe()
      process.standardError = errors
      try process.run()
      let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
      process.waitUntilExit()
      #expect(process.terminationStatus == 0, "\(name).gp: \(message)")
      #expect(message.isEmpty, "\(name).gp printed: \(message)")
      let size = (try? FileManager.default.attributesOfItem(atPath: png.path)[.size] as? Int) ?? 0
      #expect(size > 10_000, "\(name).png is \(size) bytes")
    }
  }
}

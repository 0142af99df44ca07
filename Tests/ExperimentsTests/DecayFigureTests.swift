import DecayLab
import Foundation
import Linalg
import Recurrent
import Testing

private let decayGnuplot = ["/usr/bin/gnuplot", "/usr/local/bin/gnuplot", "/opt/homebrew/bin/gnuplot"]
  .first { FileManager.default.isExecutableFile(atPath: $0) }

/// Every decay figure script renders from freshly written (small) sweeps without a gnuplot
/// error or warning, and takes its labels from the run's own configuration: the SVG text
/// must name the run's T and H, its models and forget bias, never the course's. Skipped when
/// gnuplot is not installed.
@Suite(.enabled(if: decayGnuplot != nil, "gnuplot is not installed"))
struct DecayFigureTests {
  static let plots = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .appendingPathComponent("plots")

  func scratch() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-figures-\(UUID().uuidString)")
  }

  /// Renders `name.gp` from `data` as SVG; returns the SVG text after checking gnuplot was quiet.
  func render(_ name: String, data: URL) throws -> String {
    let svg = data.appendingPathComponent("\(name).svg")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: try #require(decayGnuplot))
    process.arguments = [
      "-e", "set terminal svg size 900,500 enhanced; set output '\(svg.path)'; datadir='\(data.path)'",
      Self.plots.appendingPathComponent("\(name).gp").path,
    ]
    let errors = Pipe()
    process.standardError = errors
    try process.run()
    let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    process.waitUntilExit()
    #expect(process.terminationStatus == 0, "\(name).gp: \(message)")
    #expect(message.isEmpty, "\(name).gp printed: \(message)")
    return (try? String(contentsOf: svg, encoding: .utf8)) ?? ""
  }

  /// A sweep unlike the course's: other T and H, two models, six forget biases, bias 2.
  @Test func sweepFiguresFollowTheRunsConfiguration() throws {
    let folder = scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    var c = DecayConfiguration()
    c.models = [.lstm, .linear]
    c.sigmas = [0.5, 1, 2]
    c.steps = 20
    c.hiddenSize = 4
    c.inputSize = 3
    c.seeds = 2
    c.lstmForgetBias = 2
    c.forgetBiases = [0, 1, 2, 3, 4, 5]
    try DecayOutput.write(try DecaySweep(c).run(threads: 2), to: folder, command: "test")
    for name in ["decay_gradient_vs_lag", "decay_heatmap", "decay_rates", "decay_forget"] {
      let svg = try render(name, data: folder)
      #expect(svg.contains("T = 20, H = 4"), "\(name): the run's T and H")
      #expect(!svg.contains("H = 32"), "\(name): no course sizes")
    }
    let panels = try render("decay_gradient_vs_lag", data: folder)
    #expect(panels.contains("LSTM (forget bias 2)"))
    #expect(!panels.contains("GRU") && !panels.contains("tanh RNN"), "no panel for a model the run lacks")
    let rates = try render("decay_rates", data: folder)
    #expect(rates.contains("linear RNN: asymptote log ρ"))
  }

  /// An imported non-normal linear layer: the single-layer figure names its file, its σ and
  /// ρ, and every sweep figure renders from the same folder.
  @Test func importedLayerFigures() throws {
    let folder = scratch()
    defer { try? FileManager.default.removeItem(at: folder) }
    var w = Matrix<Double>([[0.6, 3, 0], [0, -0.2, 2], [0, 0, 0.1]])
    w = w.transposed  // any non-normal matrix will do
    let layer = RecurrentLayer<Double>(kind: .linear, inputKernel: Matrix([[0.5, -0.2, 0.1]]), recurrentKernel: w, bias: Matrix(rows: 1, cols: 3))
    var c = DecayConfiguration()
    c.models = [.linear]
    c.hiddenSize = 3
    c.inputSize = 1
    c.steps = 30
    c.seeds = 2
    c.forgetBiases = []
    c.sigmas = [SingularValues.spectralNorm(w)]
    let sweep = try DecaySweep(c)
    let result = sweep.run(threads: 1, makeLayer: { _ in layer })
    try DecayOutput.write(result, source: .imported(file: "/tmp/my_layer.safetensors", layer: layer, rescaled: false), to: folder, command: "test")
    let svg = try render("decay_layer", data: folder)
    #expect(svg.contains("my\\_layer.safetensors") || svg.contains("my_layer.safetensors"))
    #expect(svg.contains("ρ = 0.6"), "the layer's radius")
    #expect(svg.contains("T = 30, H = 3"))
    for name in ["decay_gradient_vs_lag", "decay_heatmap", "decay_rates"] { _ = try render(name, data: folder) }
  }
}

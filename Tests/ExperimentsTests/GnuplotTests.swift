import Figures
import Foundation
import Testing

/// A fresh folder holding a two-column TSV table and a script that plots it from `datadir`.
private func makeWorkspace(dataFolderName: String = "data") throws -> (root: URL, data: URL) {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent(
    "gnuplot-tests-\(UUID().uuidString)")
  let data = root.appendingPathComponent(dataFolderName)
  try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
  try "step\tnorm\n0\t1.0\n1\t0.5\n2\t0.25\n3\t0.125\n"
    .write(to: data.appendingPathComponent("decay.tsv"), atomically: true, encoding: .utf8)
  try """
  set datafile separator tab
  set key autotitle columnhead
  set logscale y
  plot datadir.'/decay.tsv' using 1:2 with linespoints

  """.write(to: root.appendingPathComponent("decay.gp"), atomically: true, encoding: .utf8)
  return (root, data)
}

private func files(in folder: URL) throws -> [String] {
  try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
}

/// Width and height from a PNG's IHDR chunk (big-endian u32 at bytes 16..<20 and 20..<24).
private func pngSize(_ bytes: [UInt8]) -> (width: Int, height: Int)? {
  guard bytes.count >= 24,
    bytes[0..<8].elementsEqual([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]),
    bytes[12..<16].elementsEqual(Array("IHDR".utf8))
  else { return nil }
  let u32 = { (at: Int) in bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
  return (u32(16), u32(20))
}

@Suite struct GnuplotTests {
  @Test(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
  func rendersPNGAtTheRequestedSizeAndSVG() throws {
    let (root, data) = try makeWorkspace(dataFolderName: "it's data")  // a quote to escape
    defer { try? FileManager.default.removeItem(at: root) }
    let script = root.appendingPathComponent("decay.gp")

    let png = root.appendingPathComponent("decay.png")
    try Gnuplot.render(
      script: script, variables: ["datadir": data.path], output: png, size: (640, 360))
    let size = pngSize([UInt8](try Data(contentsOf: png)))
    #expect(size?.width == 640 && size?.height == 360)

    let svg = root.appendingPathComponent("decay.svg")
    try Gnuplot.render(script: script, variables: ["datadir": data.path], output: svg)
    let text = try String(contentsOf: svg, encoding: .utf8)
    #expect(text.contains("<svg"))
    #expect(text.contains(#"width="1200""#))

    let pdf = root.appendingPathComponent("decay.pdf")
    try Gnuplot.render(script: script, variables: ["datadir": data.path], output: pdf)
    #expect(try Data(contentsOf: pdf).prefix(5) == Data("%PDF-".utf8))

    #expect(
      try files(in: root) == ["decay.gp", "decay.pdf", "decay.png", "decay.svg", "it's data"])
  }

  @Test(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
  func scriptErrorNamesTheScriptAndLeavesNoOutput() throws {
    let (root, _) = try makeWorkspace()
    defer { try? FileManager.default.removeItem(at: root) }
    let script = root.appendingPathComponent("broken.gp")
    try "set xrange [0:1]\nplot sin(x) with linez\n".write(
      to: script, atomically: true, encoding: .utf8)
    let output = root.appendingPathComponent("broken.png")

    let error = #expect(throws: FiguresError.self) {
      try Gnuplot.render(script: script, variables: [:], output: output)
    }
    guard case .gnuplotFailed(let name, let status, let stderr)? = error else {
      Issue.record("expected gnuplotFailed, got \(String(describing: error))")
      return
    }
    #expect(name == script.path)
    #expect(status != 0)
    #expect(stderr.contains("unrecognized plot type"))
    let message = error?.description ?? ""
    #expect(message.contains(script.path) && message.contains("line 2: unrecognized plot type"))
    #expect(try files(in: root) == ["broken.gp", "data", "decay.gp"])
  }

  @Test(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
  func scriptThatPlotsNothingIsAnErrorNotAnEmptyFile() throws {
    let (root, _) = try makeWorkspace()
    defer { try? FileManager.default.removeItem(at: root) }
    let script = root.appendingPathComponent("silent.gp")
    try "x = 1\n".write(to: script, atomically: true, encoding: .utf8)
    let output = root.appendingPathComponent("silent.svg")
    #expect(
      throws: FiguresError.outputFailed(
        output: output.path, reason: "\(script.path) produced no output (does it plot anything?)")
    ) {
      try Gnuplot.render(script: script, variables: [:], output: output)
    }
    #expect(try files(in: root) == ["data", "decay.gp", "silent.gp"])
  }

  @Test(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
  func aScriptThatLoopsIsStoppedAtTheTimeLimit() throws {
    let (root, _) = try makeWorkspace()
    defer { try? FileManager.default.removeItem(at: root) }
    let script = root.appendingPathComponent("loop.gp")
    try "while (1) { x = 1 }\nplot x\n".write(to: script, atomically: true, encoding: .utf8)
    let output = root.appendingPathComponent("loop.png")
    let start = Date()
    #expect(throws: FiguresError.gnuplotTimedOut(script: script.path, seconds: 1)) {
      try Gnuplot.render(script: script, variables: [:], output: output, timeLimit: 1)
    }
    #expect(Date().timeIntervalSince(start) < 30)
    #expect(try files(in: root) == ["data", "decay.gp", "loop.gp"])
  }

  @Test(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
  func unknownFormatsBadVariablesAndMissingScriptsAreRejected() throws {
    let (root, _) = try makeWorkspace()
    defer { try? FileManager.default.removeItem(at: root) }
    let script = root.appendingPathComponent("decay.gp")
    let gif = root.appendingPathComponent("decay.gif")
    #expect(throws: FiguresError.unsupportedFormat(output: gif.path)) {
      try Gnuplot.render(script: script, variables: [:], output: gif)
    }
    let png = root.appendingPathComponent("decay.png")
    let error = #expect(throws: FiguresError.self) {
      try Gnuplot.render(script: script, variables: ["data dir; system('rm')": "x"], output: png)
    }
    guard case .invalidVariable? = error else {
      Issue.record("expected invalidVariable, got \(String(describing: error))")
      return
    }
    #expect(throws: FiguresError.scriptMissing(script: root.appendingPathComponent("nope.gp").path))
    {
      try Gnuplot.render(
        script: root.appendingPathComponent("nope.gp"), variables: [:], output: png)
    }
  }

  @Test(arguments: [
    ["GNUPLOT": "/nonexistent/bin/gnuplot", "PATH": "/usr/bin:/bin"],
    ["PATH": ""],
    [:],
  ])
  func missingGnuplotSaysHowToInstallIt(environment: [String: String]) throws {
    let error = #expect(throws: FiguresError.self) { try Gnuplot.locate(environment: environment) }
    guard case .gnuplotMissing? = error else {
      Issue.record("expected gnuplotMissing, got \(String(describing: error))")
      return
    }
    let message = error?.description ?? ""
    #expect(message.contains("apt-get install gnuplot-nox"))
    #expect(message.contains("brew install gnuplot"))
    if let configured = environment["GNUPLOT"] { #expect(message.contains(configured)) }
  }

  @Test(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
  func locateHonoursGnuplotVariable() throws {
    let found = try Gnuplot.locate()
    #expect(try Gnuplot.locate(environment: ["GNUPLOT": found.path, "PATH": ""]) == found)
    let folder = found.deletingLastPathComponent().path
    #expect(try Gnuplot.locate(environment: ["PATH": "/nonexistent:\(folder)"]) == found)
  }

  @Test(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
  func renderAllWritesEveryFormatOfEverySpec() throws {
    let (root, data) = try makeWorkspace()
    defer { try? FileManager.default.removeItem(at: root) }
    let figures = root.appendingPathComponent("out")
    var lines: [String] = []
    let written = try FigureRenderer.renderAll(
      [FigureSpec(script: "decay.gp", output: "rnn/decay", width: 400, height: 300)],
      plotsDirectory: root, dataDirectory: data, outputDirectory: figures,
      progress: { lines.append($0) })
    let expected = ["png", "svg"].map { figures.appendingPathComponent("rnn/decay.\($0)") }
    #expect(written == expected)
    #expect(try files(in: figures.appendingPathComponent("rnn")) == ["decay.png", "decay.svg"])
    #expect(pngSize([UInt8](try Data(contentsOf: expected[0])))?.width == 400)
    #expect(lines.count == 2 && lines.allSatisfy { $0.contains("decay.gp") })
  }
}

/// Every course figure renders from the committed tables in plots/data: a non-empty PNG of
/// the intended size. (A figure whose tables are not there is skipped, as `gradlab figures`
/// skips it.)
@Suite(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
struct CourseFigureTests {
  static let repository = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  @Test(arguments: CourseFigure.all.map(\.spec.output))
  func courseFigureRendersAtItsSize(output: String) throws {
    let figure = try #require(CourseFigure.all.first { $0.spec.output == output })
    let plots = Self.repository.appendingPathComponent("plots")
    let data = plots.appendingPathComponent("data")
    guard figure.tables.allSatisfy({ FileManager.default.fileExists(atPath: data.appendingPathComponent($0).path) }) else { return }
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-figures-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    let written = try FigureRenderer.renderAll(
      [figure.spec], plotsDirectory: plots, dataDirectory: data, outputDirectory: folder, formats: ["png"], progress: { _ in })
    let png = try [UInt8](Data(contentsOf: try #require(written.first)))
    let size = try #require(pngSize(png))
    #expect(size.width == figure.spec.width && size.height == figure.spec.height)
    #expect(png.count > 10_000, "\(output).png is only \(png.count) bytes")
  }

  /// `spec` rendered as an SVG from the tables in `data`; also what the renderer said.
  func svg(of spec: FigureSpec, data: URL) throws -> (svg: String, said: [String]) {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("course-svg-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: folder) }
    var said: [String] = []
    let written = try FigureRenderer.renderAll(
      [spec], plotsDirectory: Self.repository.appendingPathComponent("plots"), dataDirectory: data, outputDirectory: folder, formats: ["svg"],
      progress: { said.append($0) })
    return (try String(contentsOf: try #require(written.first), encoding: .utf8), said)
  }

  /// The course's compare_padding figure as an SVG of the tables in `data` (its `compare` and
  /// `compare-modern` folders).
  func comparePaddingSVG(data: URL) throws -> (svg: String, said: [String]) {
    try svg(of: try #require(CourseFigure.all.first { $0.spec.output == "compare_padding" }).spec, data: data)
  }

  /// The series names of an SVG gnuplot wrote (each plot's `<title>`), once each.
  func seriesTitles(_ svg: String) -> Set<String> {
    Set(svg.matches(of: #/<title>([^<]*)</title>/#).map { String($0.1) })
  }

  /// compare_padding.gp on the committed tables draws every model of both folders: each one's
  /// name in the accuracy panel's key, and one mean label per row of the accuracy tables at
  /// T = 500 (the 'post' length); the left panel names the models it has no gradient for.
  @Test func comparePaddingDrawsTheModelsOfBothFolders() throws {
    let data = Self.repository.appendingPathComponent("plots/data")
    let (svg, said) = try comparePaddingSVG(data: data)
    #expect(!said.contains { $0.hasPrefix("gnuplot on") }, "\(said)")
    let titles = seriesTitles(svg)
    for name in ["vanilla RNN", "LSTM", "GRU", "text CNN", "LRU block", "minGRU"] {
      #expect(titles.contains(name), "no series titled \(name) in \(titles.sorted())")
    }
    let rows = try ["compare", "compare-modern"].flatMap { folder in
      try String(contentsOf: data.appendingPathComponent("\(folder)/compare_overall.tsv"), encoding: .utf8)
        .split(separator: "\n").dropFirst().filter { $0.split(separator: "\t")[1] == "500" }
    }
    let labels = svg.matches(of: #/>0\.[0-9]{3}</#).count
    #expect(labels == rows.count, "\(labels) mean labels for the \(rows.count) rows at T = 500")
    #expect(svg.contains("|| in the tables for text CNN, LRU block, minGRU"))
  }

  /// compare_padding.gp takes T, the models and their names from the tables: a table pair
  /// whose 'post' runs are at T = 300 and whose second folder holds an unknown id without
  /// gradient rows draws T = 300, the id as its own name, and says it has no gradient.
  @Test func comparePaddingTakesItsLabelsFromTheTables() throws {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("compare-padding-data-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: data) }
    let gradientHeader = "model\tmaxlen\tpadding\tseed\tepoch\tt\tlag\tgrad_norm"
    let overallHeader = "model\tmaxlen\tpadding\tseeds\ttest_acc_mean\ttest_acc_sd\tci_low\tci_high"
    let gradients = (0...300).flatMap { t in
      ["pre", "post"].map { "rnn\t300\t\($0)\t1\t2\t\(t)\t\(300 - t)\t\(pow(0.9, Double(300 - t)))" }
    }
    let tables = [
      "compare": (gradients, ["rnn\t300\tpre\t3\t0.81\t0.01\t0.79\t0.83", "rnn\t300\tpost\t3\t0.5\t0.01\t0.49\t0.51"]),
      "compare-modern": ([], ["spiral\t300\tpre\t1\t0.64\t0\t0.64\t0.64", "spiral\t300\tpost\t1\t0.52\t0\t0.52\t0.52"]),
    ]
    for (folder, (gradientRows, overallRows)) in tables {
      let url = data.appendingPathComponent(folder)
      try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
      try ([gradientHeader] + gradientRows).map { $0 + "\n" }.joined()
        .write(to: url.appendingPathComponent("compare_gradients.tsv"), atomically: true, encoding: .utf8)
      try ([overallHeader] + overallRows).map { $0 + "\n" }.joined()
        .write(to: url.appendingPathComponent("compare_overall.tsv"), atomically: true, encoding: .utf8)
    }
    let (svg, said) = try comparePaddingSVG(data: data)
    #expect(!said.contains { $0.hasPrefix("gnuplot on") }, "\(said)")
    #expect(svg.contains("sequence length T = 300"))
    #expect(seriesTitles(svg).isSuperset(of: ["vanilla RNN pre", "vanilla RNN post", "vanilla RNN", "spiral"]))
    #expect(svg.contains("|| in the tables for spiral"))
    #expect(svg.contains(">0.640<") && svg.contains(">0.520<"))
  }

  /// tasks_modern.gp as an SVG of one folder `sweep` whose summary.tsv holds `rows` (cell,
  /// length, median solved step, median final test loss), with `cells` drawn; also what the
  /// renderer said.
  func tasksModernSVG(_ rows: [(cell: String, length: Int, step: String, loss: String)], cells: String) throws -> (svg: String, said: [String]) {
    let data = FileManager.default.temporaryDirectory.appendingPathComponent("tasks-modern-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: data) }
    let sweep = data.appendingPathComponent("tasks/sweep")
    try FileManager.default.createDirectory(at: sweep, withIntermediateDirectories: true)
    let header = "task\tcell\tlength\thidden\tbatch\toptimizer\tlearning_rate\tmomentum\tsigma\tclip_norm\tbudget_steps\tsuccess_loss"
      + "\truns\tsolved\tfraction_solved\tblew_up\tmedian_solved_step\tmedian_final_test_loss"
    let lines = rows.map { row in
      let solved = row.step == "NaN" ? "0\t0.0" : "5\t1.0"
      return "adding\t\(row.cell)\t\(row.length)\t8\t4\tadam\t0.01\t0.0\t1\tnone\t100\t0.02\t5\t\(solved)\t0\t\(row.step)\t\(row.loss)"
    }
    try ([header] + lines).joined(separator: "\n").appending("\n").write(to: sweep.appendingPathComponent("summary.tsv"), atomically: true, encoding: .utf8)
    try #"{ "configuration" : { "successFraction" : 0.1, "evaluateEvery" : 10 } }"#.write(to: sweep.appendingPathComponent("config.json"), atomically: true, encoding: .utf8)
    let spec = FigureSpec(script: "tasks_modern.gp", output: "tasks_modern", width: 1800, height: 600, variables: ["folders": "sweep", "cells": cells])
    return try svg(of: spec, data: data)
  }

  /// tasks_modern.gp on a table of its own: a median the table gives as NaN or inf is drawn
  /// (crossed at the top of the loss panel) and counted, the finite ones are not.
  @Test func aNonFiniteMedianLossIsDrawnAndCounted() throws {
    let rows = [("rnn", 10, "0.5"), ("rnn", 20, "NaN"), ("lstm", 10, "inf"), ("lstm", 20, "0.01"), ("gru", 10, "NaN")].map { (cell: $0.0, length: $0.1, step: "NaN", loss: $0.2) }
    // The gru row is left out by `cells`: it is neither drawn nor counted.
    let (svg, said) = try tasksModernSVG(rows, cells: "rnn lstm")
    #expect(!said.contains { $0.hasPrefix("gnuplot on") }, "\(said)")
    #expect(svg.contains("crossed, at the top: a median NaN or inf (2)"))
  }

  /// tasks_modern.gp's loss panel reaches down to the lowest finite median: a median of
  /// 0.0004, a tenth of the table's threshold (0.02) / 5, is drawn, not cut off below the
  /// panel. Both of the tanh RNN's (red) points are drawn in every panel, as is the key's.
  @Test func aMedianFarBelowTheThresholdIsDrawn() throws {
    let (svg, _) = try tasksModernSVG([("rnn", 10, "50", "0.0004"), ("rnn", 20, "60", "0.01")], cells: "rnn")
    let points = svg.components(separatedBy: "color='rgb(214,  39,  40)'").count - 1
    #expect(points == 1 + 2 * 3, "\(points) red points: the key's and two in each of the 3 panels expected")
  }

  /// tasks_modern.gp draws a point at T = 1000 alone, also when its folder holds the cell's
  /// shorter lengths too: of the tanh RNN's (red) paths only the key's sample is a segment,
  /// and both its points are drawn in every panel.
  @Test func aPointAtT1000IsNotJoinedToItsLine() throws {
    let (svg, _) = try tasksModernSVG([("rnn", 10, "50", "0.01"), ("rnn", 1000, "60", "0.015")], cells: "rnn")
    let segments = svg.matches(of: #/<path stroke='rgb\(214,  39,  40\)'  d='M[0-9.,]+ L/#).count
    let points = svg.components(separatedBy: "color='rgb(214,  39,  40)'").count - 1
    #expect(segments == 1, "the tanh RNN's line has \(segments - 1) segments besides the key's")
    #expect(points == 1 + 2 * 3, "\(points) red points: the key's and two in each of the 3 panels expected")
  }
}

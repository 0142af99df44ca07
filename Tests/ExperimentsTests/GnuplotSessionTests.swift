import Figures
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// gnuplot is optional for building GradLab; the rendering tests need it (`make deps`
/// installs it: apt-get install gnuplot-nox, or brew install gnuplot).
let gnuplotInstalled = (try? Gnuplot.locate()) != nil

/// True once `condition` holds, looked at every 20 ms for up to `seconds` (0: once, now).
func becomesTrue(within seconds: Double, _ condition: () -> Bool) -> Bool {
  let deadline = Date().addingTimeInterval(seconds)
  repeat {
    if condition() { return true }
    usleep(20_000)
  } while Date() < deadline
  return false
}

/// True once no process `pid` exists, not even as a zombie waiting to be reaped.
func processIsGone(_ pid: Int32, within seconds: Double = 3) -> Bool {
  becomesTrue(within: seconds) { kill(pid, 0) == -1 && errno == ESRCH }
}

/// A known series: y = 2^-x for x = 0...10 (1 down to about 0.001), and a straight line.
private let knownPlot = Plot(
  title: "Known series run",
  panels: [
    PlotPanel(
      "halving", x: "lag_steps", y: "grad_norm", logScaleY: true,
      series: [PlotSeries("two^-x", x: (0...10).map(Double.init), y: (0...10).map { pow(2, -Double($0)) })]),
    PlotPanel("line", x: "epoch", y: "accuracy", series: [PlotSeries("y=300x", x: [0, 1, 2], y: [0, 300, 600], style: .lines)]),
  ])

@Suite(.enabled(if: gnuplotInstalled, "gnuplot is not installed (apt-get install gnuplot-nox)"))
struct GnuplotSessionTests {
  func temporaryFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gnuplot-session-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  @Test func rendersAKnownSeriesToAPNGOfTheRequestedSizeAndLeavesOnlyIt() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let png = folder.appendingPathComponent("known.png")
    let session = try GnuplotSession()
    let warnings = try session.render(knownPlot, to: .png(png, width: 640, height: 360))
    #expect(warnings.isEmpty, "gnuplot warned: \(warnings)")
    let bytes = [UInt8](try Data(contentsOf: png))
    #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]))
    let u32 = { (at: Int) in bytes[at..<(at + 4)].reduce(0) { $0 << 8 | Int($1) } }
    #expect(u32(16) == 640 && u32(20) == 360)
    // The same process draws again, over the same file, then an SVG holding the texts.
    try session.render(knownPlot, to: .png(png, width: 300, height: 200))
    #expect(u32(16) == 640)  // the bytes read before
    #expect([UInt8](try Data(contentsOf: png))[16..<24].elementsEqual([0, 0, 1, 44, 0, 0, 0, 200]))
    let svg = folder.appendingPathComponent("known.svg")
    try session.render(knownPlot, to: .svg(svg, width: 500, height: 400))
    let text = try String(contentsOf: svg, encoding: .utf8)
    for label in ["Known series run", "lag_steps", "grad_norm", "two^-x", "y=300x"] {
      #expect(text.contains(label), "the SVG lacks \(label)")
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["known.png", "known.svg"])
    session.close()
    #expect(processIsGone(session.processID, within: 0))
  }

  @Test func drawsATextChartWithTheTitleLabelsAndTheDataRange() throws {
    let chart = try knownPlot.render(to: .text(columns: 100, rows: 30))
    let lines = chart.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
    #expect(lines.count == 30)
    #expect(lines.allSatisfy { $0.count <= 100 })
    for label in ["Known series run", "halving", "lag_steps", "grad_norm", "two^-x", "epoch", "accuracy", "y=300x"] {
      #expect(chart.contains(label), "the chart lacks \(label):\n\(chart)")
    }
    // The axes follow the data: 600 is the line's top, 0.001 the halving's bottom decade.
    #expect(chart.contains("600"))
    #expect(chart.contains("0.001"))
  }

  @Test func aPanelWithoutDataSaysSoAndDrawsTheOthers() throws {
    let empty = Plot(title: "t", panels: [PlotPanel("nothing", x: "x", y: "y", series: [PlotSeries("none", x: [], y: [])])])
    let chart = try empty.render(to: .text(columns: 60, rows: 12))
    #expect(chart.contains("no data yet"))
  }

  @Test func aSinglePointOrEqualValuesDrawWithoutWarnings() throws {
    let folder = try temporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let flat = Plot(
      title: "one epoch",
      panels: [
        PlotPanel("accuracy", x: "epoch", y: "accuracy", series: [PlotSeries("train", x: [1], y: [0.5]), PlotSeries("validation", x: [1], y: [0.5])]),
        PlotPanel("loss", x: "epoch", y: "loss", logScaleY: true, series: [PlotSeries("train", x: [1, 2], y: [0.7, 0.7])]),
      ])
    let warnings = try flat.render(to: .png(folder.appendingPathComponent("flat.png"), width: 400, height: 300))
    #expect(warnings.isEmpty, "gnuplot warned: \(warnings)")
  }

  /// The session hears gnuplot die on its own thread, before the next call or after it; in
  /// either order that call throws and has reaped gnuplot when it returns.
  @Test(arguments: [false, true])
  func aGnuplotThatDiesMidSessionIsReapedAndEveryLaterCallThrows(heardFirst: Bool) throws {
    let session = try GnuplotSession()
    _ = try session.render(knownPlot, to: .text(columns: 80, rows: 24))
    kill(session.processID, SIGKILL)
    if heardFirst {
      // The order a loaded machine brings: the session has heard gnuplot's output close.
      #expect(becomesTrue(within: 60) { !session.isRunning })
    }
    #expect(throws: FiguresError.self) { try session.render(knownPlot, to: .text(columns: 80, rows: 24)) }
    #expect(!session.isRunning)
    #expect(processIsGone(session.processID, within: 0))
    #expect(throws: FiguresError.self) { try session.render(knownPlot, to: .text(columns: 80, rows: 24)) }
  }

  @Test func aSizeOutsideTheLimitsIsRefusedBeforeGnuplotStarts() throws {
    #expect(throws: FiguresError.self) { try knownPlot.render(to: .text(columns: 5, rows: 24), gnuplot: URL(fileURLWithPath: "/nonexistent")) }
  }
}

@Suite struct GnuplotSessionWithoutGnuplotTests {
  @Test func aMissingGnuplotIsAnErrorThatSaysHowToInstallIt() throws {
    let error = #expect(throws: FiguresError.self) { try Gnuplot.locate(environment: ["PATH": "/nonexistent", "GNUPLOT": ""]) }
    #expect(error?.description.contains("apt-get install gnuplot-nox") == true)
    let launch = #expect(throws: FiguresError.self) { try GnuplotSession(gnuplot: URL(fileURLWithPath: "/nonexistent/gnuplot")) }
    guard case .launchFailed(let path, let reason)? = launch else {
      Issue.record("expected launchFailed, got \(String(describing: launch))")
      return
    }
    #expect(path == "/nonexistent/gnuplot" && reason.contains("No such file"))
  }
}

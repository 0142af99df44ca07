import CGnuplotStream
import Foundation
import StopSignals

/// Where `GnuplotSession.render` draws: an image file of `width` × `height` pixels, or a
/// text chart of `columns` × `rows` characters (gnuplot's `dumb` terminal; `colors` adds
/// ANSI colour codes for a terminal).
public enum PlotOutput: Sendable, Equatable {
  case png(URL, width: Int, height: Int)
  case svg(URL, width: Int, height: Int)
  case text(columns: Int, rows: Int, colors: Bool = false)

  /// gnuplot's `set terminal` arguments.
  var terminal: String {
    let font = #"noenhanced font "DejaVu Sans,11""#
    switch self {
    case .png(_, let width, let height): return "pngcairo size \(width),\(height) \(font)"
    case .svg(_, let width, let height): return #"svg size \#(width),\#(height) \#(font) background "white""#
    case .text(let columns, let rows, let colors): return "dumb size \(columns),\(rows) noenhanced \(colors ? "ansi" : "mono")"
    }
  }

  var file: URL? {
    switch self {
    case .png(let url, _, _), .svg(let url, _, _): return url
    case .text: return nil
    }
  }

  /// Sizes gnuplot accepts: images from 16 to 20,000 pixels a side, text from 20 × 8
  /// characters to 2,000 × 1,000.
  func validate() throws {
    switch self {
    case .png(let url, let width, let height), .svg(let url, let width, let height):
      guard (16...20_000).contains(width), (16...20_000).contains(height) else {
        throw FiguresError.outputFailed(output: url.path, reason: "size \(width)x\(height) pixels is outside 16...20000 per side")
      }
    case .text(let columns, let rows, _):
      guard (20...2_000).contains(columns), (8...1_000).contains(rows) else {
        throw FiguresError.outputFailed(output: "text chart", reason: "size \(columns)x\(rows) characters is outside 20...2000 x 8...1000")
      }
    }
  }
}

/// One gnuplot process that stays up between figures: commands and data go to it from memory
/// (no table or script on disk), through gnuplot-iostream where the build has it.
///
/// Each `render` waits until gnuplot has drawn, so a file is complete when it returns. gnuplot
/// ends when the session is closed or deinitialised, on a stop through `StopSignals` (Ctrl-C,
/// `kill`), and by itself when this process ends any other way (it reads end-of-file). After
/// gnuplot fails or dies, every call throws.
public final class GnuplotSession: @unchecked Sendable {
  /// True when data go through gnuplot-iostream, false for the plain-pipe build (macOS, or
  /// Linux without libgnuplot-iostream-dev).
  public static var streamsThroughIostream: Bool { gl_gnuplot_uses_iostream() == 1 }

  /// gnuplot's process id.
  public let processID: Int32
  /// How long one figure may take before gnuplot counts as hung.
  public var timeout: Duration = .seconds(60)
  private let executable: String
  private var handle: OpaquePointer?
  private let lock = NSLock()
  private let stopRegistration: StopSignals.Registration

  /// Starts gnuplot: `gnuplot` when given, otherwise `Gnuplot.locate()` (`$GNUPLOT`, then
  /// PATH). Throws `FiguresError.gnuplotMissing` (saying how to install it) or `launchFailed`.
  public init(gnuplot: URL? = nil) throws {
    executable = try (gnuplot ?? Gnuplot.locate()).path
    var reason = [CChar](repeating: 0, count: 512)
    guard let started = gl_gnuplot_start(executable, &reason, reason.count) else {
      throw FiguresError.launchFailed(gnuplot: executable, reason: String(decoding: reason.prefix { $0 != 0 }.map(UInt8.init(bitPattern:)), as: UTF8.self))
    }
    handle = started
    let pid = gl_gnuplot_pid(started)
    processID = pid
    // A stop may come while a figure is being drawn (the lock held): end gnuplot right away.
    stopRegistration = StopSignals.onStop { _ in kill(pid, SIGTERM) }
  }

  deinit { close() }

  /// Whether gnuplot is still up (not closed, not failed).
  public var isRunning: Bool { lock.withLock { handle != nil } }

  /// Draws `plot` to `output` and returns gnuplot's text: for `.text`, the chart; for a
  /// file, gnuplot's warnings (usually empty). A file is written to a temporary name beside
  /// it and renamed over it once complete, so a viewer never sees half an image.
  @discardableResult
  public func render(_ plot: Plot, to output: PlotOutput) throws -> String {
    try output.validate()
    return try lock.withLock {
      guard let handle else { throw FiguresError.sessionEnded(gnuplot: executable, reason: "it was closed or failed earlier") }
      guard let file = output.file else {
        let chart = try draw(plot, terminal: output.terminal, outputCommand: "set output", handle: handle)
        return String(chart.output.drop { $0 == "\u{0C}" })
      }
      let temporary = file.deletingLastPathComponent().appendingPathComponent(".\(file.lastPathComponent).\(UUID().uuidString).tmp")
      defer { try? FileManager.default.removeItem(at: temporary) }
      let drawn = try draw(plot, terminal: output.terminal, outputCommand: "set output \(gnuplotString(temporary.path))", handle: handle)
      let written = (try? FileManager.default.attributesOfItem(atPath: temporary.path)[.size] as? Int) ?? 0
      guard written > 0 else {
        throw FiguresError.outputFailed(output: file.path, reason: "gnuplot wrote nothing" + (drawn.errors.isEmpty ? " (does the folder exist?)" : ": \(drawn.errors)"))
      }
      guard rename(temporary.path, file.path) == 0 else {
        throw FiguresError.outputFailed(output: file.path, reason: String(cString: strerror(errno)))
      }
      return drawn.errors
    }
  }

  /// Ends gnuplot and waits for it (at most 2 s, then kills it). Safe to call twice.
  public func close() {
    lock.withLock { stop() }
  }

  /// Sends one figure and waits until gnuplot has drawn it. Any failure stops gnuplot.
  private func draw(_ plot: Plot, terminal: String, outputCommand: String, handle: OpaquePointer) throws -> (output: String, errors: String) {
    var sent = gl_gnuplot_command(handle, "set terminal \(terminal); \(outputCommand)") == 0
    for (command, data) in plot.commands(text: terminal.hasPrefix("dumb")) where sent {
      sent = gl_gnuplot_command(handle, command) == 0
      for series in data where sent {
        let count = min(series.x.count, series.y.count)
        sent = gl_gnuplot_data(handle, series.x, series.y, count) == 0
      }
    }
    if sent { sent = gl_gnuplot_command(handle, "unset output") == 0 }
    var output: UnsafeMutablePointer<CChar>?
    var errors: UnsafeMutablePointer<CChar>?
    let milliseconds = Int32(clamping: timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)
    let status = sent ? gl_gnuplot_sync(handle, milliseconds, &output, &errors) : -1
    defer {
      gl_gnuplot_free_text(output)
      gl_gnuplot_free_text(errors)
    }
    let text = output.map { String(cString: $0) } ?? ""
    let warnings = (errors.map { String(cString: $0) } ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
    guard status == 0 else {
      stop()
      let reason = status == -2 ? "it drew nothing for \(timeout) and was stopped" : "it exited"
      throw FiguresError.sessionEnded(gnuplot: executable, reason: reason + (warnings.isEmpty ? "" : ": \(warnings)"))
    }
    return (text, warnings)
  }

  private func stop() {
    guard let handle else { return }
    stopRegistration.remove()
    gl_gnuplot_stop(handle, 2000)
    self.handle = nil
  }
}

extension Plot {
  /// Draws the plot with a gnuplot of its own, started and ended here; see
  /// `GnuplotSession.render(_:to:)`.
  @discardableResult
  public func render(to output: PlotOutput, gnuplot: URL? = nil) throws -> String {
    let session = try GnuplotSession(gnuplot: gnuplot)
    defer { session.close() }
    return try session.render(self, to: output)
  }
}

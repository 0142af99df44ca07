import ChildProcess
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
/// (no table or script on disk) through a `ChildProcess.Stream`, so it lives under the rule of
/// every child GradLab starts (its own process group, killed with GradLab, `kill -9` included).
///
/// `draw` hands a figure to gnuplot and returns at once; `wait` waits for it; `render` does
/// both, so a file is complete when it returns. A file is drawn to a temporary name beside it
/// and renamed over it once gnuplot has drawn it, so a viewer never sees half an image; the
/// temporary file of a figure gnuplot never finished is removed when the session ends.
/// gnuplot ends when the session is closed or deinitialised, and on a stop through
/// `StopSignals` (Ctrl-C, `kill`). After gnuplot fails or dies, every call throws.
public final class GnuplotSession: @unchecked Sendable {
  /// A figure handed to gnuplot, in the order gnuplot draws them.
  public struct Drawing: Sendable, Hashable {
    let number: Int
  }

  /// gnuplot's process id.
  public var processID: Int32 { stream.processID }
  /// How long one figure may take in `render` before gnuplot counts as hung.
  public var timeout: Duration = .seconds(60)
  private let executable: String
  private var stream: ChildProcess.Stream!
  private let state = NSCondition()
  private var output: [UInt8] = []  // stdout after the last finished figure
  private var errors = ""  // stderr since the last finished figure
  private var nextNumber = 0
  /// Figures sent and not drawn yet: their file (if any), temporary name and when they went.
  private var inFlight: [Int: (file: URL?, temporary: URL?, sent: ContinuousClock.Instant)] = [:]
  /// Figures drawn and not asked for yet: gnuplot's text, or why the figure failed.
  private var finished: [Int: Result<String, FiguresError>] = [:]
  /// Why gnuplot is gone, once it is.
  private var ended: String?
  private var stopRegistration: StopSignals.Registration?

  /// Starts gnuplot: `gnuplot` when given, otherwise `Gnuplot.locate()` (`$GNUPLOT`, then
  /// PATH). Throws `FiguresError.gnuplotMissing` (saying how to install it) or `launchFailed`.
  public init(gnuplot: URL? = nil) throws {
    executable = try (gnuplot ?? Gnuplot.locate()).path
    let started: ChildProcess.Stream
    do {
      started = try ChildProcess.Stream(executable) { [weak self] event in self?.heard(event) }
    } catch let error as ChildProcess.LaunchError {
      throw FiguresError.launchFailed(gnuplot: executable, reason: error.reason)
    }
    stream = started
    // A stop may come while a figure is being drawn: end gnuplot and its temporary files.
    stopRegistration = StopSignals.onStop { [weak self] _ in
      started.killGroup()
      self?.removeTemporaries()
    }
    // `print` writes to stdout, after the text terminal's output: where the end marks come.
    started.send(Array("set print \"-\"\n".utf8))
  }

  deinit { close() }

  /// Whether gnuplot is still up (not closed, not failed).
  public var isRunning: Bool { state.withLock { ended == nil } }

  /// Figures handed to gnuplot and not drawn yet, and how long the oldest has waited.
  public var backlog: (count: Int, oldest: Duration) {
    state.withLock { (inFlight.count, inFlight.values.map { $0.sent.duration(to: .now) }.max() ?? .zero) }
  }

  /// Hands `plot` to gnuplot, to be drawn to `output`, and returns at once; nil when gnuplot
  /// has not read enough of what it was sent before to take this figure too (nothing sent).
  /// Throws when gnuplot is gone, and has reaped it by then.
  public func draw(_ plot: Plot, to output: PlotOutput) throws -> Drawing? {
    try output.validate()
    let sent: Result<Drawing?, FiguresError> = state.withLock {
      if let ended { return .failure(.sessionEnded(gnuplot: executable, reason: ended)) }
      let number = nextNumber
      let temporary = output.file.map { $0.deletingLastPathComponent().appendingPathComponent(".\($0.lastPathComponent).\(UUID().uuidString).tmp") }
      var text = "set terminal \(output.terminal); " + (temporary.map { "set output \(gnuplotString($0.path))" } ?? "set output") + "\n"
      for (command, data) in plot.commands(text: output.file == nil) {
        text += command + "\n"
        for series in data {
          for (x, y) in zip(series.x, series.y) { text += "\(x) \(y)\n" }
          text += "e\n"
        }
      }
      text += "unset output\nprint \"\(Self.mark(number))\"\n"
      guard stream.send(Array(text.utf8)) else { return .success(nil) }
      nextNumber += 1
      inFlight[number] = (output.file, temporary, .now)
      return .success(Drawing(number: number))
    }
    if case .failure = sent { close() }
    return try sent.get()
  }

  /// Waits up to `timeout` for `drawing`: gnuplot's text (for `.text`, the chart; for a
  /// file, gnuplot's warnings, usually empty), or nil when it is not drawn yet. Throws when
  /// gnuplot is gone or drew nothing. A drawing is handed out once.
  public func wait(for drawing: Drawing, timeout: Duration) throws -> String? {
    let deadline = Date().addingTimeInterval(Double(timeout.components.seconds) + Double(timeout.components.attoseconds) * 1e-18)
    let result: Result<String, FiguresError>? = state.withLock {
      while finished[drawing.number] == nil, ended == nil, inFlight[drawing.number] != nil, state.wait(until: deadline) {}
      if let done = finished.removeValue(forKey: drawing.number) { return done }
      if let ended { return .failure(.sessionEnded(gnuplot: executable, reason: ended)) }
      return nil
    }
    if case .failure(.sessionEnded) = result { close() }
    return try result?.get()
  }

  /// Draws `plot` to `output` and returns gnuplot's text (see `wait`). gnuplot is stopped
  /// when it takes longer than `timeout`.
  @discardableResult
  public func render(_ plot: Plot, to output: PlotOutput) throws -> String {
    // Only figures handed over before this one can hold it back; wait for them too.
    guard let drawing = try draw(plot, to: output) else {
      close()
      throw FiguresError.sessionEnded(gnuplot: executable, reason: "it stopped reading its input and was stopped")
    }
    guard let text = try wait(for: drawing, timeout: timeout) else {
      close()
      throw FiguresError.sessionEnded(gnuplot: executable, reason: "it drew nothing for \(timeout) and was stopped")
    }
    return text
  }

  /// Ends gnuplot (its input closed; killed after 1 s if it has not exited), reaps it and
  /// removes the temporary files of figures it did not finish. Safe to call twice.
  public func close() {
    state.withLock {
      if ended == nil { ended = "it was closed or failed earlier" }
      state.broadcast()
    }
    stream?.end(grace: 1)
    stopRegistration?.remove()
    removeTemporaries()
  }

  private func removeTemporaries() {
    let left = state.withLock {
      defer { inFlight.removeAll() }
      return inFlight.values.compactMap(\.temporary)
    }
    for file in left { unlink(file.path) }
  }

  /// The line gnuplot prints once it has drawn figure `number`.
  private static func mark(_ number: Int) -> String { "gradlab-drawn-\(number)" }

  /// What gnuplot wrote: stderr is kept for the next figure to finish; on stdout, each end
  /// mark finishes its figure (the text before it is that figure's).
  private func heard(_ event: ChildProcess.Stream.Event) {
    state.withLock {
      switch event {
      case .errors(let bytes):
        errors += String(decoding: bytes, as: UTF8.self)
      case .output(let bytes):
        output += bytes
        while let (number, text) = nextMark() { finish(number, text: text) }
      case .closed:
        let said = errors.trimmingCharacters(in: .whitespacesAndNewlines)
        if ended == nil { ended = "it exited" + (said.isEmpty ? "" : ": \(said)") }
      }
      state.broadcast()
    }
  }

  /// The first end mark in `output` and the text before it, taken out of `output`.
  private func nextMark() -> (Int, String)? {
    guard let number = inFlight.keys.min() else { return nil }
    let mark = Array((Self.mark(number) + "\n").utf8)
    guard mark.count <= output.count, let at = (0...(output.count - mark.count)).first(where: { output[$0..<($0 + mark.count)].elementsEqual(mark) }) else {
      return nil
    }
    // The mark may follow the text terminal's last colour reset on the same line.
    let text = String(decoding: output[..<at], as: UTF8.self)
    output.removeFirst(at + mark.count)
    return (number, text)
  }

  /// Puts a drawn file in place and keeps the figure's result for `wait`.
  private func finish(_ number: Int, text: String) {
    guard let figure = inFlight.removeValue(forKey: number) else { return }
    let warnings = errors.trimmingCharacters(in: .whitespacesAndNewlines)
    errors = ""
    guard let file = figure.file, let temporary = figure.temporary else {
      finished[number] = .success(String(text.drop { $0 == "\u{0C}" }))
      return
    }
    let written = (try? FileManager.default.attributesOfItem(atPath: temporary.path)[.size] as? Int) ?? 0
    if written == 0 {
      unlink(temporary.path)
      finished[number] = .failure(.outputFailed(output: file.path, reason: "gnuplot wrote nothing" + (warnings.isEmpty ? " (does the folder exist?)" : ": \(warnings)")))
    } else if rename(temporary.path, file.path) != 0 {
      finished[number] = .failure(.outputFailed(output: file.path, reason: String(cString: strerror(errno))))
      unlink(temporary.path)
    } else {
      finished[number] = .success(warnings)
    }
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

import Foundation

/// A figure redrawn while a long run is under way (training epochs, a sweep's points): one
/// gnuplot process for the whole run, an image rewritten atomically at every update (for an
/// image viewer that reloads, or a projector), and on request a text chart for the console.
///
/// Drawing never holds the run back. An update hands the figure to gnuplot and returns; while
/// gnuplot has not drawn the one before, updates are skipped (each one shows the whole run so
/// far, so the next one drawn catches up). A text chart is waited for at most `chartWait`.
/// When gnuplot fails, dies or has drawn nothing for its `timeout`, the figure says so once
/// through `warn`, ends gnuplot and turns itself off. Close it when the run ends (it also
/// closes on deinit): within `closeWait` in all, it draws the last update if it was skipped,
/// says once how many were, and ends gnuplot.
///
///     let live = try LiveFigure(image: folder.appendingPathComponent("live.png"), warn: { print($0) })
///     for step in 1...steps {
///       ... work ...
///       let plot = Plot(title: "sweep", panels: [panel])
///       if let chart = live.update(plot, chart: (plot, columns: 100, rows: 30, colors: false)) { print(chart) }
///     }
///     live.close()
public final class LiveFigure: @unchecked Sendable {
  public let image: URL
  public let imageSize: (width: Int, height: Int)
  /// The longest an update waits for its text chart.
  public var chartWait: Duration = .seconds(2)
  /// The longest `close` waits for the drawing under way.
  public var closeWait: Duration = .seconds(2)
  private let session: GnuplotSession
  private let warn: @Sendable (String) -> Void
  private let lock = NSLock()
  private var on = true
  private var lastImage: GnuplotSession.Drawing?
  private var warnedOfWarnings = false
  /// The last update, when it was skipped.
  private var skippedPlot: Plot?
  private var updates = 0
  /// Updates skipped because gnuplot had not drawn the one before.
  public private(set) var skipped = 0

  /// Starts gnuplot now, so a missing gnuplot (`FiguresError.gnuplotMissing`, with how to
  /// install it) is an error before the run rather than a warning during it.
  public init(
    image: URL, size: (width: Int, height: Int) = (1500, 500), gnuplot: URL? = nil,
    warn: @escaping @Sendable (String) -> Void
  ) throws {
    try PlotOutput.png(image, width: size.width, height: size.height).validate()
    self.image = image
    self.imageSize = size
    self.session = try GnuplotSession(gnuplot: gnuplot)
    self.warn = warn
  }

  deinit { close() }

  /// gnuplot's process id.
  public var processID: Int32 { session.processID }

  /// False once drawing failed or the figure was closed.
  public var isOn: Bool { lock.withLock { on } }

  /// Hands `plot` to gnuplot for the image, and with `chart` (a plot, possibly laid out for
  /// the console, its columns, rows and ANSI colours) a text chart too, which it returns once
  /// drawn (nil when off, dropped, or not drawn within `chartWait`).
  @discardableResult
  public func update(_ plot: Plot, chart: (plot: Plot, columns: Int, rows: Int, colors: Bool)? = nil) -> String? {
    lock.withLock {
      guard on else { return nil }
      updates += 1
      do {
        try checkLastImage(waiting: .zero)
        let backlog = session.backlog
        if backlog.count > 0 {
          guard backlog.oldest < session.timeout else {
            throw FiguresError.sessionEnded(gnuplot: "gnuplot", reason: "it drew nothing for \(session.timeout) and was stopped")
          }
          skip(plot)
          return nil
        }
        guard let drawing = try session.draw(plot, to: .png(image, width: imageSize.width, height: imageSize.height)) else {
          skip(plot)
          return nil
        }
        lastImage = drawing
        skippedPlot = nil
        guard let chart, let text = try session.draw(chart.plot, to: .text(columns: chart.columns, rows: chart.rows, colors: chart.colors)) else { return nil }
        return try session.wait(for: text, timeout: chartWait)
      } catch {
        turnOff(error)
        return nil
      }
    }
  }

  /// Draws the last update if it was skipped and waits for it, within `closeWait` in all,
  /// then ends gnuplot. The image keeps its last drawing.
  public func close() {
    lock.withLock {
      if on {
        let deadline = ContinuousClock.now + closeWait
        do {
          try checkLastImage(waiting: closeWait)
          if let plot = skippedPlot, lastImage == nil {
            lastImage = try session.draw(plot, to: .png(image, width: imageSize.width, height: imageSize.height))
            try checkLastImage(waiting: max(.zero, ContinuousClock.now.duration(to: deadline)))
          }
          if lastImage != nil {
            throw FiguresError.sessionEnded(gnuplot: "gnuplot", reason: "it had not drawn the last update \(closeWait) after the run and was stopped")
          }
          if skipped > 0 {
            warn("note: \(image.lastPathComponent) skipped \(skipped) of \(updates) updates while gnuplot drew the one before; the last one is drawn")
          }
        } catch {
          turnOff(error)
        }
      }
      on = false
      session.close()
    }
  }

  /// Takes the last image's outcome when it is drawn: a failure throws, gnuplot's warnings
  /// are said once.
  private func checkLastImage(waiting: Duration) throws {
    guard let drawing = lastImage, let warnings = try session.wait(for: drawing, timeout: waiting) else { return }
    lastImage = nil
    if !warnings.isEmpty && !warnedOfWarnings {
      warnedOfWarnings = true
      warn("warning: gnuplot on \(image.lastPathComponent) (said once): \(warnings)")
    }
  }

  private func skip(_ plot: Plot) {
    skipped += 1
    skippedPlot = plot
  }

  private func turnOff(_ error: Error) {
    on = false
    session.close()
    warn("warning: live figure off for the rest of the run (the run goes on): \(error)")
  }
}

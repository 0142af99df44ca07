import Foundation

/// A figure redrawn while a long run is under way (training epochs, a sweep's points): one
/// gnuplot process for the whole run, an image rewritten atomically at every update (for an
/// image viewer that reloads, or a projector), and on request a text chart for the console.
///
/// Drawing never stops the run: when gnuplot fails or dies, the figure says so once through
/// `warn`, ends gnuplot, and turns itself off. Close it when the run ends (it also closes on
/// deinit); if the process ends first, gnuplot reads end-of-file and exits by itself.
///
///     let live = try LiveFigure(image: folder.appendingPathComponent("live.png"), warn: { print($0) })
///     for step in 1...steps {
///       ... work ...
///       live.update(Plot(title: "sweep", panels: [panel]))
///       if let chart = live.chart(Plot(title: "sweep", panels: [panel]), columns: 100, rows: 30) { print(chart) }
///     }
///     live.close()
public final class LiveFigure: @unchecked Sendable {
  public let image: URL
  public let imageSize: (width: Int, height: Int)
  private let session: GnuplotSession
  private let warn: @Sendable (String) -> Void
  private let lock = NSLock()
  private var on = true

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

  deinit { session.close() }

  /// gnuplot's process id.
  public var processID: Int32 { session.processID }

  /// False once drawing failed or the figure was closed.
  public var isOn: Bool { lock.withLock { on } }

  /// Draws `plot` to the image. False when off (now or before).
  @discardableResult
  public func update(_ plot: Plot) -> Bool {
    draw { session in
      let warnings = try session.render(plot, to: .png(image, width: imageSize.width, height: imageSize.height))
      if !warnings.isEmpty && !warned {
        warned = true
        warn("warning: gnuplot on \(image.lastPathComponent) (said once): \(warnings)")
      }
      return ""
    } != nil
  }

  /// `plot` as a text chart of `columns` × `rows` characters (`colors`: ANSI colours for a
  /// terminal); nil when off.
  public func chart(_ plot: Plot, columns: Int, rows: Int, colors: Bool = false) -> String? {
    draw { try $0.render(plot, to: .text(columns: columns, rows: rows, colors: colors)) }
  }

  private var warned = false

  private func draw(_ body: (GnuplotSession) throws -> String) -> String? {
    lock.withLock {
      guard on else { return nil }
      do {
        return try body(session)
      } catch {
        on = false
        session.close()
        warn("warning: live figure off for the rest of the run (the run goes on): \(error)")
        return nil
      }
    }
  }

  /// Ends gnuplot and waits for it. The image keeps its last drawing.
  public func close() {
    lock.withLock {
      on = false
      session.close()
    }
  }
}

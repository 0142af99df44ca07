/// Figures drawn from memory: series of points in panels, turned into gnuplot commands by
/// `GnuplotSession`. Text is drawn as given (no enhanced-text markup: `grad_norm` stays
/// `grad_norm`).
///
///     let loss = PlotSeries("train", x: [1, 2, 3], y: [0.69, 0.41, 0.30])
///     let plot = Plot(title: "LSTM H = 64", panels: [PlotPanel("loss", x: "epoch", y: "binary cross-entropy", series: [loss])])
///     try plot.render(to: .png(URL(fileURLWithPath: "loss.png"), width: 800, height: 500))
public struct PlotSeries: Sendable, Equatable {
  public enum Style: String, Sendable {
    case lines
    case linesPoints = "linespoints"
    case points
  }

  /// The key entry.
  public var title: String
  public var x: [Double]
  public var y: [Double]
  public var style: Style

  /// Pairs `x[i], y[i]` up to the shorter of the two. Non-finite values, and values at or
  /// below zero on a logarithmic axis, are gaps in the line.
  public init(_ title: String, x: [Double], y: [Double], style: Style = .linesPoints) {
    self.title = title
    self.x = x
    self.y = y
    self.style = style
  }
}

/// One set of axes.
public struct PlotPanel: Sendable, Equatable {
  /// Where the key sits inside the axes.
  public enum KeyPosition: String, Sendable {
    case topRight = "top right", topLeft = "top left", bottomRight = "bottom right", bottomLeft = "bottom left"
  }

  public var title: String
  public var xLabel: String
  public var yLabel: String
  public var logScaleY: Bool
  /// The x axis' range; nil: gnuplot's autoscale (which warns when every x is the same).
  public var xRange: ClosedRange<Double>?
  public var key: KeyPosition
  /// Series without points are left out; a panel without any says "no data yet".
  public var series: [PlotSeries]

  public init(
    _ title: String, x xLabel: String, y yLabel: String, logScaleY: Bool = false, xRange: ClosedRange<Double>? = nil, key: KeyPosition = .topRight,
    series: [PlotSeries]
  ) {
    self.title = title
    self.xLabel = xLabel
    self.yLabel = yLabel
    self.logScaleY = logScaleY
    self.xRange = xRange
    self.key = key
    self.series = series
  }
}

/// Panels in a grid of `columns` columns, under one title.
public struct Plot: Sendable, Equatable {
  public var title: String
  public var panels: [PlotPanel]
  public var columns: Int

  public init(title: String, panels: [PlotPanel], columns: Int? = nil) {
    self.title = title
    self.panels = panels
    self.columns = max(1, min(columns ?? panels.count, max(panels.count, 1)))
  }

  /// The gnuplot commands that draw the plot, each followed by the inline data its `'-'`
  /// entries read (in order).
  func commands(text: Bool) -> [(command: String, data: [PlotSeries])] {
    let rows = (panels.count + columns - 1) / columns
    var steps: [(String, [PlotSeries])] = [
      ("reset; set multiplot layout \(max(rows, 1)),\(columns) title \(gnuplotString(title))", [])
    ]
    for panel in panels {
      let drawn = panel.series.filter { min($0.x.count, $0.y.count) > 0 }
      // The dumb terminal cannot turn text, and a horizontal y label beside the tick labels
      // takes a third of a narrow panel: a text chart names the y axis in the panel's title.
      let title = text && panel.yLabel != panel.title ? "\(panel.title) (y: \(panel.yLabel))" : panel.title
      var settings = [
        "unset label", text ? "unset grid" : "set grid", "set key \(panel.key.rawValue)", "set title \(gnuplotString(title))",
        "set xlabel \(gnuplotString(panel.xLabel))", "set ylabel \(gnuplotString(text ? "" : panel.yLabel))",
        panel.logScaleY ? "set logscale y" : "unset logscale y", "set format y '%g'",
        panel.xRange.map { "set xrange [\($0.lowerBound):\($0.upperBound)]" }
          ?? range("x", of: drawn.flatMap { $0.x.prefix($0.y.count) }, log: false),
        range("y", of: drawn.flatMap { $0.y.prefix($0.x.count) }, log: panel.logScaleY),
      ]
      guard !drawn.isEmpty else {
        settings.append(#"set label 1 "no data yet" at graph 0.5,0.5 center"#)
        steps.append(((settings + ["plot [0:1][0:1] NaN notitle"]).joined(separator: "; "), []))
        continue
      }
      let entries = drawn.map { "'-' using 1:2 with \($0.style.rawValue) title \(gnuplotString($0.title))" }
      steps.append(((settings + ["plot " + entries.joined(separator: ", ")]).joined(separator: "; "), drawn))
    }
    steps.append(("unset multiplot", []))
    return steps
  }
}

/// Autoscale, unless every value drawn on the axis is the same one (a single epoch, equal
/// accuracies): then a range around it, where gnuplot's autoscale would warn.
private func range(_ axis: String, of values: [Double], log: Bool) -> String {
  let shown = values.filter { $0.isFinite && (!log || $0 > 0) }
  guard let value = shown.first, shown.allSatisfy({ $0 == value }) else { return "set autoscale \(axis)" }
  let (low, high) = log ? (value / 2, value * 2) : (value - max(abs(value) / 2, 1), value + max(abs(value) / 2, 1))
  return "set \(axis)range [\(low):\(high)]"
}

/// A gnuplot single-quoted string (no escapes; a quote is written twice), on one line.
func gnuplotString(_ text: String) -> String {
  let oneLine = String(text.map { $0.isNewline || $0 == "\0" ? " " : $0 })
  return "'" + oneLine.replacingOccurrences(of: "'", with: "''") + "'"
}

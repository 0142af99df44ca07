import Figures
import Foundation
import Recurrent
import Training

/// The live figure of a training run, redrawn after every epoch from the run folder's own
/// tables (so a resumed run shows its earlier epochs too): loss and accuracy per epoch,
/// training and validation, and the gradient reach ||dL/dh_t|| over the lag T - t at the
/// gradient epochs. It writes `live.png` in the run folder; `TrainingReporter.drawing`
/// hooks it into a run.
public final class TrainingLiveView: Sendable {
  public let figure: LiveFigure
  let folder: URL
  let title: String

  /// Starts gnuplot (`gnuplot`, or `Gnuplot.locate()`); throws `FiguresError.gnuplotMissing`
  /// before any training when there is none. `warn` hears the one warning if drawing fails.
  public init(output: URL, configuration c: TrainingConfiguration, gnuplot: URL? = nil, warn: @escaping @Sendable (String) -> Void) throws {
    folder = output
    title = "\(output.lastPathComponent): IMDB, Embedding(\(c.data.vocabularySize), \(c.embeddingSize)) -> \(c.cell.rawValue.uppercased())(\(c.hiddenSize)) -> Dense(1), "
      + "T = \(c.data.sequenceLength), batch \(c.batchSize), \(c.optimizer.label(learningRate: c.learningRate, momentum: c.sgdMomentum ?? 0, clipNorm: c.clipNorm)), seed \(c.seed)"
    figure = try LiveFigure(image: output.appendingPathComponent("live.png"), gnuplot: gnuplot, warn: warn)
  }

  /// Redraws `live.png` and, when `text` is given, returns the chart at that size.
  @discardableResult
  public func update(text: (columns: Int, rows: Int, colors: Bool)? = nil) -> String? {
    // The tables are written before the reporter hears of the epoch; unreadable ones
    // would stop the run itself, so the figure just waits for the next epoch.
    guard figure.isOn,
      let metrics = try? TrainingRun.readTable(folder.appendingPathComponent("metrics.tsv"), header: EpochMetrics.header).rows.map(EpochMetrics.init(row:)),
      let gradients = try? TrainingRun.readTable(folder.appendingPathComponent("gradients.tsv"), header: GradientProbe.header).rows
    else { return nil }
    // A console narrower than 150 characters gets the panels in two columns.
    let chart = text.map { (Self.plot(metrics, gradients, title: title, columns: $0.columns >= 150 ? 3 : 2), $0.columns, $0.rows, $0.colors) }
    return figure.update(Self.plot(metrics, gradients, title: title, columns: 3), chart: chart)
  }

  public func close() { figure.close() }

  /// Three panels: loss (log scale: training loss falls by decades), accuracy, gradient reach.
  static func plot(_ metrics: [EpochMetrics], _ gradients: [[String]], title: String, columns: Int) -> Plot {
    let epochs = metrics.map { Double($0.epoch) }
    let span = 1...max(2, epochs.last ?? 2)  // one epoch is still a range
    let loss = PlotPanel(
      "loss", x: "epoch", y: "binary cross-entropy", logScaleY: true, xRange: span,
      series: [PlotSeries("train", x: epochs, y: metrics.map(\.trainLoss)), PlotSeries("validation", x: epochs, y: metrics.map(\.validationLoss))])
    let accuracy = PlotPanel(
      "accuracy", x: "epoch", y: "accuracy", xRange: span, key: .bottomRight,
      series: [PlotSeries("train", x: epochs, y: metrics.map(\.trainAccuracy)), PlotSeries("validation", x: epochs, y: metrics.map(\.validationAccuracy))])
    // Rows: cell, epoch, t, lag, grad_norm; one curve per recorded epoch.
    let byEpoch = Dictionary(grouping: gradients.filter { $0.count == GradientProbe.header.count }) { Int($0[1]) ?? -1 }
    let reach = PlotPanel(
      "gradient reach", x: "lag T - t", y: "||dL/dh_t||", logScaleY: true,
      series: byEpoch.keys.sorted().map { epoch in
        let rows = byEpoch[epoch] ?? []
        return PlotSeries("epoch \(epoch)", x: rows.map { Double($0[3]) ?? .nan }, y: rows.map { Double($0[4]) ?? .nan }, style: .lines)
      })
    return Plot(title: title, panels: [loss, accuracy, reach], columns: columns)
  }
}

extension TrainingReporter {
  /// This reporter with `live` redrawn after every epoch, before this reporter's own
  /// `epochFinished`. `textSize` is asked each time (a terminal can be resized; nil: no text
  /// chart), and `show` receives the chart.
  public func drawing(
    _ live: TrainingLiveView, textSize: @escaping @Sendable () -> (columns: Int, rows: Int, colors: Bool)? = { nil },
    show: @escaping @Sendable (String) -> Void = { _ in }
  ) -> TrainingReporter {
    var reporter = self
    let finished = epochFinished
    reporter.epochFinished = { metrics in
      if let chart = live.update(text: textSize()) { show(chart) }
      finished(metrics)
    }
    return reporter
  }
}

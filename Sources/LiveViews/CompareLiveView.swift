import Comparison
import Figures
import Foundation
import Recurrent
import Training

/// The live figure of a comparison, redrawn after every epoch of every unit: the validation
/// loss per epoch of the units at the length and padding in training (finished ones from
/// their records, so a resumed comparison shows them too, and the unit in training as it
/// goes), and the test accuracy of every finished unit by model. It writes `live.png` in the
/// comparison's output folder; pass `update` to `CompareRun.run` as `epochFinished`.
public final class CompareLiveView: Sendable {
  public let figure: LiveFigure
  let run: CompareRun

  /// Starts gnuplot (`gnuplot`, or `Gnuplot.locate()`); throws `FiguresError.gnuplotMissing`
  /// before any training when there is none. `warn` hears the one warning if drawing fails.
  public init(run: CompareRun, gnuplot: URL? = nil, warn: @escaping @Sendable (String) -> Void) throws {
    self.run = run
    figure = try LiveFigure(image: run.output.appendingPathComponent("live.png"), size: (1400, 550), gnuplot: gnuplot, warn: warn)
  }

  /// Redraws `live.png` with `unit` at `epochs` and, when `text` is given, returns the chart
  /// at that size.
  @discardableResult
  public func update(unit: CompareUnit, epochs: [EpochMetrics], text: (columns: Int, rows: Int, colors: Bool)? = nil) -> String? {
    // A record that cannot be read now stops the tables later, with its path; here it waits.
    guard figure.isOn, let records = try? run.finishedUnits.map(run.record) else { return nil }
    let plot = Self.plot(records, current: (unit, epochs), configuration: run.configuration)
    return figure.update(plot, chart: text.map { (plot, $0.columns, $0.rows, $0.colors) })
  }

  public func close() { figure.close() }

  /// Two panels: validation loss per epoch at the current length and padding, one line per
  /// unit; test accuracy of the finished units at x = the model's place in `models` (one
  /// series per length and padding, side by side).
  static func plot(_ records: [UnitRecord], current: (unit: CompareUnit, epochs: [EpochMetrics]), configuration c: CompareConfiguration) -> Plot {
    let group = records.filter { $0.unit.length == current.unit.length && $0.unit.padding == current.unit.padding && $0.unit != current.unit }
    let lines = (group.map { ($0.unit, $0.epochs) } + [current]).map { unit, epochs in
      PlotSeries("\(unit.model.rawValue) seed \(unit.seed)", x: epochs.map { Double($0.epoch) }, y: epochs.map(\.validationLoss))
    }
    let loss = PlotPanel(
      "validation loss, T = \(current.unit.length), padding '\(current.unit.padding.rawValue)'", x: "epoch", y: "binary cross-entropy",
      xRange: 1...Double(max(2, c.epochs)), series: lines)
    // In the order the units train: lengths, then paddings.
    let settings = c.lengths.flatMap { length in c.paddings.map { (length, $0) } }
    let width = 0.5 / Double(max(settings.count, 1))
    let points = settings.enumerated().map { k, setting in
      let finished = records.filter { $0.unit.length == setting.0 && $0.unit.padding == setting.1 }
      let offset = (Double(k) - Double(settings.count - 1) / 2) * width
      return PlotSeries(
        "T = \(setting.0), '\(setting.1.rawValue)'", x: finished.map { Double((c.models.firstIndex(of: $0.unit.model) ?? 0) + 1) + offset },
        y: finished.map(\.testAccuracy), style: .points)
    }
    let models = c.models.enumerated().map { "\($0.offset + 1) \($0.element.rawValue)" }.joined(separator: ", ")
    // One empty place on the right holds the key.
    let accuracy = PlotPanel(
      "test accuracy of the finished units", x: "model: \(models)", y: "test accuracy", xRange: 0.5...(Double(c.models.count) + 1.5), key: .bottomRight,
      series: points)
    let patience = c.patience > 0 ? ", stop after \(c.patience) without a lower validation loss" : ""
    let title = "gradlab compare: \(records.count) of \(c.units.count) units finished; training \(current.unit.name) "
      + "(up to \(c.epochs) epochs\(patience), batch \(c.batchSize), \(c.optimizer.label(learningRate: c.learningRate, momentum: c.momentum, clipNorm: c.clipNorm)))"
    return Plot(title: title, panels: [loss, accuracy])
  }
}

import ArgumentParser
import Figures
import Foundation

struct RenderFigures: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "figures",
    abstract: "Render every course figure (PNG and SVG) from the tables with gnuplot.",
    discussion: "A figure whose tables are missing is skipped with the command that writes them.")

  @Option(help: "Folder of the gnuplot scripts.") var plots = "plots"
  @Option(help: "Folder of the tables the scripts read.") var data = "plots/data"
  @Option(help: "Folder for the rendered figures (default: beside the scripts).") var output: String?
  @Option(help: "Render only the figures whose output name contains this text.") var only: String?
  @Option(help: "Seconds gnuplot may take on one figure; it is then killed with all it started.")
  var timeLimit = Gnuplot.defaultTimeLimit

  func validate() throws {
    guard timeLimit > 0, timeLimit.isFinite else {
      throw ValidationError("--time-limit \(timeLimit) must be a positive number of seconds")
    }
  }

  func run() throws {
    let console = Console()
    let dataURL = URL(fileURLWithPath: data)
    var specs: [FigureSpec] = []
    for figure in CourseFigure.all where only.map({ figure.spec.output.contains($0) }) ?? true {
      let missing = figure.tables.filter { !FileManager.default.fileExists(atPath: dataURL.appendingPathComponent($0).path) }
      if missing.isEmpty {
        specs.append(figure.spec)
      } else {
        console.line("skipping \(figure.spec.output): \(missing.joined(separator: ", ")) missing in \(data); `\(figure.command)` writes it")
      }
    }
    let written = try FigureRenderer.renderAll(
      specs, plotsDirectory: URL(fileURLWithPath: plots), dataDirectory: dataURL,
      outputDirectory: output.map { URL(fileURLWithPath: $0) }, timeLimit: timeLimit, progress: { console.line($0) })
    print("rendered \(written.count) files")
  }
}

import Foundation

/// One figure of the course: a script in `plots/`, its size in pixels, and the base name of
/// its outputs (rendered once per format, e.g. `decay.png` and `decay.svg`).
public struct FigureSpec: Sendable, Equatable {
  /// The gnuplot script, relative to the plots directory (`"decay.gp"`).
  public var script: String
  /// The outputs' path without extension, relative to the output directory (`"decay"`).
  public var output: String
  public var width: Int
  public var height: Int
  /// gnuplot string variables set before the script runs, besides `datadir` (one script can
  /// draw several tables: `["sweep": "first-sweep"]`).
  public var variables: [String: String]

  public init(script: String, output: String, width: Int = 1200, height: Int = 800, variables: [String: String] = [:]) {
    self.script = script
    self.output = output
    self.width = width
    self.height = height
    self.variables = variables
  }
}

/// Renders a list of figures with gnuplot.
public enum FigureRenderer {
  /// The gnuplot variable that holds the data directory's path: scripts read their tables as
  /// `datadir.'/decay.tsv'`, so the same script plots committed or freshly computed data.
  public static let dataVariable = "datadir"

  /// Renders every spec in every format and returns the files written, in order.
  ///
  /// gnuplot is located once, before anything renders. Each output goes to
  /// `outputDirectory/<spec.output>.<format>` (folders created as needed); without an
  /// output directory, beside the scripts in `plotsDirectory`. `progress` hears one line per
  /// file, and gnuplot's warnings when it prints any. Stops at the first failure.
  public static func renderAll(
    _ specs: [FigureSpec], plotsDirectory: URL, dataDirectory: URL,
    outputDirectory: URL? = nil, formats: [String] = ["png", "svg"], timeLimit: Double = Gnuplot.defaultTimeLimit,
    progress: (String) -> Void
  ) throws -> [URL] {
    let gnuplot = try Gnuplot.locate()
    let destination = outputDirectory ?? plotsDirectory
    var written: [URL] = []
    for spec in specs {
      let script = plotsDirectory.appendingPathComponent(spec.script)
      for format in formats {
        let output = destination.appendingPathComponent(spec.output).appendingPathExtension(format)
        do {
          try FileManager.default.createDirectory(
            at: output.deletingLastPathComponent(), withIntermediateDirectories: true)
        } catch {
          throw FiguresError.outputFailed(output: output.path, reason: error.localizedDescription)
        }
        progress("rendering \(output.path) from \(spec.script)")
        let warnings = try Gnuplot.render(
          gnuplot: gnuplot, script: script, variables: spec.variables.merging([dataVariable: dataDirectory.path]) { $1 },
          output: output, size: (spec.width, spec.height), timeLimit: timeLimit)
        let trimmed = warnings.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { progress("gnuplot on \(spec.script): \(trimmed)") }
        written.append(output)
      }
    }
    return written
  }
}

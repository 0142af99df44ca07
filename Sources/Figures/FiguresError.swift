import Foundation

/// Everything that can go wrong rendering a figure. Each description names the script or
/// output file involved and says what to do.
public enum FiguresError: Error, CustomStringConvertible, Equatable {
  /// No gnuplot executable; `reason` says where the search looked.
  case gnuplotMissing(reason: String)
  /// gnuplot could not be started at all.
  case launchFailed(gnuplot: String, reason: String)
  /// gnuplot ran the script and exited with a non-zero status; `stderr` is its error text.
  case gnuplotFailed(script: String, status: Int32, stderr: String)
  /// gnuplot ran longer than the time limit on the script and was stopped.
  case gnuplotTimedOut(script: String, seconds: Double)
  /// The script file does not exist.
  case scriptMissing(script: String)
  /// The output's extension names no terminal GradLab knows.
  case unsupportedFormat(output: String)
  /// A variable name that is not a gnuplot identifier, or a value gnuplot cannot quote.
  case invalidVariable(name: String, reason: String)
  /// gnuplot succeeded but the output could not be put in place.
  case outputFailed(output: String, reason: String)
  /// A running gnuplot (`GnuplotSession`) exited, hung or was closed.
  case sessionEnded(gnuplot: String, reason: String)

  /// How to install gnuplot, for the `gnuplotMissing` message.
  public static let installHint =
    "Install it with `apt-get install gnuplot-nox` on Debian/Ubuntu or `brew install gnuplot` "
    + "on macOS (`make deps` does this), or set GNUPLOT to the path of a gnuplot executable."

  public var description: String {
    switch self {
    case .gnuplotMissing(let reason):
      return "gnuplot not found: \(reason). \(Self.installHint)"
    case .launchFailed(let gnuplot, let reason):
      return "cannot start gnuplot at \(gnuplot): \(reason)"
    case .gnuplotFailed(let script, let status, let stderr):
      let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
      return "gnuplot failed on \(script) (exit status \(status)):\n"
        + (text.isEmpty ? "(no error text)" : text)
    case .gnuplotTimedOut(let script, let seconds):
      return "gnuplot ran longer than \(Int(seconds)) s on \(script) and was stopped; look for a loop or a very large data file in the script"
    case .scriptMissing(let script):
      return "gnuplot script \(script) not found"
    case .unsupportedFormat(let output):
      return "cannot render \(output): unknown format; expected a .png, .svg or .pdf file name"
    case .invalidVariable(let name, let reason):
      return "cannot pass variable '\(name)' to gnuplot: \(reason)"
    case .outputFailed(let output, let reason):
      return "cannot write figure \(output): \(reason)"
    case .sessionEnded(let gnuplot, let reason):
      return "gnuplot (\(gnuplot)) is no longer drawing: \(reason)"
    }
  }
}

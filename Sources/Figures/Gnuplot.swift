import ChildProcess
import Foundation
import StopSignals

#if canImport(Glibc)
  import Glibc
#endif

/// The course figures' bridge to gnuplot: a child process per figure, running a script from
/// `plots/` over tidy TSV tables, so every figure stays reproducible and editable by hand.
/// Figures drawn from memory while work is under way go through `GnuplotSession` instead.
public enum Gnuplot {
  /// Seconds one figure may take (`gradlab figures --time-limit`).
  public static let defaultTimeLimit = 300.0

  /// The gnuplot executable: `$GNUPLOT` when set (a path, or a name looked up on PATH),
  /// otherwise `gnuplot` on PATH. Throws `FiguresError.gnuplotMissing`, whose message says how
  /// to install it.
  public static func locate(
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> URL {
    let path = environment["PATH"] ?? ""
    let configured = environment["GNUPLOT"].flatMap { $0.isEmpty ? nil : $0 }
    let name = configured ?? "gnuplot"
    if name.contains("/") {
      guard isExecutableFile(name) else {
        throw FiguresError.gnuplotMissing(reason: "GNUPLOT=\(name) is not an executable file")
      }
      return URL(fileURLWithPath: name)
    }
    for folder in path.split(separator: ":") where !folder.isEmpty {
      let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent(name)
      if isExecutableFile(candidate.path) { return candidate }
    }
    let source = configured == nil ? "" : " (from GNUPLOT)"
    throw FiguresError.gnuplotMissing(
      reason: "no '\(name)'\(source) on PATH (\(path.isEmpty ? "PATH is empty" : path))")
  }

  /// Renders one script to one file and returns gnuplot's warnings (its stderr), if any.
  ///
  /// The terminal follows the output's extension: `.png` is pngcairo and `.svg` is svg, both
  /// `size` pixels with an enhanced "Sans,11" font (SVG on a white background); `.pdf` is
  /// pdfcairo at 100 pixels per inch. Each variable becomes a gnuplot string
  /// (`name='value'`) defined before the script runs, and gnuplot runs in the script's folder,
  /// so the script can `load` its neighbours by relative path. gnuplot writes to a temporary
  /// file beside `output`, renamed over it on success: a failed render leaves no half file.
  /// A gnuplot still running after `timeLimit` seconds (a script that loops) is stopped and
  /// reported, so `make figures` and CI cannot hang on one figure.
  @discardableResult
  public static func render(
    script: URL, variables: [String: String], output: URL,
    size: (width: Int, height: Int) = (1200, 800), timeLimit: Double = Gnuplot.defaultTimeLimit
  ) throws -> String {
    try render(gnuplot: locate(), script: script, variables: variables, output: output, size: size, timeLimit: timeLimit)
  }

  /// `render(script:variables:output:size:timeLimit:)` with an already located gnuplot.
  static func render(
    gnuplot: URL, script: URL, variables: [String: String], output: URL,
    size: (width: Int, height: Int), timeLimit: Double = Gnuplot.defaultTimeLimit
  ) throws -> String {
    let terminal = try self.terminal(for: output, size: size)
    guard FileManager.default.fileExists(atPath: script.path) else {
      throw FiguresError.scriptMissing(script: script.path)
    }
    let folder = output.deletingLastPathComponent()
    guard FileManager.default.fileExists(atPath: folder.path) else {
      throw FiguresError.outputFailed(
        output: output.path, reason: "folder \(folder.path) does not exist")
    }
    let temporary = folder.appendingPathComponent(
      ".\(output.lastPathComponent).\(UUID().uuidString).tmp")
    // Gone when the render ends, by an error or a stop too (after gnuplot is killed).
    let removeTemporary: @Sendable () -> Void = { StopSignals.uninterruptible { _ = unlink(temporary.path) } }
    let stop = StopSignals.onStop { _ in removeTemporary() }
    defer {
      stop.remove()
      removeTemporary()
    }

    var commands = ["set terminal \(terminal)", "set output \(quoted(temporary.path))"]
    for (name, value) in variables.sorted(by: { $0.key < $1.key }) {
      try validate(name: name, value: value)
      commands.append("\(name) = \(quoted(value))")
    }
    let warnings = try run(
      gnuplot, arguments: ["-e", commands.joined(separator: "; "), script.path],
      in: script.deletingLastPathComponent(), script: script, timeLimit: timeLimit)

    let written =
      (try? FileManager.default.attributesOfItem(atPath: temporary.path)[.size] as? Int) ?? 0
    guard written > 0 else {
      throw FiguresError.outputFailed(
        output: output.path, reason: "\(script.path) produced no output (does it plot anything?)")
    }
    guard rename(temporary.path, output.path) == 0 else {
      throw FiguresError.outputFailed(output: output.path, reason: String(cString: strerror(errno)))
    }
    return warnings
  }

  /// The `set terminal` arguments for an output file name.
  private static func terminal(for output: URL, size: (width: Int, height: Int)) throws -> String {
    let font = #"enhanced font "Sans,11""#
    switch output.pathExtension.lowercased() {
    case "png": return "pngcairo size \(size.width),\(size.height) \(font)"
    case "svg": return #"svg size \#(size.width),\#(size.height) \#(font) background "white""#
    case "pdf":
      return "pdfcairo size \(Double(size.width) / 100)in,\(Double(size.height) / 100)in \(font)"
    default: throw FiguresError.unsupportedFormat(output: output.path)
    }
  }

  /// Runs gnuplot to completion; returns its stderr, or throws `gnuplotFailed` with it, or
  /// `gnuplotTimedOut` when it runs longer than `timeLimit` seconds. gnuplot runs as a
  /// `ChildProcess`: in its own process group, killed with all it started at the time limit
  /// or when GradLab stops.
  private static func run(_ gnuplot: URL, arguments: [String], in folder: URL, script: URL, timeLimit: Double) throws
    -> String
  {
    let outcome: ChildProcess.Outcome
    do {
      outcome = try ChildProcess.run(
        gnuplot.path, arguments: arguments, directory: folder, standardError: .captured, timeLimit: timeLimit)
    } catch {
      throw FiguresError.launchFailed(gnuplot: gnuplot.path, reason: "\(error)")
    }
    if outcome.timedOut { throw FiguresError.gnuplotTimedOut(script: script.path, seconds: timeLimit) }
    guard outcome.succeeded else {
      throw FiguresError.gnuplotFailed(
        script: script.path, status: outcome.exitCode ?? 128 + (outcome.signal ?? 0), stderr: outcome.standardError)
    }
    return outcome.standardError
  }

  /// A gnuplot single-quoted string: a quote inside is written twice.
  private static func quoted(_ value: String) -> String {
    "'" + value.replacingOccurrences(of: "'", with: "''") + "'"
  }

  /// Names must be gnuplot identifiers; values must fit on one command line.
  private static func validate(name: String, value: String) throws {
    let identifier =
      name.first.map { $0 == "_" || ($0.isASCII && $0.isLetter) } == true
      && name.allSatisfy { $0 == "_" || ($0.isASCII && ($0.isLetter || $0.isNumber)) }
    guard identifier else {
      throw FiguresError.invalidVariable(
        name: name, reason: "expected letters, digits and '_', not starting with a digit")
    }
    guard !value.contains(where: { $0.isNewline || $0 == "\0" }) else {
      throw FiguresError.invalidVariable(name: name, reason: "the value contains a line break")
    }
  }

  private static func isExecutableFile(_ path: String) -> Bool {
    var isFolder: ObjCBool = false
    return FileManager.default.fileExists(atPath: path, isDirectory: &isFolder)
      && !isFolder.boolValue
      && FileManager.default.isExecutableFile(atPath: path)
  }
}

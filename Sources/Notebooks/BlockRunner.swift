import ChildProcess
import Foundation

/// Runs a notebook's runnable code blocks with `/bin/sh -e` in a scratch folder that holds a
/// copy of the repository's `plots/` (scripts and course tables), with `gradlab` on PATH.
/// Commands written for the repository root therefore work unchanged, and whatever they write
/// lands in the scratch folder unless it names another place: a block runs with the
/// permissions of the user who runs the check.
struct BlockRunner {
  let root: URL
  let scratch: URL
  let executable: URL

  init(root: URL, scratch: URL, executable: URL) throws {
    self.root = root
    self.scratch = scratch
    self.executable = executable
    let files = FileManager.default
    do {
      try files.createDirectory(at: scratch, withIntermediateDirectories: true)
      let plots = scratch.appendingPathComponent("plots")
      if !files.fileExists(atPath: plots.path) {
        try files.copyItem(at: root.appendingPathComponent("plots"), to: plots)
      }
      let bin = scratch.appendingPathComponent("bin")
      try files.createDirectory(at: bin, withIntermediateDirectories: true)
      let link = bin.appendingPathComponent("gradlab")
      try? files.removeItem(at: link)
      try files.createSymbolicLink(at: link, withDestinationURL: executable)
    } catch {
      throw NotebookError("cannot prepare the scratch folder \(scratch.path): \(error.localizedDescription)")
    }
  }

  /// Runs one block; nil when it exits 0, else the problem with the last lines it printed.
  /// The block runs in a process group of its own (`ChildProcess`): it is killed with all it
  /// started when it exceeds `timeLimit` seconds or GradLab stops, and whatever it leaves
  /// running in the background ends when it does.
  func run(_ block: MarkdownDocument.CodeBlock, of document: MarkdownDocument, timeLimit: Double, log: (String) -> Void) -> NotebookProblem? {
    let name = URL(fileURLWithPath: document.path).deletingPathExtension().lastPathComponent
    let logFile = scratch.appendingPathComponent("\(name)-line\(block.line).log")
    log("running \(document.path):\(block.line) in \(scratch.path)")
    let started = Date()
    var environment = ProcessInfo.processInfo.environment
    environment["PATH"] = scratch.appendingPathComponent("bin").path + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
    try? FileManager.default.removeItem(at: logFile)
    let outcome: ChildProcess.Outcome
    do {
      outcome = try ChildProcess.run(
        "/bin/sh", arguments: ["-e", "-c", block.text], directory: scratch, environment: environment,
        standardOutput: .file(logFile), standardError: .file(logFile), timeLimit: timeLimit)
    } catch {
      return NotebookProblem(file: document.path, line: block.line, message: "cannot run the block: \(error)")
    }
    log(String(format: "  finished in %.1f s", Date().timeIntervalSince(started)))
    guard outcome.succeeded else {
      let text = (try? String(contentsOf: logFile, encoding: .utf8)) ?? ""
      let tail = text.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | ")
      let limit = outcome.timedOut ? "; give --time-limit more seconds if it needs them" : ""
      return NotebookProblem(file: document.path, line: block.line, message: "block failed with \(outcome.describe(timeLimit: timeLimit)): \(tail) (log: \(logFile.path))\(limit)")
    }
    return nil
  }

  /// Size and modification time of every file under the repository's `plots/data`.
  func fingerprintOfCourseTables() throws -> [String: String] {
    let data = root.appendingPathComponent("plots/data")
    var result: [String: String] = [:]
    let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
    guard let walker = FileManager.default.enumerator(at: data, includingPropertiesForKeys: keys) else { return result }
    for case let file as URL in walker {
      let values = try file.resourceValues(forKeys: Set(keys))
      result[file.path] = "\(values.fileSize ?? -1) \(values.contentModificationDate?.timeIntervalSince1970 ?? 0)"
    }
    return result
  }
}

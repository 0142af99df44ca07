import Foundation
import StopSignals

/// What `gradlab notebook check|run` checks in Markdown files, and how.
public struct NotebookCheckOptions: Sendable {
  /// Parses `gradlab` arguments with the real command line and returns the folders the
  /// command would write; throws the parser's message when the arguments are wrong.
  public typealias CommandParser = @Sendable ([String]) throws -> [String]

  public enum Runs: Sendable {
    /// Parse every command, run none.
    case none
    /// Run the quick blocks (fence info `sh run`).
    case quick
    /// Run every runnable block, the slow ones (`sh run slow`) too.
    case all
  }

  /// The repository root: commands are written as if run from it.
  public var root: URL
  public var parseCommand: CommandParser?
  public var runs: Runs = .none
  /// The `gradlab` binary the run blocks call.
  public var executable: URL?
  /// Where the run blocks execute (a copy of `plots/` is made there); nil: a temporary
  /// folder, removed afterwards.
  public var scratch: URL?
  /// Every measured-looking number in the prose must carry a marker.
  public var requireMarkers = false
  /// Seconds one runnable block may take before it is killed (with all it started).
  public var blockTimeLimit = NotebookCheckOptions.defaultBlockTimeLimit
  public static let defaultBlockTimeLimit = 600.0

  public init(root: URL) { self.root = root }
}

/// Checks Markdown notebooks: every link and image resolves, every number marker matches its
/// table cell to the printed digits, every `sh` command parses with the current command line
/// and writes nothing into `plots/` unless its block says `regenerates`, and the runnable
/// blocks run (in a scratch copy of `plots/`, never in the repository).
///
/// A number marker is a link whose text is the number and whose title says where it comes
/// from (see `MarkerExpression` and `TableCells`):
///
///     [1.66e-7](../plots/data/decay_summary.tsv "grad_median @ model=lstm sigma=0.5 lag=50")
///     [1.66e-7][lstm-50]   with   [lstm-50]: ../plots/data/decay_summary.tsv "grad_median @ ..."
///     [0.84](#computed "= exp(log({...} / {...}) / 199)")
///     [-0.2231](#run:runs/sigma-0.8/decay_rates.tsv "rate_median @ model=linear")
///
/// `#run:PATH` reads a file a run block wrote in the scratch folder.
public struct NotebookChecker: Sendable {
  public let options: NotebookCheckOptions
  private let cells = TableCells()

  public init(options: NotebookCheckOptions) { self.options = options }

  /// Checks the files; returns every problem found (empty when all is well). `log` receives
  /// one line per file and per block run.
  public func check(files: [String], log: @Sendable (String) -> Void = { _ in }) throws -> [NotebookProblem] {
    let documents = try files.map { file in
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        throw NotebookError("cannot read \(file); give Markdown files that exist")
      }
      return MarkdownDocument(path: file, text: text)
    }
    return try check(documents: documents, log: log)
  }

  /// Checks documents already read (their paths still locate the links).
  public func check(documents: [MarkdownDocument], log: @Sendable (String) -> Void = { _ in }) throws -> [NotebookProblem] {
    var problems: [NotebookProblem] = []
    for document in documents {
      problems += document.problems
      problems += checkLinks(document)
      problems += checkCommands(document)
      problems += checkExcerpts(document)
      if options.requireMarkers { problems += UnmarkedNumbers.find(in: document) }
    }
    guard options.runs != .none else { return problems }
    guard let executable = options.executable else {
      throw NotebookError("running notebook blocks needs the gradlab executable")
    }
    let scratch = options.scratch ?? FileManager.default.temporaryDirectory
      .appendingPathComponent("gradlab-notebooks-\(UUID().uuidString)")
    // A temporary scratch folder goes when the check ends, by an error or a stop too (the
    // stop and the check's own end do not remove it at the same time).
    let removeScratch: @Sendable () -> Void = { [temporary = options.scratch == nil] in
      if temporary { StopSignals.uninterruptible { try? FileManager.default.removeItem(at: scratch) } }
    }
    let stop = StopSignals.onStop { _ in removeScratch() }
    defer {
      stop.remove()
      removeScratch()
    }
    let runner = try BlockRunner(root: options.root, scratch: scratch, executable: executable)
    let before = try runner.fingerprintOfCourseTables()
    for document in documents {
      var failed = false
      for block in document.codeBlocks where isRunnable(block) {
        if let problem = runner.run(block, of: document, timeLimit: options.blockTimeLimit, log: log) {
          problems.append(problem)
          failed = true
          break
        }
      }
      if !failed { problems += checkRunMarkers(document, scratch: scratch) }
    }
    if try runner.fingerprintOfCourseTables() != before {
      problems.append(NotebookProblem(file: options.root.path, line: 0, message: "a run block changed plots/data; run blocks must write into their scratch folder"))
    }
    return problems
  }

  private func isRunnable(_ block: MarkdownDocument.CodeBlock) -> Bool {
    guard Self.isShell(block), block.info.contains("run") else { return false }
    return options.runs == .all || !block.info.contains("slow")
  }

  static func isShell(_ block: MarkdownDocument.CodeBlock) -> Bool {
    ["sh", "bash", "shell"].contains(block.info.first ?? "")
  }

  // MARK: links and markers

  private func checkLinks(_ document: MarkdownDocument) -> [NotebookProblem] {
    let directory = URL(fileURLWithPath: document.path).deletingLastPathComponent()
    var problems: [NotebookProblem] = []
    for link in document.links {
      func problem(_ message: String) { problems.append(NotebookProblem(file: document.path, line: link.line, message: message)) }
      let url = link.url
      if url.hasPrefix("http://") || url.hasPrefix("https://") || url.hasPrefix("mailto:") { continue }
      if url.hasPrefix("#run:") {
        let inScratch = String(url.dropFirst("#run:".count))
        if !RepositoryPath.staysInside(relative: inScratch) {
          problem("\(url): name a file inside the scratch folder by a relative path")
        } else if link.title?.hasPrefix("?") != true, PrintedNumber(link.text) == nil {
          problem("marker text \"\(link.text)\" is not a number")
        }
        continue
      }
      let parts = url.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
      let path = parts[0].removingPercentEncoding ?? parts[0]
      let fragment = parts.count > 1 ? parts[1] : nil
      if path.hasPrefix("/") {
        problem("\(link.isImage ? "image" : "link") \(url) is absolute; link files by their path relative to this file")
        continue
      }
      let target = URL(fileURLWithPath: RepositoryPath.absolute(path.isEmpty ? document.path : directory.path + "/" + path))
      guard RepositoryPath.isInside(target.path, options.root.path) else {
        problem("\(link.isImage ? "image" : "link") \(url) points outside the repository \(options.root.path); link files inside it")
        continue
      }
      let isStatement = link.title?.hasPrefix("?") ?? false
      let isMarker = isStatement || (link.title.map { $0.hasPrefix("=") || path.hasSuffix(".tsv") || path.hasSuffix(".json") } ?? false)
      if !path.isEmpty, !FileManager.default.fileExists(atPath: target.path) {
        problem("\(link.isImage ? "image" : "link") \(url) does not exist (looked for \(target.standardized.path))")
        continue
      }
      if let fragment, !isMarker, fragment != "computed", target.pathExtension == "md",
        let text = try? String(contentsOf: target, encoding: .utf8)
      {
        let anchors = Set(MarkdownDocument(path: target.path, text: text).headings.map(GitHubAnchor.slug))
        if !anchors.contains(fragment) { problem("link \(url): no heading with anchor #\(fragment)") }
      }
      if isMarker, let title = link.title {
        let file = path.isEmpty ? nil : target.path
        if let message = checkMarker(text: link.text, title: title, file: file, shown: path, directory: directory, within: options.root.path) {
          problem(message)
        }
      }
    }
    return problems
  }

  /// nil when the printed number matches what the title computes, or the statement holds.
  /// Files named in braces must lie `within` that folder (the repository, or the scratch folder).
  private func checkMarker(text: String, title: String, file: String?, shown: String, directory: URL, within root: String) -> String? {
    let base = file.map { URL(fileURLWithPath: $0).deletingLastPathComponent() } ?? directory
    let resolve: MarkerExpression.Resolve = { other, reference in
      if let other, other.hasPrefix("/") { throw NotebookError("{\(other): ...} is absolute; name files relative to the linked one") }
      let path = other.map { RepositoryPath.absolute($0, from: base.path) } ?? file
      guard let path else { throw NotebookError("\"\(reference)\" names no file; link the table or write {file: ...}") }
      if other != nil, !RepositoryPath.isInside(path, root) {
        throw NotebookError("{\(other ?? ""): ...} points outside the repository \(root)")
      }
      return try cells.value(of: reference, in: path)
    }
    if title.hasPrefix("?") {
      do {
        let statement = try Statement(title: title)
        guard let falsehood = try statement.falsehood(cells: cells, file: file, shown: shown, resolve: resolve) else { return nil }
        return "statement \"\(text)\" is false: \"\(title)\" \(falsehood)"
      } catch {
        return "statement \"\(text)\": \(error)"
      }
    }
    guard let printed = PrintedNumber(text) else { return "marker text \"\(text)\" is not a number" }
    let value: Double
    do {
      value = try MarkerExpression(title).evaluate(resolve: resolve)
    } catch {
      return "marker \"\(text)\": \(error)"
    }
    guard printed.matches(value) else {
      return "marker \"\(text)\" does not match \"\(title)\" = \(Self.format(value))"
    }
    return nil
  }

  /// Every `swift excerpt PATH` block still occurs in its source file.
  private func checkExcerpts(_ document: MarkdownDocument) -> [NotebookProblem] {
    let directory = URL(fileURLWithPath: document.path).deletingLastPathComponent()
    return document.codeBlocks.compactMap { block in
      guard let quoted = CodeExcerpt.path(of: block) else { return nil }
      func problem(_ message: String) -> NotebookProblem { NotebookProblem(file: document.path, line: block.line, message: message) }
      guard let path = quoted else { return problem("write the quoted file after `swift excerpt`, relative to this file") }
      guard !path.hasPrefix("/") else { return problem("excerpt source \(path) is absolute; name it relative to this file") }
      let source = URL(fileURLWithPath: RepositoryPath.absolute(path, from: directory.path))
      guard RepositoryPath.isInside(source.path, options.root.path) else {
        return problem("excerpt source \(path) lies outside the repository \(options.root.path)")
      }
      guard let text = try? String(contentsOf: source, encoding: .utf8) else {
        return problem("excerpt source \(path) does not exist (looked for \(source.path))")
      }
      return CodeExcerpt.mismatch(excerpt: block.text, source: text, shown: path).map(problem)
    }
  }

  private func checkRunMarkers(_ document: MarkdownDocument, scratch: URL) -> [NotebookProblem] {
    document.links.compactMap { link in
      guard link.url.hasPrefix("#run:"), let title = link.title else { return nil }
      let inScratch = String(link.url.dropFirst("#run:".count))
      guard RepositoryPath.staysInside(relative: inScratch) else { return nil }  // reported by checkLinks
      let file = RepositoryPath.absolute(inScratch, from: scratch.path)
      guard FileManager.default.fileExists(atPath: file) else {
        return NotebookProblem(file: document.path, line: link.line, message: "\(link.url): no run block wrote \(file)")
      }
      let directory = URL(fileURLWithPath: file).deletingLastPathComponent()
      return checkMarker(text: link.text, title: title, file: file, shown: link.url, directory: directory, within: scratch.path).map {
        NotebookProblem(file: document.path, line: link.line, message: $0)
      }
    }
  }

  static func format(_ value: Double) -> String { String(format: "%.10g", value) }

  // MARK: commands

  private func checkCommands(_ document: MarkdownDocument) -> [NotebookProblem] {
    var problems: [NotebookProblem] = []
    for block in document.codeBlocks where Self.isShell(block) {
      func problem(_ message: String) { problems.append(NotebookProblem(file: document.path, line: block.line, message: message)) }
      let commands: [ShellCommand]
      do { commands = try ShellCommand.parse(block: block.text) } catch {
        problem("\(error)")
        continue
      }
      let runnable = block.info.contains("run")
      for command in commands {
        let shown = command.words.joined(separator: " ")
        if let arguments = command.gradlabArguments {
          if runnable && command.words.first != "gradlab" {
            problem("a run block calls plain `gradlab` (the checker puts it on PATH): \(shown)")
          }
          guard let parse = options.parseCommand else { continue }
          do {
            let written = try parse(arguments)
            let intoCourse = written.filter { isCourseFolder($0) }
            if !intoCourse.isEmpty && !block.info.contains("regenerates") {
              problem("`\(shown)` writes into \(intoCourse.joined(separator: ", ")), the committed course tables; give it --output runs/..., or mark the block `regenerates` if it is the command that regenerates them")
            }
          } catch {
            problem("`\(shown)` does not parse: \(Self.firstLine(of: error))")
          }
        } else if command.words.first == "make" {
          for target in command.words.dropFirst() where !target.hasPrefix("-") && !target.contains("=") {
            if !makeTargets.contains(target) { problem("`\(shown)`: the Makefile has no target \(target)") }
          }
        } else if command.words.first == "gnuplot" {
          for script in command.words where script.hasSuffix(".gp") {
            let path = options.root.appendingPathComponent(script).path
            if !FileManager.default.fileExists(atPath: path) { problem("`\(shown)`: no script \(script)") }
          }
        }
      }
    }
    return problems
  }

  /// True when `path` (relative to the repository root, or absolute) lies in its `plots/`.
  func isCourseFolder(_ path: String) -> Bool {
    let absolute = path.hasPrefix("/") ? path : options.root.path + "/" + path
    let normalized = (absolute as NSString).standardizingPath
    let plots = ((options.root.path + "/plots") as NSString).standardizingPath
    return normalized == plots || normalized.hasPrefix(plots + "/")
  }

  private var makeTargets: Set<String> {
    guard let text = try? String(contentsOf: options.root.appendingPathComponent("Makefile"), encoding: .utf8) else {
      return []
    }
    var targets: Set<String> = []
    for line in text.components(separatedBy: "\n") where !line.hasPrefix("\t") && !line.hasPrefix(".") {
      guard let colon = line.firstIndex(of: ":"), !line.contains("="),
        !line[..<colon].contains(" ") || line.hasPrefix(".PHONY")
      else { continue }
      targets.insert(String(line[..<colon]))
    }
    return targets
  }

  static func firstLine(of error: Error) -> String {
    String(describing: error).split(separator: "\n").first.map(String.init) ?? "\(error)"
  }
}

/// GitHub's heading anchors: lowercased, punctuation dropped, spaces to hyphens.
enum GitHubAnchor {
  static func slug(_ heading: String) -> String {
    var out = ""
    for ch in heading.lowercased() {
      if ch == " " {
        out.append("-")
      } else if ch.isLetter || ch.isNumber || ch == "-" || ch == "_" {
        out.append(ch)
      }
    }
    return out
  }
}

import ArgumentParser
import Foundation
import Notebooks

/// `gradlab notebook check|run FILE...`: executable Markdown (see `NotebookChecker`).
struct Notebook: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Check or run the course notebooks (executable Markdown).",
    subcommands: [Check.self, Run.self])

  struct Files: ParsableArguments {
    @Argument(help: "Markdown files.") var files: [String]
    @Option(help: "The repository root; commands in the notebooks are written as run from it.") var root = "."
    @Flag(help: "Every measured-looking number in the prose must carry a marker.") var requireMarkers = false
    @Option(help: "Seconds one runnable block may take; it is then killed with all it started.")
    var timeLimit = NotebookCheckOptions.defaultBlockTimeLimit

    func validate() throws {
      try CommandLineChecks.nonEmpty(root, "--root")
      for file in files where !FileManager.default.fileExists(atPath: file) {
        throw ValidationError("\(file) does not exist; give the notebooks' paths, e.g. notebooks-md/*.md")
      }
      guard timeLimit > 0, timeLimit.isFinite else {
        throw ValidationError("--time-limit \(timeLimit) must be a positive number of seconds")
      }
      guard FileManager.default.fileExists(atPath: root + "/plots") else {
        throw ValidationError("--root \(root) has no plots/ folder; run from the repository root or pass --root")
      }
    }

    func options(runs: NotebookCheckOptions.Runs, scratch: String?) -> NotebookCheckOptions {
      var o = NotebookCheckOptions(root: URL(fileURLWithPath: RepositoryPath.absolute(root)))
      o.parseCommand = Notebook.foldersWritten
      o.runs = runs
      o.executable = Bundle.main.executableURL
      o.scratch = scratch.map { URL(fileURLWithPath: RepositoryPath.absolute($0)) }
      o.requireMarkers = requireMarkers
      o.blockTimeLimit = timeLimit
      return o
    }
  }

  struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Check links, images, number markers and commands, and run the quick blocks (`sh run`).")
    @OptionGroup var files: Files
    @Flag(help: "Only parse the commands; run no block.") var noRun = false

    func run() throws {
      try Notebook.report(files.files, options: files.options(runs: noRun ? .none : .quick, scratch: nil))
    }
  }

  struct Run: ParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Run every runnable block (`sh run`, `sh run slow`) into a scratch folder, then check.")
    @OptionGroup var files: Files
    @Option(help: "Scratch folder, relative to the current directory (it gets a copy of plots/). Default: runs/notebooks.")
    var scratch = "runs/notebooks"

    func validate() throws {
      try CommandLineChecks.nonEmpty(scratch, "--scratch")
      let folder = RepositoryPath.absolute(scratch)
      let root = RepositoryPath.absolute(files.root)
      if RepositoryPath.isInside(root, folder) {
        throw ValidationError("--scratch \(scratch) is \(folder), which holds the repository \(root); give a folder of its own, e.g. runs/notebooks")
      }
      if RepositoryPath.isInside(folder, root + "/plots") {
        throw ValidationError("--scratch \(scratch) is \(folder), inside the course's plots/; give a folder outside it, e.g. runs/notebooks")
      }
    }

    func run() throws {
      let folder = RepositoryPath.absolute(scratch)
      try Notebook.report(files.files, options: files.options(runs: .all, scratch: folder))
      print("outputs are in \(folder)")
    }
  }

  static func report(_ files: [String], options: NotebookCheckOptions) throws {
    let console = Console()
    let problems = try NotebookChecker(options: options).check(files: files, log: { console.line($0) })
    for problem in problems { print(problem) }
    guard problems.isEmpty else { throw ExitCode.failure }
    print("checked \(files.count) file\(files.count == 1 ? "" : "s"): links, images, markers and commands all good")
  }

  /// Parses gradlab arguments with the real command line (the course commands); the
  /// folders the command writes.
  @Sendable static func foldersWritten(_ arguments: [String]) throws -> [String] {
    let command: ParsableCommand
    do {
      command = try CourseCommandLine.parseAsRoot(CommandLineChecks.joiningNegativeNumbers(arguments))
    } catch {
      if CourseCommandLine.exitCode(for: error) == .success { return [] }
      throw NotebookError(CourseCommandLine.message(for: error))
    }
    switch command {
    case let decay as Decay: return [decay.outputFolder]
    case let figures as RenderFigures: return [figures.output ?? figures.plots]
    default:
      let flag = arguments.firstIndex(of: "--output").flatMap { arguments.indices.contains($0 + 1) ? arguments[$0 + 1] : nil }
      return flag.map { [$0] } ?? []
    }
  }
}

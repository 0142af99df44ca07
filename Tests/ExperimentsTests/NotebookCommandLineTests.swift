import Foundation
import Testing

/// `gradlab notebook`: a check stopped while a block loops leaves no process and no scratch
/// folder behind; `--scratch` means the folder it names, and never the repository.
@Suite(.enabled(if: gradlabBinary != nil, "the gradlab binary has not been built"))
struct NotebookCommandLineTests {
  /// A repository root with plots/ and one notebook whose run block is `block`.
  func repository(block: String) throws -> (root: URL, notebook: String) {
    let root = try emptyFolder()
    try FileManager.default.createDirectory(at: root.appendingPathComponent("plots/data"), withIntermediateDirectories: true)
    let notebook = root.appendingPathComponent("one.md").path
    try "# One\n\n```sh run\n\(block)\n```\n".write(toFile: notebook, atomically: true, encoding: .utf8)
    return (root, notebook)
  }

  static func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    return !["Z", "X"].contains(stat.split(separator: ")").last?.split(separator: " ").first ?? "")
  }

  /// SIGKILL gives gradlab no say: the block's supervisor ends the group, and the scratch
  /// folder stays (nothing can remove it).
  @Test(arguments: [SIGTERM, SIGINT, SIGKILL])
  func aStoppedCheckLeavesNoProcessAndNoScratchFolder(signal: Int32) throws {
    let (root, notebook) = try repository(block: "echo $$ > ../pids; sleep 300 & echo $! >> ../pids; while :; do :; done")
    defer { try? FileManager.default.removeItem(at: root) }
    // The block runs in <scratch>/, so ../pids lands beside the scratch folder: in a
    // folder of our own, given as TMPDIR.
    let binary: URL = try #require(gradlabBinary)
    let errors = Pipe()
    let process = Process()
    process.executableURL = binary
    process.arguments = ["notebook", "check", "--root", root.path, notebook]
    process.environment = ProcessInfo.processInfo.environment.merging(["TMPDIR": root.path]) { $1 }
    process.standardError = errors
    process.standardOutput = Pipe()
    try process.run()
    let pids = root.appendingPathComponent("pids")
    let deadline = Date().addingTimeInterval(60)
    func written() -> [Int32] {
      ((try? String(contentsOf: pids, encoding: .utf8)) ?? "").split(whereSeparator: \.isNewline).compactMap { Int32($0) }
    }
    while Date() < deadline, written().count < 2 { usleep(50_000) }
    let children = written()
    try #require(children.count == 2, "the block never started")
    kill(process.processIdentifier, signal)
    _ = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    if signal == SIGKILL {
      #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)
    } else {
      #expect(process.terminationStatus == 128 + signal)
    }
    let gone = Date().addingTimeInterval(3)
    while Date() < gone, children.contains(where: Self.isAlive) { usleep(20_000) }
    #expect(children.filter(Self.isAlive) == [], "survivors")
    guard signal != SIGKILL else { return }
    let left = try FileManager.default.contentsOfDirectory(atPath: root.path).filter { $0.hasPrefix("gradlab-notebooks-") }
    #expect(left == [], "scratch folders left: \(left)")
  }

  @Test func theScratchFolderIsWhereItSaysAndNeverHoldsTheRepository() throws {
    let (root, notebook) = try repository(block: "touch made-here")
    defer { try? FileManager.default.removeItem(at: root) }
    let work = root.appendingPathComponent("work")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    // ../x from work/ is <root>/x, not work/x.
    let ran = try gradlab(["notebook", "run", "--root", "..", "--scratch", "../x", "../one.md"], directory: work)
    #expect(ran.status == 0, "stderr: \(ran.stderr)")
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("x/made-here").path))
    #expect(!FileManager.default.fileExists(atPath: work.appendingPathComponent("x").path))
    for scratch in ["..", root.path, root.appendingPathComponent("plots/s").path] {
      let refused = try gradlab(["notebook", "run", "--root", root.path, "--scratch", scratch, notebook], directory: work)
      #expect(refused.status == 64, "--scratch \(scratch): \(refused.stderr)")
      #expect(refused.stderr.contains("--scratch \(scratch) is "), "\(refused.stderr)")
    }
  }
}

/// `gradlab figures` stopped while gnuplot loops: gnuplot ends with it, and the temporary
/// image beside the output is gone.
@Suite(.enabled(if: gradlabBinary != nil && gnuplotInstalled, "needs the gradlab binary and gnuplot"))
struct FiguresStopTests {
  /// The processes whose parent is `parent`.
  static func children(of parent: Int32) -> [Int32] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return names.compactMap(Int32.init).filter { pid in
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
        let fields = stat.split(separator: ")").last?.split(separator: " "), fields.count > 2
      else { return false }
      return Int32(fields[2]) == parent
    }
  }

  @Test func aStoppedRenderLeavesNoGnuplotAndNoTemporaryFile() throws {
    let root = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let plots = root.appendingPathComponent("plots")
    let tables = root.appendingPathComponent("data/tasks/clipping")
    try FileManager.default.createDirectory(at: tables, withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: plots, withIntermediateDirectories: true)
    for name in ["steps.tsv", "summary.tsv", "config.json"] {
      try "".write(to: tables.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    try "while (1) { x = 1 }\n".write(to: plots.appendingPathComponent("clipping.gp"), atomically: true, encoding: .utf8)
    let errors = Pipe()
    let process = try startGradLab(
      ["figures", "--plots", plots.path, "--data", root.appendingPathComponent("data").path, "--only", "clipping"], errors: errors)
    let deadline = Date().addingTimeInterval(30)
    var gnuplot: [Int32] = []
    while Date() < deadline, gnuplot.isEmpty {
      usleep(50_000)
      gnuplot = Self.children(of: process.processIdentifier)
    }
    try #require(!gnuplot.isEmpty, "gnuplot never started")
    usleep(300_000)
    kill(process.processIdentifier, SIGTERM)
    _ = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    #expect(process.terminationStatus == 128 + SIGTERM)
    let gone = Date().addingTimeInterval(3)
    while Date() < gone, gnuplot.contains(where: NotebookCommandLineTests.isAlive) { usleep(20_000) }
    #expect(gnuplot.filter(NotebookCommandLineTests.isAlive) == [], "gnuplot survived")
    #expect(try FileManager.default.contentsOfDirectory(atPath: plots.path) == ["clipping.gp"])
  }
}

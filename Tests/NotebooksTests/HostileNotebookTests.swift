import Foundation
import Testing

@testable import Notebooks

/// Notebooks written carelessly or with ill intent: links out of the repository are refused,
/// and a run block that loops or leaves jobs behind neither hangs the check nor survives it.
struct HostileNotebookTests {
  /// A repository with one table and the given notebook; returns the problems and the root.
  func check(
    _ notebook: String, runs: NotebookCheckOptions.Runs = .none, timeLimit: Double = 60, log: @escaping @Sendable (String) -> Void = { _ in }
  ) throws -> [NotebookProblem] {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("hn-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("plots/data"), withIntermediateDirectories: true)
    try FileManager.default.createDirectory(at: root.appendingPathComponent("notebooks-md"), withIntermediateDirectories: true)
    try "k\tv\n1\t0.5\n".write(to: root.appendingPathComponent("plots/data/t.tsv"), atomically: true, encoding: .utf8)
    let file = root.appendingPathComponent("notebooks-md/01.md").path
    try notebook.write(toFile: file, atomically: true, encoding: .utf8)
    var options = NotebookCheckOptions(root: root)
    options.runs = runs
    options.executable = URL(fileURLWithPath: "/bin/echo")
    options.blockTimeLimit = timeLimit
    return try NotebookChecker(options: options).check(files: [file], log: log)
  }

  @Test func absoluteLinksAndLinksOutOfTheRepositoryAreRefused() throws {
    let absolute = try check("[0.5](/etc/passwd \"v @ k=1\")\n")
    #expect(absolute.count == 1 && absolute[0].message.contains("/etc/passwd is absolute"))
    let outside = try check("[0.5](../../../../../../../../etc/hostname \"v @ k=1\") ![x](../../x.png)\n")
    #expect(outside.count == 2 && outside.allSatisfy { $0.message.contains("points outside the repository") })
    let brace = try check("[claim](../plots/data/t.tsv \"? {../../../../../../../../etc/t.tsv: v @ k=1} > 0\")\n")
    #expect(brace.count == 1 && brace[0].message.contains("points outside the repository"))
    let absoluteBrace = try check("[claim](../plots/data/t.tsv \"? {/etc/t.tsv: v @ k=1} > 0\")\n")
    #expect(absoluteBrace.count == 1 && absoluteBrace[0].message.contains("is absolute"))
    let run = try check("[0.5](#run:../../x.tsv \"v @ k=1\") [0.5](#run:/x.tsv \"v @ k=1\")\n")
    #expect(run.count == 2 && run.allSatisfy { $0.message.contains("inside the scratch folder") })
    let excerpt = try check("```swift excerpt /etc/hostname\nx\n```\n```swift excerpt ../../../../../../../../etc/hostname\nx\n```\n")
    #expect(excerpt.count == 2)
    #expect(excerpt.first?.message.contains("is absolute") == true)
    #expect(excerpt.last?.message.contains("outside the repository") == true)
    #expect(try check("[0.5](../plots/data/t.tsv \"v @ k=1\") [claim](./../plots/data/t.tsv \"? {v @ k=1} < 1\")\n") == [])
  }

  /// A link broken over two lines is not read; it is an error, not skipped.
  @Test func aLinkBrokenOverTwoLinesIsAnError() throws {
    let broken = try check("It [holds\nfor every row](../plots/data/t.tsv \"? every : v > 100\") and [0.5][t].\n\n[t]: ../plots/data/t.tsv \"v @ k=1\"\n")
    #expect(broken.count == 1)
    #expect(broken.first?.line == 2 && broken.first?.message.contains("broken over two lines") == true)
    #expect(try check("It [holds for every row](../plots/data/t.tsv \"? every : v > 0\") and [0.5][t].\n\n[t]: ../plots/data/t.tsv \"v @ k=1\"\n") == [])
  }

  @Test func markersReadTablesWithWindowsLineEndings() throws {
    #expect(try check("[0.5](../plots/data/t.tsv \"v @ k=1\")\r\n\r\n[x](../plots/data/t.tsv \"? every : v > 0\")\r\n") == [])
  }

  /// The process ids a block wrote into `pids` of the scratch folder, which is gone by now:
  /// the block writes them to a file named by the test instead.
  static func survivors(_ file: URL) throws -> [Int32] {
    let pids = try String(contentsOf: file, encoding: .utf8).split(whereSeparator: \.isNewline).compactMap { Int32($0) }
    #expect(pids.count >= 2)
    let deadline = Date().addingTimeInterval(3)
    func alive(_ pid: Int32) -> Bool {
      guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
      return !["Z", "X"].contains(stat.split(separator: ")").last?.split(separator: " ").first ?? "")
    }
    while Date() < deadline, pids.contains(where: alive) { usleep(20_000) }
    return pids.filter(alive)
  }

  /// The folders the check said it ran blocks in.
  final class Folders: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: Set<String> = []
    var all: Set<String> { lock.withLock { seen } }
    func note(_ line: String) {
      guard let range = line.range(of: " in /") else { return }
      lock.withLock { _ = seen.insert(String(line[line.index(before: range.upperBound)...])) }
    }
  }

  @Test func aLoopingBlockIsKilledAtItsTimeLimitWithAllItStarted() throws {
    let pids = FileManager.default.temporaryDirectory.appendingPathComponent("hn-pids-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: pids) }
    let folders = Folders()
    let started = Date()
    let problems = try check(
      "```sh run\necho $$ > \(pids.path)\nsleep 300 &\necho $! >> \(pids.path)\nwhile :; do :; done\n```\n", runs: .quick, timeLimit: 1,
      log: folders.note)
    #expect(Date().timeIntervalSince(started) < 15)
    #expect(problems.count == 1)
    #expect(problems.first?.message.contains("block failed with the time limit of 1 s") == true)
    #expect(try Self.survivors(pids) == [])
    #expect(folders.all.count == 1)
    #expect(folders.all.allSatisfy { $0.contains("gradlab-notebooks-") && !FileManager.default.fileExists(atPath: $0) }, "\(folders.all)")
  }

  @Test func aBlockThatLeavesAJobBehindDoesNotKeepTheCheckWaiting() throws {
    let pids = FileManager.default.temporaryDirectory.appendingPathComponent("hn-pids-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: pids) }
    let started = Date()
    let problems = try check("```sh run\necho $$ > \(pids.path)\n(sleep 300 & echo $! >> \(pids.path))\n```\n", runs: .quick)
    #expect(Date().timeIntervalSince(started) < 15)
    #expect(problems == [])
    #expect(try Self.survivors(pids) == [])
  }
}

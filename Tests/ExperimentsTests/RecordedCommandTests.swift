import Foundation
import Testing

/// The command a run records in its config.json names no machine's folders: absolute paths
/// become relative to the folder the command ran in.
@Suite struct RecordedCommandTests {
  @Test func absolutePathsAreRecordedRelativeToTheWorkingFolder() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let work = folder.appendingPathComponent("repo")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    let tiny = ["task", "adding", "--cell", "rnn", "--length", "10", "--hidden-size", "3", "--steps", "4", "--evaluate-every", "2", "--test-size", "8", "--batch-size", "2"]
    // One output beside the working folder (given absolute), one inside it (given as --output=ABS).
    let beside = folder.appendingPathComponent("elsewhere/run").path
    let inside = work.appendingPathComponent("runs/task").path
    for output in [["--output", beside], ["--output=" + inside]] {
      let result = try gradlab(tiny + output, directory: work)
      #expect(result.status == 0, "\(result.stderr)")
    }
    func command(_ path: String) throws -> String {
      let data = try Data(contentsOf: URL(fileURLWithPath: path).appendingPathComponent("config.json"))
      let object = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
      return try #require(object["command"] as? String)
    }
    let prefix = "gradlab " + tiny.joined(separator: " ")
    #expect(try command(beside) == prefix + " --output ../elsewhere/run")
    #expect(try command(inside) == prefix + " --output=runs/task")
  }
}

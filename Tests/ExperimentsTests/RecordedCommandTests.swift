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

  /// `train` (the IMDB runs) and `spikes` (which also keeps the steps.tsv it read) given
  /// absolute paths only: their records hold none.
  @Test func trainAndSpikesRecordNoAbsolutePath() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let work = folder.appendingPathComponent("repo")
    try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
    try StopCommandLineTests().writeReviews(into: folder.appendingPathComponent("data"))
    let run = folder.appendingPathComponent("runs/imdb")
    let train = try gradlab(
      [
        "train", "--epochs", "1", "--log-steps", "--data", folder.appendingPathComponent("data").path, "--cache", folder.appendingPathComponent("cache").path,
        "--output", run.path, "--vocabulary-size", "20", "--length", "10", "--embedding-size", "4", "--hidden-size", "3", "--batch-size", "4", "--threads", "1",
      ], directory: work)
    #expect(train.status == 0, "\(train.stderr)")
    let spikesFolder = folder.appendingPathComponent("spikes")
    let spikes = try gradlab(
      ["spikes", "--steps", run.appendingPathComponent("steps.tsv").path, "--cell", "rnn", "--epoch", "1", "--output", spikesFolder.path], directory: work)
    #expect(spikes.status == 0, "\(spikes.stderr)")
    for record in [run.appendingPathComponent("config.json"), spikesFolder.appendingPathComponent("rnn-config.json")] {
      let text = try String(contentsOf: record, encoding: .utf8).replacingOccurrences(of: "\\/", with: "/")
      #expect(!text.contains(folder.path), "\(record.lastPathComponent): \(text)")
      #expect(text.contains("../runs/imdb") || text.contains("../data"), "\(record.lastPathComponent): \(text)")
    }
    let spikesRecord = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: spikesFolder.appendingPathComponent("rnn-config.json"))) as? [String: Any])
    #expect(spikesRecord["steps"] as? String == "../runs/imdb/steps.tsv")
  }
}

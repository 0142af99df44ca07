import Foundation
import Storage
import Testing
@testable import Training

/// Commands given careless or hostile input: each ends with a one-line error that names the
/// file or flag, before any work, and leaves results as they were.
@Suite(.serialized) struct HostileCommandTests {
  /// The error line of a refused command (the one line of stderr).
  func refused(_ arguments: [String], directory: URL? = nil, sourceLocation: SourceLocation = #_sourceLocation) throws -> String {
    let result = try gradlab(arguments, directory: directory)
    let text = result.stderr.trimmingCharacters(in: .whitespacesAndNewlines)
    #expect(result.status != 0 && result.status < 128, "\(arguments): status \(result.status)", sourceLocation: sourceLocation)
    #expect(!text.isEmpty && !text.contains("\n") && !text.contains("NSCocoaErrorDomain"), "\(arguments): \(text)", sourceLocation: sourceLocation)
    return text
  }

  static let tinySweep = [
    "task-sweep", "--task", "adding", "--cells", "rnn", "--lengths", "10", "--seeds", "1", "2", "--steps", "20", "--hidden-size", "3",
    "--batch-size", "4", "--test-size", "16", "--evaluate-every", "10", "--threads", "1",
  ]

  @Test func compareTablesOnlyNeverWritesEmptyTablesNorMakesAFolder() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let missing = folder.appendingPathComponent("mistyped")
    #expect(try refused(["compare", "--tables-only", "--output", missing.path]).contains("--output"))
    #expect(!FileManager.default.fileExists(atPath: missing.path))
    // A folder of units, none of them of these flags: no tables over the good ones.
    let units = folder.appendingPathComponent("units")
    try FileManager.default.createDirectory(at: units, withIntermediateDirectories: true)
    let table = folder.appendingPathComponent("compare_overall.tsv")
    try Data("kept\n".utf8).write(to: table)
    #expect(try refused(["compare", "--tables-only", "--output", folder.path]).contains("no unit of this comparison"))
    #expect(try String(contentsOf: table, encoding: .utf8) == "kept\n")
    // --tables at a file, and --cache at a file, are refused before anything loads.
    let file = folder.appendingPathComponent("afile")
    try Data("x".utf8).write(to: file)
    #expect(try refused(["compare", "--tables-only", "--output", folder.path, "--tables", file.path]).hasPrefix("Error: --tables"))
    #expect(try refused(["compare", "--models", "cnn", "--seeds", "1", "--cache", file.path, "--output", folder.appendingPathComponent("o").path]).hasPrefix("Error: --cache"))
    #expect(try refused(["compare", "--unit", "9", "--models", "cnn", "--seeds", "1", "--lengths", "10"]).contains("--unit must be in 0...0"))
  }

  @Test func taskFlagsThatWouldMixOrRepeatRunsAreRefused() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try refused(["task-sweep", "--cells", "rnn", "rnn", "--output", folder.path]).contains("--cells lists rnn twice"))
    #expect(try refused(["task-sweep", "--lengths", "10", "10", "--output", folder.path]).contains("--lengths lists 10 twice"))
    #expect(try refused(["task-sweep", "--seeds", "3", "3", "--output", folder.path]).contains("--seeds lists 3 twice"))
    #expect(try refused(["task", "adding", "--momentum", "0.9", "--output", folder.path]).contains("--momentum 0.9 applies to SGD only"))
    #expect(try refused(["clipping", "--quick", "--sigmas", "0", "--output", folder.path]).contains("--sigmas"))
    #expect(try refused(["clipping", "--quick", "--learning-rates", "0", "--output", folder.path]).contains("--learning-rates"))
    #expect(try refused(["clipping", "--quick", "--clip-at", "-1", "--output", folder.path]).contains("--clip-at"))
    #expect(try refused(["clipping", "--quick", "--learning-rates", "0.1", "0.1", "--output", folder.path]).contains("--learning-rates lists"))

    // A sweep, then the same folder with another budget: refused, config.json untouched.
    let output = folder.appendingPathComponent("sweep")
    let first = try gradlab(Self.tinySweep + ["--output", output.path])
    #expect(first.status == 0, "\(first.stderr)")
    let config = try Data(contentsOf: output.appendingPathComponent("config.json"))
    var other = Self.tinySweep
    other[other.firstIndex(of: "20")!] = "30"
    #expect(try refused(other + ["--output", output.path]).contains("other flags"))
    #expect(try Data(contentsOf: output.appendingPathComponent("config.json")) == config)
    let again = try gradlab(Self.tinySweep + ["--output", output.path])
    #expect(again.status == 0 && again.stderr.contains("2 of 2 runs already done"), "\(again.stderr)")
  }

  @Test func sweepJobsGatherOnlyTheirOwnRuns() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    #expect(try refused(Self.tinySweep + ["--output", folder.path, "--tables-only"]).contains("holds no runs"))
    let job = try gradlab(Self.tinySweep + ["--output", folder.path, "--unit", "1"])
    #expect(job.status == 0, "\(job.stderr)")
    var other = Self.tinySweep
    other[other.firstIndex(of: "20")!] = "30"
    #expect(try refused(other + ["--output", folder.path, "--tables-only"]).contains("another run"))
    #expect(try refused(Self.tinySweep + ["--output", folder.path, "--unit", "2"]).contains("--unit must be in 0...1"))
    let gathered = try gradlab(Self.tinySweep + ["--output", folder.path, "--tables-only"])
    #expect(gathered.status == 0 && gathered.stderr.contains("1 of 2 runs gathered"), "\(gathered.stderr)")
    let runs = try TSVTable.read(from: folder.appendingPathComponent("runs.tsv"))
    #expect(runs.column("seed") == ["2"])
  }

  @Test func spikesRefusesStepsThatWouldMoveTheOnsetAndSaysWhenThereIsNone() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    func steps(_ losses: [String], order: [Int]? = nil) throws -> String {
      let rows = losses.indices.map { i in ["1", "\(i + 1)", losses[i]] + Array(repeating: "0.1", count: StepLog.header.count - 3) }
      let ordered = (order ?? Array(rows.indices)).map { rows[$0] }
      let url = folder.appendingPathComponent("steps-\(UUID().uuidString).tsv")
      try Data((([StepLog.header] + ordered).map { $0.joined(separator: "\t") }.joined(separator: "\r\n") + "\r\n").utf8).write(to: url)
      return url.path
    }
    let output = folder.appendingPathComponent("spikes").path
    let quiet = (0..<30).map { _ in "0.5" }
    for (losses, order, message) in [
      (quiet.enumerated().map { $0.offset == 20 ? "nan" : $0.element }, nil as [Int]?, "has the loss nan"),
      (quiet.enumerated().map { $0.offset == 20 ? "-3" : $0.element }, nil, "has the loss -3"),
      (quiet, Array((0..<30).reversed()), "does not come after"),
      (quiet, [0, 1, 1] + Array(2..<30), "does not come after"),
    ] {
      let text = try refused(["spikes", "--steps", try steps(losses, order: order), "--cell", "rnn", "--epoch", "1", "--output", output])
      #expect(text.contains(message) && text.contains("steps-"), "\(text)")
    }
    let calm = try gradlab(["spikes", "--steps", try steps(quiet), "--cell", "rnn", "--epoch", "1", "--output", output])
    #expect(calm.status == 0 && calm.stderr.contains("no spike in epoch 1"), "\(calm.stderr)")
  }

  @Test func saturationNamesTheFileNotFlagsItLacks() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let config = folder.appendingPathComponent("decay_config.json")
    let committed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
      .appendingPathComponent("plots/data/decay_config.json")
    var object = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: committed)) as? [String: Any])
    var configuration = try #require(object["configuration"] as? [String: Any])
    configuration["steps"] = 0
    object["configuration"] = configuration
    try JSONSerialization.data(withJSONObject: object).write(to: config)
    let text = try refused(["saturation", "--decay-config", config.path, "--output", folder.appendingPathComponent("out").path])
    #expect(text.contains(config.path), "\(text)")
    #expect(try refused(["bench", "--peer-json", folder.path]).contains("--peer-json"))
  }

  @Test func twoFreshComparesInOneFolderMeetTheLock() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try StopCommandLineTests().writeReviews(into: folder.appendingPathComponent("data"))
    for trial in 0..<4 {
      let output = folder.appendingPathComponent("compare-\(trial)/nested")
      let arguments = [
        "compare", "--models", "cnn", "--seeds", "1", "--lengths", "10", "--epochs", "1", "--embedding-size", "4", "--filters", "2",
        "--batch-size", "4", "--threads", "1", "--data", folder.appendingPathComponent("data").path,
        "--cache", folder.appendingPathComponent("cache-\(trial)").path, "--output", output.path,
      ]
      let pipes = [Pipe(), Pipe()]
      let processes = try pipes.map { try startGradLab(arguments, errors: $0) }
      for (process, pipe) in zip(processes, pipes) {
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        let errorLines = text.split(separator: "\n").filter { $0.hasPrefix("Error:") }
        #expect(process.terminationStatus == 0 || (errorLines.count == 1 && errorLines[0].contains("is in use by another gradlab run")), "trial \(trial): \(text)")
      }
      #expect(FileManager.default.fileExists(atPath: output.appendingPathComponent("units/cnn-T10-pre-seed1.json").path))
    }
  }
}

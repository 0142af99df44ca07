import Foundation
import Storage
import Testing
import Training

/// `gradlab train` end to end: a second run into the same folder is refused naming the
/// first one's PID, and Ctrl-C ends the first with one line and nothing partial left.
@Suite(.enabled(if: gradlabBinary != nil, "the gradlab binary has not been built"))
struct StopCommandLineTests {
  /// An unpacked aclImdb tree of 40 short reviews: positive ones say "good" more often.
  func writeReviews(into folder: URL) throws {
    for split in ["train", "test"] {
      for (label, word) in [("pos", "good"), ("neg", "bad")] {
        let directory = folder.appendingPathComponent("aclImdb/\(split)/\(label)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for id in 0..<10 {
          let text = (0..<8).map { ($0 + id) % 3 == 0 ? word : "film\(($0 * 7 + id) % 5)" }.joined(separator: " ")
          try Data(text.utf8).write(to: directory.appendingPathComponent("\(id)_\(label == "pos" ? 8 : 2).txt"))
        }
      }
    }
  }

  /// Polls `condition` every 50 ms for up to `seconds`.
  func wait(seconds: Double, for condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
      if condition() { return true }
      Thread.sleep(forTimeInterval: 0.05)
    }
    return condition()
  }

  @Test func aSecondRunIsRefusedAndCtrlCSaysWhatIsSavedAndHowToResume() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeReviews(into: folder.appendingPathComponent("data"))
    let output = folder.appendingPathComponent("run")
    let flags = [
      "--data", folder.appendingPathComponent("data").path, "--cache", folder.appendingPathComponent("cache").path,
      "--output", output.path, "--vocabulary-size", "20", "--length", "10", "--embedding-size", "4", "--hidden-size", "3",
      "--batch-size", "4", "--threads", "1",
    ]
    let errors = Pipe()
    let first = try startGradLab(["train", "--epochs", "100000"] + flags, errors: errors)
    defer { if first.isRunning { first.terminate() } }
    let checkpoint = output.appendingPathComponent("checkpoint.safetensors").path
    #expect(wait(seconds: 60) { FileManager.default.fileExists(atPath: checkpoint) })

    let second = try gradlab(["train", "--epochs", "100000", "--resume"] + flags)
    #expect(second.status > 0 && second.status < 128)
    #expect(second.stderr.contains("in use by another gradlab run (PID \(first.processIdentifier)"), "stderr: \(second.stderr)")

    first.interrupt()
    let stderr = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    first.waitUntilExit()
    #expect(first.terminationStatus == 128 + SIGINT)
    let lines = stderr.split(separator: "\n").filter { $0.contains("stopped by SIGINT") }
    #expect(lines.count == 1, "stderr: \(stderr)")
    let line = String(lines.first ?? "")
    #expect(line.contains("is saved in \(output.path)") && line.hasSuffix("--resume"), "\(line)")
    let names = try FileManager.default.contentsOfDirectory(atPath: output.path)
    #expect(!names.contains { $0.hasSuffix(".tmp") || $0 == OutputFolderLock.fileName }, "\(names)")

    // The epoch the line names is the one the checkpoint holds, and the run continues from it.
    let saved = try TrainingCheckpoint.read(from: URL(fileURLWithPath: checkpoint)).epoch
    #expect(line.contains("epoch \(saved) is saved"), "\(line)")
    let resumed = try gradlab(["train", "--epochs", "\(saved + 1)", "--resume"] + flags)
    #expect(resumed.status == 0, "stderr: \(resumed.stderr)")
    #expect(resumed.stderr.contains("resuming \(output.path) after epoch \(saved)"), "stderr: \(resumed.stderr)")
  }

  @Test func aStoppedComparisonKeepsItsFinishedUnitsAndRemovesTheOneInTraining() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try writeReviews(into: folder.appendingPathComponent("data"))
    let output = folder.appendingPathComponent("compare")
    let errors = Pipe()
    let stderr = Transcript()
    errors.fileHandleForReading.readabilityHandler = { stderr.add(String(decoding: $0.availableData, as: UTF8.self)) }
    let compare = try startGradLab(
      [
        "compare", "--models", "rnn", "--seeds", "1,2", "--lengths", "10", "--epochs", "60", "--hidden-size", "3",
        "--embedding-size", "4", "--batch-size", "4", "--threads", "1", "--probe-reviews", "2",
        "--data", folder.appendingPathComponent("data").path, "--cache", folder.appendingPathComponent("cache").path, "--output", output.path,
      ], errors: errors)
    defer { if compare.isRunning { compare.terminate() } }
    let units = output.appendingPathComponent("units")
    // The first unit finished, the second one under way (60 epochs: about 2 s in a debug
    // build) and, as if, part of its files written.
    #expect(wait(seconds: 300) { !compare.isRunning || stderr.all.joined().contains("training rnn-T10-pre-seed2") })
    let partial = units.appendingPathComponent("rnn-T10-pre-seed2.gradients.tsv")
    try Data("model\n".utf8).write(to: partial)
    compare.interrupt()
    compare.waitUntilExit()
    errors.fileHandleForReading.readabilityHandler = nil
    let text = stderr.all.joined() + String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    #expect(compare.terminationStatus == 128 + SIGINT, "stderr: \(text)")
    let lines = text.split(separator: "\n").filter { $0.contains("stopped by SIGINT") }
    #expect(lines.count == 1, "stderr: \(text)")
    #expect(
      lines.first?.hasSuffix("1 of 2 units are kept in \(units.path); rnn-T10-pre-seed2 was in training and starts again; run the same command to continue") == true,
      "stderr: \(text)")
    let names = try FileManager.default.contentsOfDirectory(atPath: units.path)
    #expect(names.filter { $0.hasPrefix("rnn-T10-pre-seed1.") }.count == 4, "\(names)")
    #expect(!names.contains { $0.hasPrefix("rnn-T10-pre-seed2.") || $0.hasSuffix(".tmp") }, "\(names)")
    #expect(!FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputFolderLock.fileName).path))
  }

  @Test func aSecondSweepIntoTheSameFolderIsRefusedAndAStoppedOneLeavesNothing() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let output = folder.appendingPathComponent("sweep")
    let errors = Pipe()
    let first = try startGradLab(["decay", "--steps", "2000", "--hidden", "64", "--seeds", "20", "--threads", "1", "--output", output.path], errors: errors)
    defer { if first.isRunning { first.terminate() } }
    #expect(wait(seconds: 30) { FileManager.default.fileExists(atPath: output.appendingPathComponent(OutputFolderLock.fileName).path) })
    let second = try gradlab(["decay", "--steps", "3", "--output", output.path])
    #expect(second.status > 0 && second.status < 128)
    #expect(second.stderr.contains("in use by another gradlab run (PID \(first.processIdentifier)"), "stderr: \(second.stderr)")
    first.terminate()
    _ = errors.fileHandleForReading.readDataToEndOfFile()
    first.waitUntilExit()
    #expect(first.terminationStatus == 128 + SIGTERM)
    #expect(!FileManager.default.fileExists(atPath: output.path))
  }
}

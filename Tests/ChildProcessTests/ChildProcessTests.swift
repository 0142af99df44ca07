import ChildProcess
import Foundation
import Testing

/// A child ends with its exit code and output; at its end, at its time limit, and when it
/// leaves background jobs behind, no process it started survives.
struct ChildProcessTests {
  /// A new empty folder; the child writes the ids of the processes it starts into `pids`.
  func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("child-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// True when a process with this id still runs (a zombie awaiting its parent counts as ended).
  static func isAlive(_ pid: Int32) -> Bool {
    guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
    let state = stat.split(separator: ")").last?.split(separator: " ").first
    return state != "Z" && state != "X"
  }

  /// The ids the child wrote, once all are gone (waiting up to 3 s for the system to reap).
  func survivors(in folder: URL) throws -> [Int32] {
    let pids = try String(contentsOf: folder.appendingPathComponent("pids"), encoding: .utf8)
      .split(whereSeparator: \.isNewline).compactMap { Int32($0) }
    #expect(pids.count >= 2)
    let deadline = Date().addingTimeInterval(3)
    while Date() < deadline, pids.contains(where: Self.isAlive) { usleep(20_000) }
    return pids.filter(Self.isAlive)
  }

  @Test func reportsTheExitCodeAndCapturesBothOutputs() throws {
    let outcome = try ChildProcess.run(
      "/bin/sh", arguments: ["-c", "echo out; echo err >&2; exit 3"], standardOutput: .captured,
      standardError: .captured, timeLimit: 30)
    #expect(outcome.exitCode == 3)
    #expect(!outcome.succeeded && !outcome.timedOut)
    #expect(outcome.standardOutput == "out\n")
    #expect(outcome.standardError == "err\n")
  }

  @Test func runsInTheGivenFolderWithTheGivenEnvironment() throws {
    let here = try folder()
    defer { try? FileManager.default.removeItem(at: here) }
    let outcome = try ChildProcess.run(
      "/bin/sh", arguments: ["-c", "pwd; echo $GRADLAB_TEST"], directory: here, environment: ["GRADLAB_TEST": "seen"],
      standardOutput: .captured, timeLimit: 30)
    #expect(outcome.succeeded)
    #expect(outcome.standardOutput.hasSuffix("\(here.lastPathComponent)\nseen\n"))
  }

  /// `(sleep 300 &)` leaves an orphan holding the output: the run returns when the shell
  /// ends, and the orphan is killed with its group.
  @Test func aBackgroundJobNeitherKeepsTheRunWaitingNorSurvives() throws {
    let here = try folder()
    defer { try? FileManager.default.removeItem(at: here) }
    let started = Date()
    let outcome = try ChildProcess.run(
      "/bin/sh", arguments: ["-c", "echo $$ > pids; (sleep 300 & echo $! >> pids); (sleep 301 >/dev/null 2>&1 & echo $! >> pids); echo done"],
      directory: here, standardOutput: .captured, standardError: .file(here.appendingPathComponent("log")), timeLimit: 60)
    #expect(Date().timeIntervalSince(started) < 10)
    #expect(outcome.succeeded)
    #expect(outcome.standardOutput == "done\n")
    #expect(try survivors(in: here) == [])
  }

  @Test func theTimeLimitKillsTheChildAndEverythingItStarted() throws {
    let here = try folder()
    defer { try? FileManager.default.removeItem(at: here) }
    let started = Date()
    let outcome = try ChildProcess.run(
      "/bin/sh", arguments: ["-c", "echo $$ > pids; sleep 300 & echo $! >> pids; while :; do :; done"],
      directory: here, timeLimit: 1)
    let seconds = Date().timeIntervalSince(started)
    #expect(seconds >= 1 && seconds < 10)
    #expect(outcome.timedOut)
    #expect(outcome.signal == SIGKILL)
    #expect(outcome.describe(timeLimit: 1) == "the time limit of 1 s")
    #expect(try survivors(in: here) == [])
  }

  @Test func aMissingProgramIsAnErrorNotACrash() throws {
    #expect(throws: ChildProcess.LaunchError.self) {
      try ChildProcess.run("/nonexistent/gnuplot", arguments: [], timeLimit: 5)
    }
  }

  /// A child that never reads: `send` queues up to the capacity (beyond what the pipe holds),
  /// refuses the rest at once, and `end` kills the child after its grace.
  @Test func aStreamToAChildThatNeverReadsRefusesWhatDoesNotFitAndNeverWaits() throws {
    let stream = try ChildProcess.Stream("/bin/sleep", arguments: ["300"], inputCapacity: 200_000) { _ in }
    let chunk = [UInt8](repeating: 65, count: 50_000)
    let started = Date()
    var accepted = 0
    while accepted < 100, stream.send(chunk) { accepted += 1 }
    #expect(Date().timeIntervalSince(started) < 2)
    // 4 chunks fill the queue; at most the pipe's buffer (64 KiB on Linux) more went out.
    #expect((4...8).contains(accepted), "accepted \(accepted) chunks")
    #expect(stream.isRunning)
    let pid = stream.processID
    stream.end(grace: 0.2)
    #expect(!Self.isAlive(pid))
    #expect(!stream.isRunning && !stream.send([1]))
  }
}

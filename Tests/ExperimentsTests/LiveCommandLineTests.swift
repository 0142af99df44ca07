import Figures
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `gradlab train --live` end to end: a missing gnuplot stops it before any work; a finished
/// run and a killed one leave no gnuplot behind. Processes are told apart by a token in their
/// environment, which gnuplot inherits (Linux: read from /proc).
@Suite(
  .enabled(if: gradlabBinary != nil, "the gradlab binary has not been built"),
  .enabled(if: FileManager.default.fileExists(atPath: "/proc/self/environ"), "needs /proc"))
struct LiveCommandLineTests {
  let root = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-live-cli-\(UUID().uuidString)")
  let token = "GRADLAB_TEST_TOKEN=\(UUID().uuidString)"

  /// A small aclImdb folder: 40 training and 20 test reviews; positive ones say "good".
  func makeData() throws -> URL {
    let data = root.appendingPathComponent("data")
    for (split, count) in [("train", 40), ("test", 20)] {
      for label in ["pos", "neg"] {
        let folder = data.appendingPathComponent("aclImdb/\(split)/\(label)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        for i in 0..<(count / 2) {
          let words = (0..<12).map { j in (i + j) % 3 == 0 ? (label == "pos" ? "good" : "bad") : "w\((i * 7 + j) % 9)" }
          try words.joined(separator: " ").write(to: folder.appendingPathComponent("\(i)_\(label == "pos" ? 9 : 2).txt"), atomically: true, encoding: .utf8)
        }
      }
    }
    return data
  }

  func trainArguments(epochs: Int) throws -> [String] {
    [
      "train", "--live", "--data", try makeData().path, "--cache", root.appendingPathComponent("cache").path,
      "--output", root.appendingPathComponent("run").path, "--epochs", String(epochs), "--vocabulary-size", "20",
      "--length", "12", "--embedding-size", "4", "--hidden-size", "4", "--batch-size", "8", "--gradient-epochs", "0,1",
    ]
  }

  /// Starts gradlab with default signal handling and nothing blocked (Foundation's `Process`
  /// passes on the calling thread's blocked signals, which would make SIGINT a no-op), its
  /// standard error into a file. Returns the process id and that file.
  func start(_ arguments: [String], environment extra: [String] = []) throws -> (pid: pid_t, stderr: URL) {
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let stderr = root.appendingPathComponent("stderr-\(UUID().uuidString).txt")
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, stderr.path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t(), defaults = sigset_t()
    sigemptyset(&none)
    sigemptyset(&defaults)
    for signal in [SIGINT, SIGTERM, SIGPIPE] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigmask(&attributes, &none)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
    let binary = try #require(gradlabBinary).path
    let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" } + extra + [token]
    let argv = ([binary] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup($0) } + [nil]
    defer { (argv + envp).forEach { free($0) } }
    var pid: pid_t = 0
    let status = posix_spawn(&pid, binary, &actions, &attributes, argv, envp)
    guard status == 0 else { throw POSIXError(POSIXErrorCode(rawValue: status) ?? .EIO) }
    return (pid, stderr)
  }

  /// Waits for `pid`; its exit status, or 128 + the signal that ended it.
  func wait(_ pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let signal = status & 0x7f
    return signal == 0 ? (status >> 8) & 0xff : 128 + signal
  }

  /// Processes other than this test's whose environment holds the token.
  func processesWithToken() -> [Int32] {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
    return entries.compactMap(Int32.init).filter { pid in
      guard pid != getpid(), let environ = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { return false }
      return environ.split(separator: 0).contains { $0.elementsEqual(token.utf8) }
    }
  }

  /// The process' command name (Linux: /proc/<pid>/comm).
  static func command(_ pid: Int32) -> String? {
    (try? String(contentsOfFile: "/proc/\(pid)/comm", encoding: .utf8))?.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  func noProcessWithToken(within seconds: Double = 3) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while !processesWithToken().isEmpty && Date() < deadline { usleep(50_000) }
    return processesWithToken().isEmpty
  }

  @Test func aMissingGnuplotStopsTheCommandBeforeAnyWork() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let (pid, stderr) = try start(try trainArguments(epochs: 1), environment: ["GNUPLOT=/nonexistent/gnuplot"])
    #expect(wait(pid) == 1)
    let text = try String(contentsOf: stderr, encoding: .utf8)
    #expect(text.contains("gnuplot not found") && text.contains("apt-get install gnuplot-nox"), "\(text)")
    #expect(!text.contains("loading"), "it started work: \(text)")
    #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("run").path))
  }

  @Test(.enabled(if: (try? Gnuplot.locate()) != nil, "gnuplot is not installed"))
  func aFinishedRunWritesLivePNGAndLeavesNoGnuplot() throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let (pid, stderr) = try start(try trainArguments(epochs: 2))
    let status = wait(pid)
    let text = try String(contentsOf: stderr, encoding: .utf8)
    #expect(status == 0, "\(text)")
    #expect(!text.contains("warning"), "\(text)")
    #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("run/live.png").path))
    #expect(noProcessWithToken())
  }

  @Test(.enabled(if: (try? Gnuplot.locate()) != nil, "gnuplot is not installed"), arguments: [SIGKILL, SIGINT, SIGTERM])
  func aKilledRunLeavesNoGnuplot(signal: Int32) throws {
    defer { try? FileManager.default.removeItem(at: root) }
    let (pid, _) = try start(try trainArguments(epochs: 100_000))
    let png = root.appendingPathComponent("run/live.png")
    let deadline = Date().addingTimeInterval(60)
    while !FileManager.default.fileExists(atPath: png.path) && Date() < deadline { usleep(20_000) }
    // gnuplot and its supervisor (a fork of gradlab) carry the token.
    let gnuplots = processesWithToken().filter { $0 != pid && Self.command($0) == "gnuplot" }
    #expect(gnuplots.count == 1, "expected one gnuplot beside gradlab, found \(gnuplots)")
    kill(pid, signal)
    #expect(wait(pid) == 128 + signal)
    #expect(noProcessWithToken(), "left behind: \(processesWithToken())")
  }

  /// A gnuplot that never reads its input: a short run ends within a bound and leaves nothing,
  /// and a long one killed with SIGKILL (no say for gradlab) leaves nothing either.
  @Test(arguments: [nil, SIGKILL] as [Int32?])
  func aGnuplotThatNeverReadsNeitherBlocksNorSurvives(signal: Int32?) throws {
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    let fake = root.appendingPathComponent("gnuplot"), started = root.appendingPathComponent("started")
    try "#!/bin/sh\nsleep 300 &\ntouch '\(started.path)'\nwait\n".write(to: fake, atomically: true, encoding: .utf8)
    chmod(fake.path, 0o755)
    let clock = Date()
    let (pid, stderr) = try start(try trainArguments(epochs: signal == nil ? 3 : 100_000), environment: ["GNUPLOT=\(fake.path)"])
    if let signal {
      let deadline = Date().addingTimeInterval(60)
      while !FileManager.default.fileExists(atPath: started.path) && Date() < deadline { usleep(20_000) }
      usleep(300_000)
      kill(pid, signal)
      #expect(wait(pid) == 128 + signal)
    } else {
      let status = wait(pid)
      let text = try String(contentsOf: stderr, encoding: .utf8)
      #expect(status == 0, "\(text)")
      #expect(text.contains("live figure off"), "\(text)")
      #expect(Date().timeIntervalSince(clock) < 30)
    }
    #expect(noProcessWithToken(), "left behind: \(processesWithToken())")
    let run = root.appendingPathComponent("run")
    let temporaries = ((try? FileManager.default.contentsOfDirectory(atPath: run.path)) ?? []).filter { $0.hasSuffix(".tmp") }
    #expect(signal != nil || temporaries.isEmpty, "\(temporaries)")
  }
}

import Dispatch
import Foundation
import StopSignals

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

/// The one rule for programs GradLab starts (notebook blocks, gnuplot): each runs in a process
/// group of its own, with a time limit, and nothing it starts outlives it.
///
/// - The child is spawned as the leader of a new process group, with default signal
///   dispositions and an empty signal mask (GradLab itself ignores SIGINT, SIGTERM and SIGHUP
///   while `StopSignals` routes them, and a child would inherit that), stdin from /dev/null,
///   and no open file descriptor of GradLab's beyond its stdout and stderr.
/// - When the child exits, its whole group is killed (SIGKILL): a background job it left
///   behind, such as `(sleep 300 &)`, ends with it instead of keeping a pipe or a core busy.
/// - After `timeLimit` seconds the group is killed and the outcome says `timedOut`.
/// - When GradLab stops (SIGINT, SIGTERM, SIGHUP through `StopSignals`), or `run` returns by an
///   error, the group is killed first.
///
/// Captured output goes through an anonymous temporary file (`tmpfile`), which the system
/// removes even if GradLab is killed outright.
public enum ChildProcess {
  /// Where a child's stdout or stderr goes.
  public enum Output: Sendable {
    case discard
    /// Appended to this file (created when missing).
    case file(URL)
    /// Kept, and returned in `Outcome` (stdout and stderr captured apart).
    case captured
  }

  public struct Outcome: Sendable {
    /// The exit code, or nil when a signal ended the child.
    public let exitCode: Int32?
    /// The signal that ended the child (SIGKILL after a time limit).
    public let signal: Int32?
    public let timedOut: Bool
    public let standardOutput: String
    public let standardError: String

    public var succeeded: Bool { exitCode == 0 && !timedOut }

    /// "exit code 3", "signal 9", "the time limit of 10 s".
    public func describe(timeLimit: Double) -> String {
      if timedOut { return "the time limit of \(String(format: "%g", timeLimit)) s" }
      if let exitCode { return "exit code \(exitCode)" }
      return "signal \(signal ?? 0)"
    }
  }

  public struct LaunchError: Error, CustomStringConvertible {
    public let description: String
  }

  /// Runs `executable` (a path) to its end, its group's end or `timeLimit` seconds.
  /// `environment` nil keeps GradLab's.
  public static func run(
    _ executable: String, arguments: [String], directory: URL? = nil, environment: [String: String]? = nil,
    standardOutput: Output = .discard, standardError: Output = .discard, timeLimit: Double
  ) throws -> Outcome {
    let out = try Sink(standardOutput)
    let err = try Sink(standardError)
    defer {
      out.finish()
      err.finish()
    }
    // Spawned and registered as one step a stop waits for; once a stop has begun, no child starts.
    let (group, killer, stop) = try StopSignals.uninterruptible {
      let group = try spawn(executable, arguments, directory, environment ?? ProcessInfo.processInfo.environment, out.descriptor, err.descriptor)
      let killer = GroupKiller(group)
      return (group, killer, StopSignals.onStop { _ in killer.end() })
    }
    defer {
      killer.end()
      stop.remove()
    }
    let timer = DispatchWorkItem { killer.end(timedOut: true) }
    DispatchQueue.global().asyncAfter(deadline: .now() + timeLimit, execute: timer)
    var status: Int32 = 0
    var waited: pid_t
    repeat { waited = waitpid(group, &status, 0) } while waited == -1 && errno == EINTR
    timer.cancel()
    // The leader is gone; end whatever it left running in its group.
    killer.end()
    guard waited == group else {
      throw LaunchError(description: "lost track of \(executable) (waitpid: \(String(cString: strerror(errno))))")
    }
    let exited = status & 0x7f == 0
    return Outcome(
      exitCode: exited ? (status >> 8) & 0xff : nil, signal: exited ? nil : status & 0x7f,
      timedOut: killer.timedOut, standardOutput: out.text(), standardError: err.text())
  }

  /// Kills a process group; a kill after the child is reaped stays harmless because the
  /// group id is not reused while a member lives, and `kill` on an empty group fails quietly.
  private final class GroupKiller: @unchecked Sendable {
    let group: pid_t
    private let lock = NSLock()
    private var killedAtTimeLimit = false

    init(_ group: pid_t) { self.group = group }

    var timedOut: Bool { lock.withLock { killedAtTimeLimit } }

    func end(timedOut: Bool = false) {
      lock.withLock {
        if timedOut { killedAtTimeLimit = true }
        _ = kill(-group, SIGKILL)
      }
    }
  }

  /// A file descriptor for one of the child's outputs.
  private final class Sink {
    let descriptor: Int32
    private let captured: UnsafeMutablePointer<FILE>?

    init(_ output: Output) throws {
      switch output {
      case .discard:
        descriptor = open("/dev/null", O_WRONLY | O_CLOEXEC)
        captured = nil
      case .file(let url):
        descriptor = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        captured = nil
      case .captured:
        captured = tmpfile()
        descriptor = captured.map { fileno($0) } ?? -1
      }
      guard descriptor >= 0 else {
        throw LaunchError(description: "cannot open the child's output: \(String(cString: strerror(errno)))")
      }
    }

    func text() -> String {
      guard let captured else { return "" }
      var data = Data()
      rewind(captured)
      var buffer = [UInt8](repeating: 0, count: 65_536)
      while true {
        let count = fread(&buffer, 1, buffer.count, captured)
        if count <= 0 { break }
        data.append(contentsOf: buffer[0..<count])
      }
      return String(decoding: data, as: UTF8.self)
    }

    func finish() {
      if let captured { fclose(captured) } else { close(descriptor) }
    }
  }

  /// posix_spawn into a new process group; returns its id (the group's id too).
  private static func spawn(
    _ executable: String, _ arguments: [String], _ directory: URL?, _ environment: [String: String],
    _ output: Int32, _ error: Int32
  ) throws -> pid_t {
    #if os(Linux)
      var actions = posix_spawn_file_actions_t()
      var attributes = posix_spawnattr_t()
    #else
      var actions: posix_spawn_file_actions_t?
      var attributes: posix_spawnattr_t?
    #endif
    posix_spawn_file_actions_init(&actions)
    posix_spawnattr_init(&attributes)
    defer {
      posix_spawn_file_actions_destroy(&actions)
      posix_spawnattr_destroy(&attributes)
    }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_adddup2(&actions, output, 1)
    posix_spawn_file_actions_adddup2(&actions, error, 2)
    if let closeFrom = FileActions.closeFrom { _ = closeFrom(&actions, 3) }
    if let directory {
      guard let changeDirectory = FileActions.changeDirectory else {
        throw LaunchError(description: "cannot start \(executable) in \(directory.path): this C library has no posix_spawn_file_actions_addchdir_np")
      }
      _ = changeDirectory(&actions, directory.path)
    }
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for number in 1..<32 where number != SIGKILL && number != SIGSTOP { sigaddset(&defaults, Int32(number)) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var pid: pid_t = 0
    let result = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard result == 0 else {
      throw LaunchError(description: "cannot start \(executable): \(String(cString: strerror(result)))")
    }
    return pid
  }

  /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29) and `_addclosefrom_np` (2.34), which
  /// Swift's Glibc module hides behind _GNU_SOURCE, looked up by name; Darwin declares the first.
  private enum FileActions {
    #if os(Linux)
      typealias Actions = posix_spawn_file_actions_t
    #else
      typealias Actions = posix_spawn_file_actions_t?
    #endif
    typealias ChangeDirectory = @convention(c) (UnsafeMutablePointer<Actions>, UnsafePointer<CChar>) -> Int32
    typealias CloseFrom = @convention(c) (UnsafeMutablePointer<Actions>, Int32) -> Int32

    static let changeDirectory: ChangeDirectory? = symbol("posix_spawn_file_actions_addchdir_np")
    static let closeFrom: CloseFrom? = symbol("posix_spawn_file_actions_addclosefrom_np")

    private static func symbol<F>(_ name: String) -> F? {
      #if os(Linux)
        let everywhere = UnsafeMutableRawPointer(bitPattern: 0)  // RTLD_DEFAULT
      #else
        let everywhere = UnsafeMutableRawPointer(bitPattern: -2)  // RTLD_DEFAULT
      #endif
      guard let address = dlsym(everywhere, name) else { return nil }
      return unsafeBitCast(address, to: F.self)
    }
  }
}

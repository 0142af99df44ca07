import CChildSpawn
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
/// - When GradLab ends without a word (SIGKILL, a crash), a supervisor in the child's group
///   kills the group within 0.1 s (`gl_spawn` in CChildSpawn says how).
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
    /// The system's reason alone ("No such file or directory"), without the program's name.
    public let reason: String

    init(description: String, reason: String? = nil) {
      self.description = description
      self.reason = reason ?? description
    }
  }

  /// Runs `executable` (a path) to its end, its group's end or `timeLimit` seconds.
  /// `environment` nil keeps GradLab's.
  public static func run(
    _ executable: String, arguments: [String], directory: URL? = nil, environment: [String: String]? = nil,
    standardOutput: Output = .discard, standardError: Output = .discard, timeLimit: Double
  ) throws -> Outcome {
    let nothing = try Sink(.discard, reading: true)
    let out = try Sink(standardOutput)
    let err = try Sink(standardError)
    defer {
      nothing.finish()
      out.finish()
      err.finish()
    }
    // Spawned and registered as one step a stop waits for; once a stop has begun, no child starts.
    let (group, killer, stop) = try StopSignals.uninterruptible {
      let group = try spawn(
        executable, arguments, directory, environment ?? ProcessInfo.processInfo.environment, input: nothing.descriptor, output: out.descriptor,
        error: err.descriptor)
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

    /// `reading`: /dev/null to read from, for the child's stdin.
    init(_ output: Output, reading: Bool = false) throws {
      switch output {
      case .discard:
        descriptor = open("/dev/null", (reading ? O_RDONLY : O_WRONLY) | O_CLOEXEC)
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

  /// Starts `executable` as the leader of a new process group, supervised (see `gl_spawn`);
  /// returns its id (the group's id too).
  static func spawn(
    _ executable: String, _ arguments: [String], _ directory: URL?, _ environment: [String: String],
    input: Int32, output: Int32, error: Int32
  ) throws -> pid_t {
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv + envp { free(pointer) }
    }
    var step: Int32 = 0
    var code: Int32 = 0
    let pid = gl_spawn(executable, argv, envp, directory?.path, input, output, error, &step, &code)
    guard pid > 0 else {
      let reason = String(cString: strerror(code))
      if step == Int32(GL_SPAWN_CHDIR.rawValue) {
        throw LaunchError(description: "cannot start \(executable) in \(directory?.path ?? "."): \(reason)", reason: reason)
      }
      throw LaunchError(description: "cannot start \(executable): \(reason)", reason: reason)
    }
    return pid
  }
}

import CChildSpawn
import Foundation
import StopSignals

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

extension ChildProcess {
  /// A child that stays up and reads what GradLab sends on its stdin (gnuplot behind a live
  /// figure), under the same rule as `run`: its own process group, killed with everything in
  /// it on `end`, on a stop through `StopSignals`, and by its supervisor when GradLab ends.
  ///
  /// Sending never blocks: `send` queues whole messages in a buffer of `inputCapacity` bytes
  /// and refuses one that does not fit, so a child that stops reading costs memory up to that
  /// bound and nothing else. One thread of its own writes the buffer out as the child reads,
  /// and hands what the child writes to `events` (stderr before stdout when both have data).
  public final class Stream: @unchecked Sendable {
    public enum Event: Sendable {
      case output([UInt8])
      case errors([UInt8])
      /// The child closed its output or stopped reading (it exited, most likely); last event.
      case closed
    }

    /// The child's process id, also its group's.
    public let processID: Int32
    public let inputCapacity: Int

    private let lock = NSLock()
    private var pending: [UInt8] = []
    private var written = 0  // bytes of `pending` already written
    private var inputFD: Int32
    private let outputFD: Int32
    private let errorFD: Int32
    private let wake: (read: Int32, write: Int32)
    private var closing = false  // close stdin once `pending` is written
    private var killed = false
    private var open = true
    private var reaped = false
    private let loopEnded = DispatchSemaphore(value: 0)
    private let events: @Sendable (Event) -> Void
    private var stopRegistration: StopSignals.Registration?

    /// Starts `executable` (a path). `environment` nil keeps GradLab's. `events` runs on the
    /// stream's thread; it must not call `end`.
    public init(
      _ executable: String, arguments: [String] = [], environment: [String: String]? = nil, inputCapacity: Int = 16 << 20,
      events: @escaping @Sendable (Event) -> Void
    ) throws {
      let input = try Self.pipe(), output = try Self.pipe(), errors = try Self.pipe(), wake = try Self.pipe()
      defer { for end in [input.read, output.write, errors.write] { close(end) } }
      let ours = [input.write, output.read, errors.read, wake.read, wake.write]
      for fd in ours { _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK) }
      let started: (pid: pid_t, stop: StopSignals.Registration)
      do {
        started = try StopSignals.uninterruptible {
          let pid = try spawn(
            executable, arguments, nil, environment ?? ProcessInfo.processInfo.environment, input: input.read, output: output.write,
            error: errors.write)
          return (pid, StopSignals.onStop { _ in _ = kill(-pid, SIGKILL) })
        }
      } catch {
        for fd in ours { close(fd) }
        throw error
      }
      processID = started.pid
      stopRegistration = started.stop
      self.inputCapacity = inputCapacity
      inputFD = input.write
      outputFD = output.read
      errorFD = errors.read
      self.wake = wake
      self.events = events
      Thread.detachNewThread { [self] in loop() }
    }

    deinit { end(grace: 0) }

    /// False once the child closed its output or stopped reading, or after `end`.
    public var isRunning: Bool { lock.withLock { open && !killed } }

    /// Bytes queued and not yet read by the child.
    public var queuedBytes: Int { lock.withLock { pending.count - written } }

    /// Queues `bytes` whole, or not at all: false when they do not fit in what is left of
    /// `inputCapacity`, or the child no longer reads. Never waits.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
      let queued = lock.withLock {
        guard open, !closing, !killed, pending.count - written + bytes.count <= inputCapacity else { return false }
        pending.removeFirst(written)
        written = 0
        pending.append(contentsOf: bytes)
        return true
      }
      if queued { poke() }
      return queued
    }

    /// Kills the child's group now, without waiting (for a stop action).
    public func killGroup() {
      lock.withLock {
        killed = true
        _ = kill(-processID, SIGKILL)
      }
      poke()
    }

    /// Closes the child's stdin once the queue is written, waits up to `grace` seconds for it
    /// to close its output, then kills its group and reaps it. Safe to call twice.
    public func end(grace: Double) {
      guard !lock.withLock({ () -> Bool in
        closing = true
        return reaped
      }) else { return }
      poke()
      if loopEnded.wait(timeout: .now() + grace) == .timedOut {
        killGroup()
        loopEnded.wait()
      }
      loopEnded.signal()  // a latch: any later `end` passes at once
      lock.withLock {
        guard !reaped else { return }
        reaped = true
        // The leader has closed its output or was killed; whatever else is in its group goes too.
        _ = kill(-processID, SIGKILL)
        var status: Int32 = 0
        while waitpid(processID, &status, 0) == -1 && errno == EINTR {}
        stopRegistration?.remove()
        stopRegistration = nil
        for fd in [inputFD, outputFD, errorFD, wake.read, wake.write] where fd >= 0 { close(fd) }
        inputFD = -1
      }
    }

    /// Wakes the stream's thread to look at the queue again.
    private func poke() {
      lock.withLock {
        guard !reaped else { return }  // its descriptors are closed
        var byte: UInt8 = 1
        _ = write(wake.write, &byte, 1)
      }
    }

    /// The stream's thread: writes the queue, reads both outputs, until both are closed or
    /// the group is killed.
    private func loop() {
      // A write to a child that has gone gives EPIPE here instead of killing GradLab.
      var pipeSignal = sigset_t()
      sigemptyset(&pipeSignal)
      sigaddset(&pipeSignal, SIGPIPE)
      pthread_sigmask(SIG_BLOCK, &pipeSignal, nil)
      var outputOpen = true, errorsOpen = true
      var buffer = [UInt8](repeating: 0, count: 65_536)
      while outputOpen || errorsOpen {
        let (writing, stopNow) = lock.withLock { (inputFD >= 0 && written < pending.count, killed) }
        if stopNow { break }
        var fds = [
          pollfd(fd: wake.read, events: Int16(POLLIN), revents: 0),
          pollfd(fd: errorsOpen ? errorFD : -1, events: Int16(POLLIN), revents: 0),
          pollfd(fd: outputOpen ? outputFD : -1, events: Int16(POLLIN), revents: 0),
          pollfd(fd: writing ? inputFD : -1, events: Int16(POLLOUT), revents: 0),
        ]
        guard poll(&fds, nfds_t(fds.count), -1) >= 0 || errno == EINTR else { break }
        if fds[0].revents != 0 { while read(wake.read, &buffer, buffer.count) > 0 {} }
        if fds[1].revents != 0 { errorsOpen = drain(errorFD, &buffer) { .errors($0) } }
        if fds[2].revents != 0 { outputOpen = drain(outputFD, &buffer) { .output($0) } }
        if fds[3].revents != 0, !writeQueue() { break }
        lock.withLock {
          if closing, written == pending.count, inputFD >= 0 {
            close(inputFD)
            inputFD = -1
          }
        }
      }
      lock.withLock { open = false }
      events(.closed)
      loopEnded.signal()
    }

    /// Hands what `fd` has to `events`; false at end of file.
    private func drain(_ fd: Int32, _ buffer: inout [UInt8], _ event: ([UInt8]) -> Event) -> Bool {
      while true {
        let count = read(fd, &buffer, buffer.count)
        if count > 0 {
          events(event(Array(buffer[0..<count])))
          continue
        }
        if count < 0 && (errno == EAGAIN || errno == EINTR) { return true }
        return false
      }
    }

    /// Writes what the child's stdin takes now; false when the child stopped reading.
    private func writeQueue() -> Bool {
      lock.withLock {
        while written < pending.count {
          let count = pending.withUnsafeBufferPointer { write(inputFD, $0.baseAddress! + written, pending.count - written) }
          if count > 0 {
            written += count
          } else if count < 0 && errno == EINTR {
            continue
          } else {
            return count < 0 && errno == EAGAIN
          }
        }
        return true
      }
    }

    private static func pipe() throws -> (read: Int32, write: Int32) {
      var ends: [Int32] = [-1, -1]
      guard gl_pipe(&ends) == 0 else {
        throw LaunchError(description: "cannot create a pipe: \(String(cString: strerror(errno)))")
      }
      return (ends[0], ends[1])
    }
  }
}

import Dispatch
import Foundation

/// What happens when the user stops the program: Ctrl-C (SIGINT), `kill` (SIGTERM) or a
/// closed terminal (SIGHUP). After `install()`, such a signal waits for the write in progress
/// (`uninterruptible`) to finish, runs the registered stop actions, newest first, and ends the
/// process with status 128 + the signal number, as a shell reports a stopped program.
///
/// A long-lived resource registers its cleanup while it lives:
///
///     let stop = StopSignals.onStop { _ in kill(gnuplot.processIdentifier, SIGTERM) }
///     defer { stop.remove() }
///
/// Signals set to "ignore" stay ignored in a child started with exec; Foundation's `Process`
/// resets them to the default, a hand-made `posix_spawn` must do so itself.
public enum StopSignals {
  public static let handled: [Int32] = [SIGINT, SIGTERM, SIGHUP]

  /// A registered stop action; `remove()` unregisters it.
  public struct Registration: Sendable {
    let id: Int
    public func remove() { state.remove(id) }
  }

  /// "SIGINT", "SIGTERM", "SIGHUP", else "signal N": for the line a stopped command prints.
  public static func name(of signal: Int32) -> String {
    [SIGINT: "SIGINT", SIGTERM: "SIGTERM", SIGHUP: "SIGHUP"][signal] ?? "signal \(signal)"
  }

  /// Routes the handled signals to the stop actions. Call it once, early in `main`.
  public static func install() { state.install() }

  /// Registers `action`, called with the signal number when a handled signal arrives.
  @discardableResult
  public static func onStop(_ action: @escaping @Sendable (Int32) -> Void) -> Registration {
    Registration(id: state.add(action))
  }

  /// Runs `body` with stops held back until it returns: for writes that must not be cut off
  /// (a temporary file and its rename, a checkpoint and the table beside it).
  public static func uninterruptible<R>(_ body: () throws -> R) rethrows -> R {
    state.writing.lock()
    defer { state.writing.unlock() }
    return try body()
  }

  private static let state = State()

  private final class State: @unchecked Sendable {
    /// Held during `uninterruptible` writes; a stop takes it and never gives it back.
    let writing = NSRecursiveLock()
    private let lock = NSLock()
    private var actions: [(id: Int, action: @Sendable (Int32) -> Void)] = []
    private var nextID = 0
    private var sources: [DispatchSourceSignal] = []

    func install() {
      lock.withLock {
        guard sources.isEmpty else { return }
        let queue = DispatchQueue(label: "StopSignals")
        for number in StopSignals.handled {
          signal(number, SIG_IGN)  // delivered to the dispatch source instead
          let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
          source.setEventHandler { [unowned self] in self.stop(number) }
          source.resume()
          sources.append(source)
        }
      }
    }

    func add(_ action: @escaping @Sendable (Int32) -> Void) -> Int {
      lock.withLock {
        nextID += 1
        actions.append((nextID, action))
        return nextID
      }
    }

    func remove(_ id: Int) {
      lock.withLock { actions.removeAll { $0.id == id } }
    }

    private func stop(_ number: Int32) {
      writing.lock()
      for (_, action) in lock.withLock({ actions }).reversed() { action(number) }
      _exit(128 + number)
    }
  }
}

import CPUControl
import Timing

/// Per-thread time sums of numbered parts (slots 0..<16) of a computation, timed in place
/// with `Stopwatch`: the training step's breakdown (`StepPhase`). A part timed inside another
/// counts only in its own slot. Off by default; while off, `time` costs one relaxed load.
/// Each thread sums its own slots; `take` reads and zeroes the caller's.
public enum PhaseClock {
  public static let slots = 16

  /// Switches the clocks on or off for every thread.
  public static var isEnabled: Bool {
    get { gradlab_phase_clocks_enabled() != 0 }
    set { gradlab_phase_clocks_enable(newValue ? 1 : 0) }
  }

  /// Runs `body`, adding its wall time to the calling thread's `slot` while the clocks are on,
  /// less what parts timed inside it added to their own slots (each part counts once).
  @inlinable @inline(__always)
  public static func time<R>(_ slot: Int, _ body: () throws -> R) rethrows -> R {
    guard isEnabled else { return try body() }
    let (watch, inner) = (Stopwatch(), total())
    defer { add(slot, seconds: max(0, watch.seconds - (total() - inner))) }
    return try body()
  }

  /// Everything the calling thread has added to any slot so far (s).
  public static func total() -> Double { gradlab_phase_total() }

  /// Adds `seconds` to the calling thread's `slot`.
  public static func add(_ slot: Int, seconds: Double) { gradlab_phase_add(Int32(slot), seconds) }

  /// The calling thread's sums (ms) of every slot, which are then zero.
  public static func take() -> [Double] {
    var seconds = [Double](repeating: 0, count: slots)
    seconds.withUnsafeMutableBufferPointer { gradlab_phase_take($0.baseAddress, Int32(slots)) }
    return seconds.map { $0 * 1000 }
  }
}

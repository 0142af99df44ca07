import CPUControl

/// Per-thread time sums of numbered parts (slots 0..<16) of a computation, timed in place:
/// the training step's breakdown (`StepPhase`). A part timed inside another counts only in
/// its own slot. Off by default; while off, `time` costs one
/// relaxed load. Each thread sums its own slots; `take` reads and zeroes the caller's.
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
    let (start, inner) = (now(), total())
    defer {
      let (elapsed, nested) = (now() - start, total() - inner)
      add(slot, nanoseconds: elapsed > nested ? elapsed - nested : 0)
    }
    return try body()
  }

  /// Everything the calling thread has added to any slot so far (ns).
  public static func total() -> UInt64 { UInt64(gradlab_phase_total()) }

  /// CLOCK_MONOTONIC in nanoseconds.
  public static func now() -> UInt64 { UInt64(gradlab_monotonic_ns()) }

  /// Adds `nanoseconds` to the calling thread's `slot`.
  public static func add(_ slot: Int, nanoseconds: UInt64) { gradlab_phase_add(Int32(slot), nanoseconds) }

  /// The calling thread's sums (ms) of every slot, which are then zero.
  public static func take() -> [Double] {
    var ns = [UInt64](repeating: 0, count: slots)
    ns.withUnsafeMutableBufferPointer { p in
      p.withMemoryRebound(to: CUnsignedLongLong.self) { gradlab_phase_take($0.baseAddress, Int32(slots)) }
    }
    return ns.map { Double($0) / 1e6 }
  }
}

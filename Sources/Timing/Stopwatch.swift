/// Wall-clock seconds since it was started, from a monotonic clock (`ContinuousClock`: it
/// never steps back when the system time is set). The one way GradLab times its work.
public struct Stopwatch: Sendable {
  private let start = ContinuousClock.now

  /// Starts now.
  public init() {}

  /// Seconds elapsed since `init`.
  public var seconds: Double {
    let elapsed = start.duration(to: .now).components
    return Double(elapsed.seconds) + Double(elapsed.attoseconds) * 1e-18
  }

  /// `body`'s result and the seconds it took.
  public static func timed<R>(_ body: () throws -> R) rethrows -> (result: R, seconds: Double) {
    let watch = Stopwatch()
    let result = try body()
    return (result, watch.seconds)
  }
}

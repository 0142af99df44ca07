import Recurrent

/// Where a training step's time goes, timed in place inside real steps (`StepPhase`, the
/// phase clocks on): the mean of each part over the profiled steps, the slowest shard's for
/// the parts the shards run in parallel, and what is left of the mean step.
public struct StepBreakdown: Sendable, Codable {
  /// Mean ms per profiled step (the clocks' own cost included).
  public var step: Double
  /// Mean ms of each part, in `StepPhase` order.
  public var parts: [Double]
  /// step - Σ parts: code between the parts and the clocks themselves.
  public var unaccounted: Double

  /// steps: each profiled step's wall time (ms) and phase sums (`PhaseClock.take()`).
  init(steps: [(ms: Double, phases: [Double])]) {
    let n = Double(steps.count)
    step = steps.map(\.ms).reduce(0, +) / n
    parts = StepPhase.allCases.map { phase in steps.map { $0.phases[phase.rawValue] }.reduce(0, +) / n }
    unaccounted = step - parts.reduce(0, +)
  }

  public var rows: [(String, Double)] { zip(StepPhase.allCases.map(\.label), parts).map { ($0, $1) } + [("unaccounted", unaccounted)] }
}

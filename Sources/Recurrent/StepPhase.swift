import Linalg

/// The parts of a training step, each timed in place inside the real step while
/// `PhaseClock.isEnabled` (the benchmark's breakdown). A part timed inside another counts
/// only in its own (the pointwise steps inside the time loops); together with the thread
/// hand-off the parts make up the step, so what is left over is the clocks' own cost and
/// the code between the parts.
public enum StepPhase: Int, CaseIterable, Sendable, Codable {
  /// Distinct ids, their embedding rows, P = E[u] W_x + b, and each step's rows of it
  /// gathered into the step's gate rows (inside the forward loop).
  case inputForward
  /// The forward time loop but its pointwise steps and gathers: the per-step GEMMs
  /// h_{t-1} W_h (+ b_h) and the loop's buffers.
  case recurrentForward
  /// The cells' pointwise steps (gates, c_t, h_t).
  case pointwiseForward
  /// The Dense layer and the loss, forward and backward.
  case output
  /// The cells' pointwise steps back (dL/da from dL/dh_t, dL/dc_t).
  case pointwiseBackward
  /// The reverse loop but its pointwise steps: the per-step dL/dh_{t-1} = da W_hᵀ, dW_h =
  /// Σ h_{t-1}ᵀ da (one GEMM) and the loop's buffers.
  case recurrentBackward
  /// Per-id sums of dA, dW_x, db, dE[u] and their scatter into the embedding gradient.
  case inputBackward
  /// Making the zero gradient the backward pass fills: a shard's kept buffer zeroed again
  /// (the embedding rows the last step wrote, every other parameter) and the rows this step
  /// writes noted, or a new zero gradient of every parameter's shape.
  case gradientSetup
  /// Waking the shard threads and waiting for the slowest: the parallel part's wall time
  /// minus the slowest shard's own.
  case handOff
  /// Adding the shards' gradients.
  case shardSum
  /// The global gradient norm (and clipping).
  case gradientNorm
  /// The optimiser's update.
  case optimiser

  public var label: String {
    switch self {
    case .inputForward: "input side forward"
    case .recurrentForward: "recurrent forward"
    case .pointwiseForward: "pointwise forward"
    case .output: "dense and loss"
    case .pointwiseBackward: "pointwise backward"
    case .recurrentBackward: "recurrent backward"
    case .inputBackward: "input side backward"
    case .gradientSetup: "zero gradient"
    case .handOff: "thread hand-off"
    case .shardSum: "shard sum"
    case .gradientNorm: "gradient norm"
    case .optimiser: "optimiser"
    }
  }

  /// Runs `body`, its time added to this phase on the calling thread while the clocks are on.
  @inlinable @inline(__always)
  public func time<R>(_ body: () throws -> R) rethrows -> R { try PhaseClock.time(rawValue, body) }
}

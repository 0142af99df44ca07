import Linalg
import Probes
import Recurrent

/// One point of the sweep: a model at a target σ with one seed (and, for the LSTM, a
/// forget-gate bias).
public struct DecayJob: Sendable, Equatable, Hashable {
  public var model: CellKind
  public var sigma: Double
  public var seed: Int
  /// The LSTM's forget-gate bias; nil for the other cells.
  public var forgetBias: Double?
  public init(model: CellKind, sigma: Double, seed: Int, forgetBias: Double? = nil) {
    self.model = model
    self.sigma = sigma
    self.seed = seed
    self.forgetBias = forgetBias
  }
}

/// One observation: what the probes saw at one timestep of one job.
public struct DecayRow: Sendable, Equatable {
  public var job: DecayJob
  public var probe: StepProbe
  /// ||W_h^lag||₂ from exact matrix powers: the linear RNN only (its ∂h_T/∂h_t is W_h^lag),
  /// nil for the other cells.
  public var powerNorm: Double?
}

/// Spectral norm and radius of every gate block of one job's layer.
public struct DecayJobSpectra: Sendable, Equatable {
  public var job: DecayJob
  /// Whether the job belongs to the cell-path experiment rather than the main sweep.
  public var forgetExperiment: Bool
  /// One per gate block, in gate order.
  public var gates: [MatrixSpectrum]
}

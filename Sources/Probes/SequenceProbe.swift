import Linalg
import Recurrent

/// What the exact probes measured at one timestep t (0...T) of one sequence, for the loss
/// L = u · h_T. Optional values are `nil` where the quantity does not exist for the cell.
public struct StepProbe: Sendable, Equatable, Codable {
  /// The timestep t (0 is the initial state) and the lag T - t.
  public var t: Int
  public var lag: Int
  /// ||dL/dh_t||: the gradient reaching the hidden state at t (c_t held fixed for the LSTM).
  public var gradientNorm: Double
  /// ||dL/dc_t|| (LSTM only).
  public var cellGradientNorm: Double?
  /// The cell path: the mean over the H units of Π_{k=t+1..T} f_k (LSTM only; 1 at t = T).
  public var forgetProduct: Double?
  /// σ_max(∂h_t/∂h_{t-1}) for t ≥ 1 (LSTM: with c_{t-1} held fixed); nil at t = 0 or when
  /// the probe was asked not to compute it.
  public var jacobianNorm: Double?
  /// σ_max(∂h_T/∂h_t): the spectral norm of the accumulated Jacobian product (1 at t = T).
  public var productNorm: Double?
  /// The Pascanu bound (γ σ_max(W_h))^(T-t) on `productNorm`: a theorem for the linear and
  /// the tanh RNN only, so nil for the LSTM and GRU.
  public var bound: Double?

  public init(
    t: Int, lag: Int, gradientNorm: Double, cellGradientNorm: Double? = nil, forgetProduct: Double? = nil,
    jacobianNorm: Double? = nil, productNorm: Double? = nil, bound: Double? = nil
  ) {
    self.t = t
    self.lag = lag
    self.gradientNorm = gradientNorm
    self.cellGradientNorm = cellGradientNorm
    self.forgetProduct = forgetProduct
    self.jacobianNorm = jacobianNorm
    self.productNorm = productNorm
    self.bound = bound
  }
}

/// Everything one `SequenceProbe.measure` call found.
public struct SequenceProbeResult: Sendable {
  public let kind: CellKind
  /// T and H.
  public let steps: Int
  public let hiddenSize: Int
  /// One entry per t = 0...T (index t).
  public var probes: [StepProbe]
  /// (T+1) × H: row t is dL/dh_t.
  public var hiddenGradients: Matrix<Double>
  /// (T+1) × H: row t is dL/dc_t (LSTM); 0 × 0 otherwise.
  public var cellGradients: Matrix<Double>
  /// σ_max of each gate's H × H recurrent block (one value for the plain RNNs).
  public var recurrentNorms: [Double]
  /// γ, the bound on |activation'| used in `bound` (1 for tanh and the identity).
  public var gamma: Double
}

/// Exact gradient probes for one sequence through a `RecurrentLayer<Double>`.
///
/// The backward pass is linear in its cotangent, so the sequence is replicated H times as a
/// batch (B = H identical rows), run forward once, and run back once from dL/dh_T = I_H
/// (row i = e_i). The recorded dL/dh_t is then the H × H matrix ∂h_T/∂h_t (row i is
/// ∂h_T[i]/∂h_t) for every t in a single pass, and dL/dh_t = u · ∂h_T/∂h_t for the loss
/// L = u · h_T. One step back from dh = I_H, dc = 0 gives the one-step Jacobian
/// ∂h_t/∂h_{t-1}. Spectral norms come from `SingularValues.spectralNorm` (rescaled power
/// iteration, never above the true value; fine for norms from 1e-300 to 1e300).
///
/// Denormals are kept (flush-to-zero is cleared on the calling thread during the call).
///
/// For the LSTM the state is (h_t, c_t): every "∂/∂h_t" holds c_t fixed, exactly as BPTT
/// splits the gradient into dL/dh_t and dL/dc_t.
///
/// - Complexity: the forward and backward passes cost H times a single sequence's
///   (O(T·H²·G·H) flops); each spectral norm is O(H³) for the Gram matrix plus O(H²) per
///   power iteration. Meant for H up to a few hundred.
public struct SequenceProbe: Sendable {
  /// Compute σ_max(∂h_t/∂h_{t-1}) for every t (T extra spectral norms).
  public var jacobians: Bool
  /// Compute σ_max(∂h_T/∂h_t) for every t (T extra spectral norms).
  public var products: Bool

  public init(jacobians: Bool = true, products: Bool = true) {
    self.jacobians = jacobians
    self.products = products
  }

  /// Runs `inputs` (T × D, one sequence) from `initial` (1 × H each, zeros if nil) and
  /// probes the loss L = u · h_T for the direction `u` (1 × H). Vanishing gradients pass
  /// through subnormal numbers: they are kept on this thread during the call.
  public func measure(
    _ layer: RecurrentLayer<Double>, inputs: Matrix<Double>, direction u: Matrix<Double>,
    initial: RecurrentState<Double>? = nil
  ) -> SequenceProbeResult {
    keepingDenormals { measureKeepingDenormals(layer, inputs: inputs, direction: u, initial: initial) }
  }

  private func measureKeepingDenormals(
    _ layer: RecurrentLayer<Double>, inputs: Matrix<Double>, direction u: Matrix<Double>,
    initial: RecurrentState<Double>?
  ) -> SequenceProbeResult {
    let (T, D, H, kind) = (inputs.rows, layer.inputSize, layer.hiddenSize, layer.kind)
    precondition(T >= 1, "SequenceProbe: needs at least one step, got \(T)")
    precondition(inputs.cols == D, "SequenceProbe: inputs \(inputs.shape) but the layer expects \(D) features")
    precondition(u.rows == 1 && u.cols == H, "SequenceProbe: direction u is \(u.shape), expected 1x\(H)")
    let hasCell = kind.hasCellState
    // B = H copies of the sequence, time-major: rows t·H ..< (t+1)·H all hold x_t.
    let batchInputs = Self.replicate(inputs, times: H)
    var batchInitial: RecurrentState<Double>? = nil
    if let initial {
      precondition(initial.hidden.rows == 1 && initial.hidden.cols == H, "SequenceProbe: initial h is \(initial.hidden.shape), expected 1x\(H)")
      if hasCell {
        precondition(initial.cell.rows == 1 && initial.cell.cols == H, "SequenceProbe: initial c is \(initial.cell.shape), expected 1x\(H)")
      }
      batchInitial = RecurrentState(
        hidden: Self.replicate(initial.hidden, times: H),
        cell: hasCell ? Self.replicate(initial.cell, times: H) : Matrix(rows: 0, cols: 0))
    }
    let trace = layer.forward(batchInputs, batch: H, initial: batchInitial)

    // One pass back from dL/dh_T = I: dh_t = ∂h_T/∂h_t, dc_t = ∂h_T/∂c_t (H × H each).
    var dHidden = [Matrix<Double>](repeating: Matrix(rows: 0, cols: 0), count: T + 1)
    var dCell = dHidden
    _ = layer.backward(trace, lastHidden: .identity(H)) { t, dh, dc in
      dHidden[t] = dh
      if let dc { dCell[t] = dc }
    }

    let recurrentNorms = (0..<kind.gateCount).map { SingularValues.spectralNorm(layer.recurrentBlock($0)) }
    let gamma = kind.activationDerivativeBound
    let boundBase = PascanuBound.applies(to: kind) ? gamma * recurrentNorms[0] : nil
    let forget = hasCell ? Self.forgetProducts(trace, hidden: H) : []
    let oneStep = jacobians ? Self.oneStepJacobianNorms(layer, trace) : []

    var hiddenGradients = Matrix<Double>(rows: T + 1, cols: H)
    var cellGradients = Matrix<Double>(rows: hasCell ? T + 1 : 0, cols: hasCell ? H : 0)
    var probes: [StepProbe] = []
    probes.reserveCapacity(T + 1)
    for t in 0...T {
      // dL/dh_t = u · ∂h_T/∂h_t
      let g = Matrix.product(u, dHidden[t])
      hiddenGradients.storage.replaceSubrange((t * H)..<((t + 1) * H), with: g.storage)
      var probe = StepProbe(t: t, lag: T - t, gradientNorm: g.scaledNorm)
      if hasCell {
        let gc = Matrix.product(u, dCell[t])
        cellGradients.storage.replaceSubrange((t * H)..<((t + 1) * H), with: gc.storage)
        probe.cellGradientNorm = gc.scaledNorm
        probe.forgetProduct = forget[t]
      }
      if jacobians, t >= 1 { probe.jacobianNorm = oneStep[t - 1] }
      if products { probe.productNorm = SingularValues.spectralNorm(dHidden[t]) }
      if let boundBase { probe.bound = PascanuBound.value(base: boundBase, lag: T - t) }
      probes.append(probe)
    }
    return SequenceProbeResult(
      kind: kind, steps: T, hiddenSize: H, probes: probes, hiddenGradients: hiddenGradients,
      cellGradients: cellGradients, recurrentNorms: recurrentNorms, gamma: gamma)
  }

  /// σ_max(∂h_t/∂h_{t-1}) for t = 1...T (index t - 1): one step back from dh_t = I, dc_t = 0
  /// leaves dh_{t-1} = ∂h_t/∂h_{t-1} (row i = ∂h_t[i]/∂h_{t-1}).
  static func oneStepJacobianNorms(_ layer: RecurrentLayer<Double>, _ trace: RecurrentTrace<Double>) -> [Double] {
    let (T, H) = (trace.steps, layer.hiddenSize)
    let hasCell = layer.kind.hasCellState
    var workspace = BackwardWorkspace<Double>(layer: layer, batch: H, steps: T, lastHidden: .identity(H))
    var norms: [Double] = []
    norms.reserveCapacity(T)
    for t in 1...T {
      workspace.dHidden = .identity(H)
      workspace.dCell = Matrix<Double>(rows: hasCell ? H : 0, cols: hasCell ? H : 0)
      layer.stepBackward(trace, step: t, workspace: &workspace)
      norms.append(SingularValues.spectralNorm(workspace.dHidden))
    }
    return norms
  }

  /// mean_j Π_{k=t+1..T} f_k[j] for t = 0...T (index t), from the first batch row.
  static func forgetProducts(_ trace: RecurrentTrace<Double>, hidden H: Int) -> [Double] {
    let (T, B, GH) = (trace.steps, trace.batch, 4 * H)
    var running = [Double](repeating: 1, count: H)
    var out = [Double](repeating: 1, count: T + 1)
    for t in stride(from: T, through: 1, by: -1) {
      // f_t: columns H..<2H (gates [i | f | g | o]) of step t's first row.
      let base = (t - 1) * B * GH + H
      for j in 0..<H { running[j] *= trace.gates.storage[base + j] }
      out[t - 1] = running.reduce(0, +) / Double(H)
    }
    return out
  }

  /// `times` copies of every row, kept together: row r of the result block r·times ..<
  /// (r+1)·times (time-major replication of one sequence into a batch).
  static func replicate(_ m: Matrix<Double>, times: Int) -> Matrix<Double> {
    var out = Matrix<Double>(rows: m.rows * times, cols: m.cols)
    for r in 0..<m.rows {
      let row = m.storage[(r * m.cols)..<((r + 1) * m.cols)]
      for k in 0..<times {
        let start = (r * times + k) * m.cols
        out.storage.replaceSubrange(start..<(start + m.cols), with: row)
      }
    }
    return out
  }
}

import Linalg
import SeededRandom

/// minGRU (Feng et al. 2024, "Were RNNs All We Needed?"): a GRU whose gate and candidate
/// read the input alone, run by `DiagonalScan`:
///
///     z_t = σ(x_t W_z + b_z)        h̃_t = x_t W_h + b_h
///     h_t = (1 - z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
///
/// Shapes (B batch, T steps, D input, H hidden): W_z, W_h D × H; b_z, b_h 1 × H. The
/// Jacobian ∂h_t/∂h_{t-1} = diag(1 - z_t) depends on the input only: what the gradient keeps
/// is chosen by the data, not by a recurrent matrix. Initialisation: glorot-uniform kernels,
/// zero biases (Keras' defaults for the GRU's input side). Parameter gradients are summed
/// over steps and rows.
public struct MinGRULayer<Scalar: RealScalar>: ParameterSet, Sendable {
  public var gateKernel: Matrix<Scalar>
  public var gateBias: Matrix<Scalar>
  public var candidateKernel: Matrix<Scalar>
  public var candidateBias: Matrix<Scalar>

  public var inputSize: Int { gateKernel.rows }
  public var hiddenSize: Int { gateKernel.cols }

  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    [("gate_kernel", \.gateKernel), ("gate_bias", \.gateBias), ("candidate_kernel", \.candidateKernel), ("candidate_bias", \.candidateBias)]
  }

  public init(inputSize D: Int, hiddenSize H: Int, using rng: inout SeededGenerator) {
    precondition(D > 0 && H > 0, "MinGRULayer needs positive sizes, got input \(D), hidden \(H)")
    gateKernel = Initializer.glorotUniform(rows: D, cols: H, using: &rng)
    candidateKernel = Initializer.glorotUniform(rows: D, cols: H, using: &rng)
    (gateBias, candidateBias) = (Matrix(rows: 1, cols: H), Matrix(rows: 1, cols: H))
  }

  /// A layer of 0 units reading D inputs: the unused part of a model that holds several
  /// recurrences.
  public static func empty(inputSize D: Int) -> MinGRULayer {
    let (kernel, row) = (Matrix<Scalar>(rows: D, cols: 0), Matrix<Scalar>(rows: 1, cols: 0))
    return MinGRULayer(gateKernel: kernel, gateBias: row, candidateKernel: kernel, candidateBias: row)
  }

  /// A layer from given weights; shapes are checked.
  public init(gateKernel: Matrix<Scalar>, gateBias: Matrix<Scalar>, candidateKernel: Matrix<Scalar>, candidateBias: Matrix<Scalar>) {
    let (D, H) = (gateKernel.rows, gateKernel.cols)
    precondition(candidateKernel.rows == D && candidateKernel.cols == H, "MinGRULayer: W_h must be \(D) x \(H) like W_z, got \(candidateKernel.shape)")
    precondition([gateBias, candidateBias].allSatisfy { $0.rows == 1 && $0.cols == H }, "MinGRULayer: biases must be 1 x \(H), got \(gateBias.shape), \(candidateBias.shape)")
    (self.gateKernel, self.gateBias, self.candidateKernel, self.candidateBias) = (gateKernel, gateBias, candidateKernel, candidateBias)
  }
}

/// What minGRU's forward pass keeps (time-major, as `RecurrentTrace`).
public struct MinGRUTrace<Scalar: BLASScalar>: Sendable {
  public let batch: Int
  public let steps: Int
  /// T·B × D inputs (0 × D when the pass started from the pre-activations).
  public var inputs: Matrix<Scalar>
  /// T·B × H gates z_t and candidates h̃_t.
  public let gates: Matrix<Scalar>
  public let candidates: Matrix<Scalar>
  /// (T+1)·B × H: h_0, ..., h_T.
  public let hidden: Matrix<Scalar>

  /// h_T (B × H).
  public var lastHidden: Matrix<Scalar> { hidden.rows((steps * batch)..<((steps + 1) * batch)) }
}

/// What the input side of minGRU computes from N rows of inputs, or their gradients: the
/// gate pre-activations x W_z + b_z and the candidates x W_h + b_h (N × H each).
public struct MinGRUInputSide<Scalar: BLASScalar>: Sendable {
  public var gate: Matrix<Scalar>
  public var candidate: Matrix<Scalar>

  public init(gate: Matrix<Scalar>, candidate: Matrix<Scalar>) {
    precondition(gate.rows == candidate.rows && gate.cols == candidate.cols, "MinGRUInputSide: gate \(gate.shape) and candidate \(candidate.shape) differ")
    (self.gate, self.candidate) = (gate, candidate)
  }
}

/// Gradients of one backward pass through minGRU.
public struct MinGRUGradients<Scalar: RealScalar>: Sendable {
  public var parameters: MinGRULayer<Scalar>
  /// T·B × D: dL/dx_t.
  public var inputs: Matrix<Scalar>
  /// B × H: dL/dh_0.
  public var initialState: Matrix<Scalar>
}

extension MinGRULayer {
  /// Runs the layer over a time-major input (T·B × D) from h_0 = `initial` (zeros if nil).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(_ x: Matrix<Scalar>, batch B: Int, initial: Matrix<Scalar>? = nil) -> MinGRUTrace<Scalar> {
    precondition(B > 0 && x.rows % B == 0 && x.rows > 0, "minGRU forward: \(x.rows) input rows are not whole steps of batch \(B)")
    var trace = forward(inputSide: inputSide(x), batch: B, initial: initial)
    trace.inputs = x
    return trace
  }

  /// x W_z + b_z and x W_h + b_h for N rows of inputs (N × D).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func inputSide(_ x: Matrix<Scalar>) -> MinGRUInputSide<Scalar> {
    precondition(x.cols == inputSize, "minGRU forward: inputs \(x.shape) but the layer expects \(inputSize) features")
    var gate = Matrix.product(x, gateKernel)
    gate.addRowVector(gateBias)
    var candidate = Matrix.product(x, candidateKernel)
    candidate.addRowVector(candidateBias)
    return MinGRUInputSide(gate: gate, candidate: candidate)
  }

  /// Runs the layer from its input side (T·B × H each, time-major), however the caller
  /// computed it; the trace holds no inputs (0 × D).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(inputSide: MinGRUInputSide<Scalar>, batch B: Int, initial: Matrix<Scalar>? = nil) -> MinGRUTrace<Scalar> {
    let (H, rows) = (hiddenSize, inputSide.gate.rows)
    precondition(B > 0 && rows % B == 0 && rows > 0 && inputSide.gate.cols == H, "minGRU forward: input side \(inputSide.gate.shape) is not whole steps of batch \(B) × \(H) units")
    if let initial { precondition(initial.rows == B && initial.cols == H, "minGRU forward: h_0 \(initial.shape), expected \(B)x\(H)") }
    // z = σ(x W_z + b_z)
    var z = inputSide.gate
    z.storage.withUnsafeMutableBufferPointer { Scalar.sigmoidInPlace($0.baseAddress!, count: $0.count) }
    // h̃ = x W_h + b_h
    let candidate = inputSide.candidate
    // h_t = (1 - z_t) ⊙ h_{t-1} + z_t ⊙ h̃_t
    let a = z.storage.map { 1 - $0 }
    let b = (0..<z.count).map { k in z.storage[k] * candidate.storage[k] }
    let h = DiagonalScan.forward(.perStep(a), b, batch: B, lanes: H, initial: initial?.storage)
    return MinGRUTrace(
      batch: B, steps: rows / B, inputs: Matrix(rows: 0, cols: inputSize), gates: z, candidates: candidate,
      hidden: Matrix(rows: rows + B, cols: H, storage: h))
  }

  /// Back through time from dL/dh_t given from outside for t = 1...T (T·B × H; for a loss
  /// on h_T alone, zeros but the last B rows). `record` sees dL/dh_t for t = T down to 0.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backward(_ trace: MinGRUTrace<Scalar>, hiddenGradient: Matrix<Scalar>, record: BPTTRecorder<Scalar>? = nil) -> MinGRUGradients<Scalar> {
    precondition(
      trace.inputs.rows == trace.steps * trace.batch,
      "minGRU backward: the trace holds \(trace.inputs.rows) input rows, expected \(trace.steps * trace.batch); a trace from forward(inputSide:) goes back through backwardToInputSide")
    let back = backwardToInputSide(trace, hiddenGradient: hiddenGradient, record: record)
    var grads = zeroed()
    let dx = inputGradients(trace.inputs, inputSideGradient: back.inputSide, into: &grads)
    return MinGRUGradients(parameters: grads, inputs: dx, initialState: back.initialState)
  }

  /// The reverse loop: dL/d(x W_z + b_z) and dL/dh̃ for every position (T·B × H each) and
  /// dL/dh_0 (B × H); the input side's gradients are left to the caller. Arguments as for
  /// `backward`.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backwardToInputSide(_ trace: MinGRUTrace<Scalar>, hiddenGradient: Matrix<Scalar>, record: BPTTRecorder<Scalar>? = nil) -> (inputSide: MinGRUInputSide<Scalar>, initialState: Matrix<Scalar>) {
    let (B, H, z, candidate) = (trace.batch, hiddenSize, trace.gates, trace.candidates)
    checkShapes(hiddenGradient.rows == z.rows && hiddenGradient.cols == H, "minGRU backward (dh vs h)", hiddenGradient, z)
    // h_t = a_t ⊙ h_{t-1} + b_t:  da_t = h_{t-1} ⊙ dh_t,  dh_{t-1} += a_t ⊙ dh_t,  db_t = dh_t
    var dh = hiddenGradient.storage
    let back = DiagonalScan.backward(.perStep(z.storage.map { 1 - $0 }), states: trace.hidden.storage, gradients: &dh, batch: B, lanes: H, record: record)
    var (daZ, dCandidate) = (Matrix<Scalar>(rows: z.rows, cols: H), Matrix<Scalar>(rows: z.rows, cols: H))
    for k in 0..<z.count {
      // a = 1 - z, b = z ⊙ h̃:  dz = dh ⊙ h̃ - da,  dh̃ = dh ⊙ z
      let dz = dh[k] * candidate.storage[k] - back.coefficients[k]
      dCandidate.storage[k] = dh[k] * z.storage[k]
      // z = σ(a_z):  da_z = dz ⊙ z ⊙ (1 - z)
      daZ.storage[k] = dz * z.storage[k] * (1 - z.storage[k])
    }
    return (MinGRUInputSide(gate: daZ, candidate: dCandidate), Matrix(rows: B, cols: H, storage: back.initial))
  }

  /// The input side differentiated for N rows of inputs (N × D) and its gradients (N × H
  /// each): dW = xᵀ da and db = Σ da go into `gradients`, dx = da_z W_zᵀ + dh̃ W_hᵀ is returned.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func inputGradients(_ x: Matrix<Scalar>, inputSideGradient d: MinGRUInputSide<Scalar>, into gradients: inout MinGRULayer) -> Matrix<Scalar> {
    checkShapes(x.rows == d.gate.rows && x.cols == inputSize && d.gate.cols == hiddenSize, "minGRU input-side gradients (x vs da)", x, d.gate)
    gradients.gateKernel.gemm(x, transposeA: true, d.gate)
    gradients.gateBias = d.gate.columnSums()
    gradients.candidateKernel.gemm(x, transposeA: true, d.candidate)
    gradients.candidateBias = d.candidate.columnSums()
    var dx = Matrix.product(d.gate, gateKernel, transposeB: true)
    dx.gemm(d.candidate, candidateKernel, transposeB: true, beta: 1)
    return dx
  }
}

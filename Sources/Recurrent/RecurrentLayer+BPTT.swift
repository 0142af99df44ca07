import Linalg

extension RecurrentLayer {
  /// Runs the layer over a time-major input (T·B × D) from `initial` (zeros if nil).
  ///
  /// One GEMM projects every timestep's input (x W_x + b); each step adds one recurrent GEMM
  /// for all gates (h_{t-1} W_h) and applies the cell's pointwise step.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(_ inputs: Matrix<Scalar>, batch B: Int, initial: RecurrentState<Scalar>? = nil) -> RecurrentTrace<Scalar> {
    precondition(B > 0 && inputs.rows % B == 0, "forward: \(inputs.rows) input rows are not whole steps of batch \(B)")
    precondition(inputs.cols == inputSize, "forward: inputs \(inputs.shape) but the layer expects \(inputSize) features (kernel \(inputKernel.shape))")
    var trace = forward(inputPreactivations: inputPreactivations(inputs), batch: B, initial: initial)
    trace.inputs = inputs
    return trace
  }

  /// a_x = x W_x + b for every row of `inputs` (N × D): N × G·H.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func inputPreactivations(_ inputs: Matrix<Scalar>) -> Matrix<Scalar> {
    checkShapes(inputs.cols == inputSize, "input projection (x · W_x)", inputs, inputKernel)
    var projected = Matrix<Scalar>(uninitializedRows: inputs.rows, cols: inputKernel.cols)
    projected.gemm(inputs, inputKernel)
    projected.addRowVector(bias)
    return projected
  }

  /// Runs the layer from its input pre-activations a_x = x_t W_x + b (T·B × G·H,
  /// time-major), however the caller computed them; the trace holds no inputs (0 × D).
  /// The loop writes the activated gates over a_x, so a caller that hands its only copy over
  /// (`consume`) spares a copy of the whole matrix.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(inputPreactivations gates: consuming Matrix<Scalar>, batch B: Int, initial: RecurrentState<Scalar>? = nil) -> RecurrentTrace<Scalar> {
    let (H, GH) = (hiddenSize, kind.gateCount * hiddenSize)
    precondition(B > 0 && gates.rows % B == 0, "forward: \(gates.rows) pre-activation rows are not whole steps of batch \(B)")
    precondition(gates.cols == GH, "forward: pre-activations \(gates.shape), but a \(kind) with H = \(H) needs \(GH) columns")
    let T = gates.rows / B
    return run(gates: consume gates, steps: T, batch: B, initial: initial) { _, _ in }
  }

  /// The same run, step t's input pre-activations a_x (B × G·H, t in 0..<T) written by
  /// `input(t, a)` into the trace's gate rows of step t just before the step, so the batch's
  /// a_x never exist as one matrix (the classifier copies each step's rows from its per-id
  /// projection while they are about to be read). The numbers are those of
  /// `forward(inputPreactivations:)`.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(
    steps T: Int, batch B: Int, initial: RecurrentState<Scalar>? = nil, input: (Int, UnsafeMutablePointer<Scalar>) -> Void
  ) -> RecurrentTrace<Scalar> {
    precondition(B > 0 && T >= 0, "forward: batch \(B) and \(T) steps")
    return run(gates: Matrix(uninitializedRows: T * B, cols: kind.gateCount * hiddenSize), steps: T, batch: B, initial: initial, input: input)
  }

  /// The forward loop over T steps: `gates` (T·B × G·H) receives each step's a_x from
  /// `input` (or holds them already) and leaves with the activated gates.
  private func run(
    gates: consuming Matrix<Scalar>, steps T: Int, batch B: Int, initial: RecurrentState<Scalar>?, input: (Int, UnsafeMutablePointer<Scalar>) -> Void
  ) -> RecurrentTrace<Scalar> {
    let (H, GH) = (hiddenSize, kind.gateCount * hiddenSize)
    let hasCell = kind.hasCellState
    var workspace = ForwardWorkspace<Scalar>(
      batch: B, hiddenSize: H,
      hidden: Matrix(uninitializedRows: (T + 1) * B, cols: H),
      cell: Matrix(uninitializedRows: hasCell ? (T + 1) * B : 0, cols: hasCell ? H : 0),
      gates: consume gates,
      // The plain RNNs cache nothing: zeros, so the public trace holds no garbage.
      cache: kind.gateCount > 1 ? Matrix(uninitializedRows: T * B, cols: H) : Matrix(rows: T * B, cols: H),
      recurrentPre: Matrix(uninitializedRows: B, cols: GH))
    for k in 0..<(B * H) { workspace.hidden.storage[k] = 0 }
    if hasCell { for k in 0..<(B * H) { workspace.cell.storage[k] = 0 } }
    if let initial {
      precondition(initial.hidden.rows == B && initial.hidden.cols == H, "forward: initial hidden state \(initial.hidden.shape), expected \(B)x\(H)")
      workspace.hidden.storage.replaceSubrange(0..<(B * H), with: initial.hidden.storage)
      if hasCell {
        precondition(initial.cell.rows == B && initial.cell.cols == H, "forward: initial cell state \(initial.cell.shape), expected \(B)x\(H)")
        workspace.cell.storage.replaceSubrange(0..<(B * H), with: initial.cell.storage)
      }
    }
    if T > 0 {
      withRecurrentWeights { weights in
        workspace.withView { view in
          for t in 0..<T {
            let step = view.step(previous: t, next: t + 1, activations: t)
            input(t, step.gates)
            forwardStep(step, weights)
          }
        }
      }
    }
    return RecurrentTrace(
      batch: B, steps: T, inputs: Matrix(rows: 0, cols: inputSize), hidden: workspace.hidden, cell: workspace.cell,
      gates: workspace.gates, cache: workspace.cache)
  }

  /// W_h (H × G·H) and b_h (G·H; the GRU's only) as pointers while `body` runs.
  func withRecurrentWeights<R>(_ body: (RecurrentWeights<Scalar>) -> R) -> R {
    withStorage(recurrentKernel, recurrentBias) { wh, bh in body(RecurrentWeights(kernel: wh!, bias: bh)) }
  }

  /// One step forward on `s`: a_h = h_{t-1} W_h (+ b_h) into `s.recurrentPre`, then the
  /// cell's pointwise step.
  func forwardStep(_ s: StepBuffers<Scalar>, _ weights: RecurrentWeights<Scalar>) {
    let (B, H, GH) = (s.batch, hiddenSize, kind.gateCount * hiddenSize)
    let ah = s.recurrentPre
    Scalar.gemm(
      transposeA: false, transposeB: false, m: B, n: GH, k: H, alpha: 1,
      a: s.hPrev, lda: H, b: weights.kernel, ldb: GH, beta: 0, c: ah, ldc: GH)
    if let bh = weights.bias {
      for b in 0..<B { for j in 0..<GH { ah[b * GH + j] += bh[j] } }
    }
    StepPhase.pointwiseForward.time { kind.forwardStep(s) }
  }

  /// Backpropagation through time: the reverse loop over t = T...1, then the input side.
  ///
  /// `lastHidden` is dL/dh_T (B × H); `lastCell` dL/dc_T (LSTM, zeros if nil);
  /// `perStep` optionally adds dL/dh_t from outside for t = 1...T (T·B × H, time-major).
  /// Parameter gradients accumulate over all timesteps through large GEMMs after the loop.
  /// `record`, when given, sees dL/dh_t and dL/dc_t for every t from T down to 0.
  /// The trace is consumed (see `backwardThroughTime`).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backward(
    _ trace: consuming RecurrentTrace<Scalar>, lastHidden: Matrix<Scalar>, lastCell: Matrix<Scalar>? = nil,
    perStep: Matrix<Scalar>? = nil, record: BPTTRecorder<Scalar>? = nil
  ) -> RecurrentGradients<Scalar> {
    let rows = trace.steps * trace.batch
    precondition(
      trace.inputs.rows == rows,
      "backward: the trace holds \(trace.inputs.rows) input rows, expected \(rows); a trace from forward(inputPreactivations:) goes back through backwardThroughTime")
    let inputs = trace.inputs
    let back = backwardThroughTime(consume trace, lastHidden: lastHidden, lastCell: lastCell, perStep: perStep, record: record)
    var grads = back.parameters
    let dInputs = inputGradients(inputs, preactivationGradient: back.inputPreactivations, into: &grads)
    return RecurrentGradients(parameters: grads, inputs: dInputs, initialState: back.initialState)
  }

  /// The input side of the layer, a_x = X W_x + b, differentiated for N rows of inputs
  /// (N × D) and their dL/da_x (N × G·H): dW_x = Xᵀ da_x and db = Σ da_x go into
  /// `gradients`, dX = da_x W_xᵀ (N × D) is returned.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func inputGradients(_ inputs: Matrix<Scalar>, preactivationGradient dA: Matrix<Scalar>, into gradients: inout RecurrentLayer) -> Matrix<Scalar> {
    checkShapes(inputs.rows == dA.rows && inputs.cols == inputSize && dA.cols == inputKernel.cols, "input-side gradients (X vs da_x)", inputs, dA)
    gradients.inputKernel.gemm(inputs, transposeA: true, dA)
    gradients.bias = dA.columnSums()
    var dInputs = Matrix<Scalar>(uninitializedRows: inputs.rows, cols: inputSize)
    dInputs.gemm(dA, inputKernel, transposeB: true)
    return dInputs
  }

  /// The reverse loop over t = T...1 and the recurrent weights' gradients; the input side
  /// (dW_x, db, dX) is left to the caller, who gets dL/da_x for every position.
  /// Arguments as for `backward`. The trace is consumed: each step's dL/da_x is written over
  /// its activated gates (a caller who keeps using its trace passes a copy, and the gates are
  /// then copied once).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backwardThroughTime(
    _ trace: consuming RecurrentTrace<Scalar>, lastHidden: Matrix<Scalar>, lastCell: Matrix<Scalar>? = nil,
    perStep: Matrix<Scalar>? = nil, record: BPTTRecorder<Scalar>? = nil
  ) -> PreactivationGradients<Scalar> {
    let (B, T, H) = (trace.batch, trace.steps, hiddenSize)
    precondition(lastHidden.rows == B && lastHidden.cols == H, "backward: dL/dh_T is \(lastHidden.shape), expected \(B)x\(H)")
    if let perStep { precondition(perStep.rows == T * B && perStep.cols == H, "backward: per-step gradients \(perStep.shape), expected \(T * B)x\(H)") }
    let hasCell = kind.hasCellState
    var workspace = BackwardWorkspace<Scalar>(layer: self, batch: B, lastHidden: lastHidden, overwriting: trace.takeGates())
    if let lastCell, hasCell {
      precondition(lastCell.rows == B && lastCell.cols == H, "backward: dL/dc_T is \(lastCell.shape), expected \(B)x\(H)")
      workspace.dCell = lastCell
    }
    if let perStep { workspace.dHidden.add(perStep.rows(((T - 1) * B)..<(T * B))) }
    for t in stride(from: T, through: 1, by: -1) {
      record?(t, workspace.dHidden, hasCell ? workspace.dCell : nil)
      stepBackward(trace, step: t, workspace: &workspace)
      if let perStep, t > 1 { workspace.dHidden.add(perStep.rows(((t - 2) * B)..<((t - 1) * B))) }
    }
    record?(0, workspace.dHidden, hasCell ? workspace.dCell : nil)

    // dW_h = H_prevᵀ da_h,  db_h = Σ da_h, summed over time in one GEMM (da_h = da_x unless
    // the recurrent part is gated).
    let gated = kind.gatesRecurrentPart
    var grads = zeroed()
    // H_prev: h_0 ... h_{T-1}, the trace's first T·B rows, read in place.
    grads.recurrentKernel.gemm(trace.hidden, transposeA: true, gated ? workspace.dRecurrentPre : workspace.dInputPre, aRows: T * B)
    if gated { grads.recurrentBias = workspace.dRecurrentPre.columnSums() }
    return PreactivationGradients(
      parameters: grads, inputPreactivations: workspace.dInputPre,
      initialState: RecurrentState(hidden: workspace.dHidden, cell: workspace.dCell))
  }

  /// One step back through step t (1...T): `workspace.dHidden` dL/dh_t (overwritten with
  /// dL/dh_{t-1}) and `workspace.dCell` dL/dc_t (overwritten with dL/dc_{t-1}) give the
  /// pre-activation gradients of step t, written into rows (t-1)·B..<t·B of
  /// `workspace.dInputPre` and, when the recurrent part is gated (GRU), `dRecurrentPre`.
  ///
  ///     dh_{t-1} = da_h W_hᵀ + (GRU: z ⊙ dh_t)
  ///
  /// The probes call it alone with dh = I to build one-step Jacobians.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func stepBackward(_ trace: RecurrentTrace<Scalar>, step t: Int, workspace: inout BackwardWorkspace<Scalar>) {
    let (B, H, GH) = (trace.batch, hiddenSize, kind.gateCount * hiddenSize)
    precondition(t >= 1 && t <= trace.steps, "stepBackward: step \(t) outside 1...\(trace.steps)")
    precondition(workspace.dHidden.rows == B && workspace.dHidden.cols == H, "stepBackward: dh \(workspace.dHidden.shape), expected \(B)x\(H)")
    precondition(
      workspace.dInputPre.rows == trace.steps * B && workspace.dInputPre.cols == GH,
      "stepBackward: dInputPre \(workspace.dInputPre.shape), expected \(trace.steps * B)x\(GH)")
    let gated = kind.gatesRecurrentPart
    precondition(
      workspace.recurrentKernelTransposed.rows == GH && workspace.recurrentKernelTransposed.cols == H,
      "stepBackward: the workspace holds W_hᵀ \(workspace.recurrentKernelTransposed.shape), expected \(GH)x\(H): it was made for another layer")
    let (kernelTransposed, inPlace) = (workspace.recurrentKernelTransposed, workspace.gatesInPlace)
    kernelTransposed.storage.withUnsafeBufferPointer { whT in
      workspace.withStepGradients(row: (t - 1) * B) { g, dh in
        // In place, step t's activated gates are where its dL/da_x goes: each cell reads a
        // unit's gates before it writes that unit's gradients.
        trace.withStep(t, gates: inPlace ? UnsafePointer(g.dInputPre) : nil) { step in
          StepPhase.pointwiseBackward.time { kind.backwardStep(step, g) }
        }
        // dh_{t-1} = da_h W_hᵀ (+ z ⊙ dh_t, in dhPrevDirect)
        if gated, let direct = g.dhPrevDirect { dh.update(from: direct, count: B * H) }
        Scalar.gemm(
          transposeA: false, transposeB: false, m: B, n: H, k: GH, alpha: 1,
          a: g.dRecurrentPre ?? g.dInputPre, lda: GH, b: whT.baseAddress!, ldb: H,
          beta: gated ? 1 : 0, c: dh, ldc: H)
      }
    }
  }
}

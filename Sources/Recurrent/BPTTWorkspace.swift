import Linalg

/// The buffers of the forward time loop: the states, gates and caches it writes (the
/// trace, time-major, or two alternating slots for `finalState`) and the one-step scratch
/// a_h = h_{t-1} W_h (+ b_h). `withView` hands the loop pointers to all of them.
struct ForwardWorkspace<Scalar: BLASScalar> {
  let batch: Int
  let hiddenSize: Int
  /// Blocks of B × H: h_0, h_1, ... (or two slots).
  var hidden: Matrix<Scalar>
  /// Blocks of B × H: c_0, c_1, ... (LSTM; 0 × 0 otherwise).
  var cell: Matrix<Scalar>
  /// Blocks of B × G·H: x_t W_x + b in, the activated gates out.
  var gates: Matrix<Scalar>
  /// Blocks of B × H: each cell's cache (`StepBuffers.cache`).
  var cache: Matrix<Scalar>
  /// B × G·H: h_{t-1} W_h (+ b_h) of the step in progress.
  var recurrentPre: Matrix<Scalar>

  /// Pointers into every buffer while `body` runs.
  mutating func withView<R>(_ body: (ForwardView<Scalar>) -> R) -> R {
    let (B, H, width) = (batch, hiddenSize, recurrentPre.cols)
    return withMutableStorage(&hidden, &cell) { h, c in
      withMutableStorage(&gates, &cache, &recurrentPre) { g, e, a in
        body(ForwardView(batch: B, hiddenSize: H, gateWidth: width, hidden: h!, cell: c, gates: g!, cache: e!, recurrentPre: a!))
      }
    }
  }
}

/// The forward loop's pointers; `step` cuts out one timestep's `StepBuffers`.
struct ForwardView<Scalar: BLASScalar> {
  let batch, hiddenSize, gateWidth: Int
  let hidden: UnsafeMutablePointer<Scalar>
  let cell: UnsafeMutablePointer<Scalar>?
  let gates, cache, recurrentPre: UnsafeMutablePointer<Scalar>

  /// The step that reads state block `previous` (h_{t-1}, c_{t-1}), writes state block
  /// `next` (h_t, c_t), and uses gate and cache block `activations`.
  func step(previous: Int, next: Int, activations: Int) -> StepBuffers<Scalar> {
    let (B, H) = (batch, hiddenSize)
    return StepBuffers(
      batch: B, hidden: H, gates: gates + activations * B * gateWidth, recurrentPre: recurrentPre,
      hPrev: hidden + previous * B * H, cPrev: cell.map { UnsafePointer($0 + previous * B * H) },
      h: hidden + next * B * H, c: cell.map { $0 + next * B * H }, cache: cache + activations * B * H)
  }
}

/// The buffers of the backward time loop: dL/dh and dL/dc of the step being gone through,
/// and what every step leaves in its rows: dL/da_x and, when the recurrent part is gated
/// (GRU), dL/da_h.
public struct BackwardWorkspace<Scalar: BLASScalar> {
  /// B × H: dL/dh_t in, dL/dh_{t-1} out.
  public var dHidden: Matrix<Scalar>
  /// B × H: dL/dc_t in, dL/dc_{t-1} out (LSTM; 0 × 0 otherwise).
  public var dCell: Matrix<Scalar>
  /// T·B × G·H, time-major: dL/da_x for a_x = x_t W_x + b.
  public var dInputPre: Matrix<Scalar>
  /// T·B × G·H: dL/da_h when the recurrent part is gated (GRU); 0 rows otherwise.
  public var dRecurrentPre: Matrix<Scalar>
  /// B × H scratch (GRU): the part of dL/dh_{t-1} that bypasses W_h, z ⊙ dh_t.
  var dHiddenDirect: Matrix<Scalar>

  /// W_hᵀ (G·H × H) of the layer the workspace serves: each step's dh_{t-1} = da_h W_hᵀ is
  /// then a product without transposition, which BLAS runs about twice as fast at these
  /// shapes (B 32, G·H 256, H 64) as one that transposes W_h.
  let recurrentKernelTransposed: Matrix<Scalar>

  /// Whether `dInputPre` holds the trace's activated gates of the steps not yet gone through
  /// (each step's dL/da_x is written over its own gates, which nothing reads afterwards).
  let gatesInPlace: Bool

  /// Buffers for `steps` steps of batch `batch` back through `layer`, starting from
  /// dL/dh_T = `lastHidden` and dL/dc_T = zero. A workspace serves the layer it was made for.
  public init(layer: RecurrentLayer<Scalar>, batch B: Int, steps T: Int, lastHidden: Matrix<Scalar>) {
    let GH = layer.kind.gateCount * layer.hiddenSize
    self.init(layer: layer, batch: B, lastHidden: lastHidden, dInputPre: Matrix(uninitializedRows: T * B, cols: GH), gatesInPlace: false)
  }

  /// The same, each step's dL/da_x written over that step's activated gates (`gates`, the
  /// trace's T·B × G·H, handed over), so the pass needs no second matrix of that size.
  init(layer: RecurrentLayer<Scalar>, batch B: Int, lastHidden: Matrix<Scalar>, overwriting gates: consuming Matrix<Scalar>) {
    self.init(layer: layer, batch: B, lastHidden: lastHidden, dInputPre: gates, gatesInPlace: true)
  }

  private init(layer: RecurrentLayer<Scalar>, batch B: Int, lastHidden: Matrix<Scalar>, dInputPre: consuming Matrix<Scalar>, gatesInPlace: Bool) {
    let (kind, H) = (layer.kind, layer.hiddenSize)
    let (gated, hasCell) = (kind.gatesRecurrentPart, kind.hasCellState)
    let (T, GH) = (dInputPre.rows / B, dInputPre.cols)
    recurrentKernelTransposed = layer.recurrentKernel.transposed
    dHidden = lastHidden
    dCell = Matrix(rows: hasCell ? B : 0, cols: hasCell ? H : 0)
    self.dInputPre = dInputPre
    self.gatesInPlace = gatesInPlace
    dRecurrentPre = Matrix(uninitializedRows: gated ? T * B : 0, cols: GH)
    dHiddenDirect = Matrix(rows: gated ? B : 0, cols: H)
  }

  /// Pointers into the buffers of step `row / B + 1` while `body` runs.
  mutating func withStepGradients<R>(row: Int, _ body: (StepGradients<Scalar>, _ dh: UnsafeMutablePointer<Scalar>) -> R) -> R {
    let width = dInputPre.cols
    return withMutableStorage(&dHidden, &dCell) { dh, dc in
      withMutableStorage(&dInputPre, &dRecurrentPre, &dHiddenDirect) { dx, dr, dd in
        body(
          StepGradients(
            dh: UnsafePointer(dh!), dc: dc, dInputPre: dx! + row * width, dRecurrentPre: dr.map { $0 + row * width },
            dhPrevDirect: dd), dh!)
      }
    }
  }
}

extension RecurrentTrace {
  /// Step t's forward results (t in 1...T), read-only, while `body` runs; its activated
  /// gates at `gates` when given (the trace has handed its gates over to a workspace).
  func withStep<R>(_ t: Int, gates stepGates: UnsafePointer<Scalar>? = nil, _ body: (StepTrace<Scalar>) -> R) -> R {
    let (B, H, row) = (batch, hidden.cols, (t - 1) * batch)
    let gateWidth = gates.cols
    return withStorage(hidden, cell) { h, c in
      withStorage(gates, cache) { g, e in
        body(
          StepTrace(
            batch: B, hidden: H, gates: stepGates ?? g! + row * gateWidth, hPrev: h! + row * H, cPrev: c.map { $0 + row * H },
            h: h! + (row + B) * H, cache: e! + row * H))
      }
    }
  }
}

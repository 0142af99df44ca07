import Linalg

/// The initial state (h_0, c_0) of a batch: B × H each; `cell` is empty (0 x 0) unless LSTM.
public struct RecurrentState<Scalar: BLASScalar>: Sendable {
  public var hidden: Matrix<Scalar>
  public var cell: Matrix<Scalar>
  public init(hidden: Matrix<Scalar>, cell: Matrix<Scalar> = Matrix(rows: 0, cols: 0)) {
    self.hidden = hidden
    self.cell = cell
  }
}

/// What the forward pass keeps for the backward pass. All time-major: step t's block of B
/// rows starts at row t·B.
public struct RecurrentTrace<Scalar: BLASScalar>: Sendable {
  public let batch: Int
  public let steps: Int
  /// T·B × D inputs x_1..x_T; 0 × D when the caller projected the inputs itself
  /// (`forward(inputPreactivations:)`), and then `backward` is not available, only
  /// `backwardThroughTime`.
  public internal(set) var inputs: Matrix<Scalar>
  /// (T+1)·B × H: h_0, h_1, ..., h_T.
  public internal(set) var hidden: Matrix<Scalar>
  /// (T+1)·B × H: c_0..c_T for the LSTM; 0 x 0 otherwise.
  public internal(set) var cell: Matrix<Scalar>
  /// T·B × G·H activated gates (0 rows once `takeGates` handed them over).
  public internal(set) var gates: Matrix<Scalar>
  /// T·B × H: what each cell keeps of a step for its way back: LSTM tanh(c_t), GRU
  /// h_{t-1} W_hn + b_hn; zeros for the plain RNNs.
  public internal(set) var cache: Matrix<Scalar>

  /// h_t (B × H) for t in 0...T.
  public func hidden(at t: Int) -> Matrix<Scalar> { hidden.rows((t * batch)..<((t + 1) * batch)) }
  /// The last hidden state h_T.
  public var lastHidden: Matrix<Scalar> { hidden(at: steps) }
  /// The activated gates of step t in 1...T (B × G·H).
  public func gates(at t: Int) -> Matrix<Scalar> { gates.rows(((t - 1) * batch)..<(t * batch)) }

  /// The gates, handed over (the trace keeps 0 rows of them), so that their only reference
  /// is the caller's.
  mutating func takeGates() -> Matrix<Scalar> {
    let taken = gates
    gates = Matrix(rows: 0, cols: taken.cols)
    return taken
  }
}

/// Gradients from one backward pass.
public struct RecurrentGradients<Scalar: BLASScalar>: Sendable {
  /// Same type and shapes as the layer: dL/dW_x, dL/dW_h, dL/db, dL/db_h, summed over time.
  public var parameters: RecurrentLayer<Scalar>
  /// T·B × D: dL/dx_t, time-major.
  public var inputs: Matrix<Scalar>
  /// dL/dh_0 and dL/dc_0 (B × H).
  public var initialState: RecurrentState<Scalar>
}

/// The reverse loop's result before the input projection is differentiated.
public struct PreactivationGradients<Scalar: BLASScalar>: Sendable {
  /// dL/dW_h and dL/db_h summed over time; the input kernel and bias are still zero.
  public var parameters: RecurrentLayer<Scalar>
  /// T·B × G·H: dL/da_x for a_x = x_t W_x + b, time-major.
  public var inputPreactivations: Matrix<Scalar>
  /// dL/dh_0 and dL/dc_0 (B × H).
  public var initialState: RecurrentState<Scalar>
}

/// Called during the reverse loop with t (T down to 0), dL/dh_t and, for the LSTM, dL/dc_t
/// (both B × H). dL/dh_t is the full gradient w.r.t. h_t; dL/dc_t is taken with h_t held
/// fixed (the path through h_t = o ⊙ tanh(c_t) is added inside step t), so at t = T it is
/// whatever was passed as `lastCell` (zero for a loss on h_T alone).
public typealias BPTTRecorder<Scalar: BLASScalar> = (_ t: Int, _ dHidden: Matrix<Scalar>, _ dCell: Matrix<Scalar>?) -> Void

import Linalg

/// The recurrent cells GradLab unrolls. Every cell computes its gate pre-activations as
/// `x_t · W_x + b` (for all timesteps at once) plus `h_{t-1} · W_h` (one GEMM per step), then
/// applies its pointwise step (`LinearCell`, `TanhCell`, `LSTMCell`, `GRUCell`).
///
/// Gate blocks are laid side by side in Keras order along the G·H columns:
/// LSTM `[i | f | g | o]`, GRU `[z | r | n]`.
public enum CellKind: String, CaseIterable, Codable, Sendable {
  /// h_t = W_x x_t + W_h h_{t-1} + b: the closed-form check (no nonlinearity).
  case linear
  /// h_t = tanh(x_t W_x + h_{t-1} W_h + b): the vanilla (Elman) RNN.
  case rnn
  /// h_t = max(0, x_t W_x + h_{t-1} W_h + b): the Elman RNN with ReLU (PyTorch's
  /// nn.RNN(nonlinearity='relu')).
  case reluRNN = "relu-rnn"
  /// Long short-term memory, Keras flavour.
  case lstm
  /// Gated recurrent unit, reset gate after the recurrent matmul (Keras reset_after=True,
  /// the same equations as PyTorch's nn.GRU).
  case gru

  /// G: how many H-wide gate blocks the kernels hold.
  public var gateCount: Int {
    switch self {
    case .linear, .rnn, .reluRNN: 1
    case .lstm: 4
    case .gru: 3
    }
  }

  /// Whether the cell carries a memory c_t beside h_t.
  public var hasCellState: Bool { self == .lstm }

  /// Whether the recurrent part has its own bias (GRU: b_hn sits inside r ⊙ (·)); then its
  /// pre-activation gradient also differs from the input part's.
  public var hasRecurrentBias: Bool { self == .gru }

  /// γ, the bound on |activation'| in the Pascanu bound (tanh, ReLU, identity: 1). The bound is
  /// a theorem for the linear, tanh and ReLU RNN only; for the gated cells this value means nothing.
  public var activationDerivativeBound: Double { 1 }
}

/// Pointers into one timestep's buffers; every block has B rows.
struct StepBuffers<T: BLASScalar> {
  let batch: Int
  let hidden: Int
  /// B × G·H. In: x_t · W_x + b. Out: the activated gates (LSTM i f g o, GRU z r n).
  let gates: UnsafeMutablePointer<T>
  /// B × G·H: h_{t-1} · W_h (+ b_h).
  let recurrentPre: UnsafePointer<T>
  /// B × H: h_{t-1} and c_{t-1} (c only for the LSTM).
  let hPrev: UnsafePointer<T>
  let cPrev: UnsafePointer<T>?
  /// B × H outputs h_t and c_t.
  let h: UnsafeMutablePointer<T>
  let c: UnsafeMutablePointer<T>?
  /// B × H extra cache: LSTM tanh(c_t); GRU the recurrent candidate part h_{t-1} W_hn + b_hn.
  let extra: UnsafeMutablePointer<T>
}

/// Pointers for one step back; every block has B rows.
struct StepGradients<T: BLASScalar> {
  /// In: dL/dh_t (B × H). In/out: dL/dc_t, overwritten with dL/dc_{t-1} (LSTM only).
  let dh: UnsafePointer<T>
  let dc: UnsafeMutablePointer<T>?
  /// Out: gradient w.r.t. the input pre-activation x_t W_x + b (B × G·H).
  let dInputPre: UnsafeMutablePointer<T>
  /// Out (GRU only): gradient w.r.t. the recurrent pre-activation h_{t-1} W_h + b_h; the
  /// other cells' equals `dInputPre`.
  let dRecurrentPre: UnsafeMutablePointer<T>?
  /// Out (GRU only): the part of dL/dh_{t-1} that bypasses W_h (z ⊙ dh); 0 for the others.
  let dhPrevDirect: UnsafeMutablePointer<T>?
}

/// a += a_h: the gate pre-activations of the cells that simply add the recurrent part.
@inline(__always)
func addRecurrent<T: BLASScalar>(_ s: StepBuffers<T>, count: Int) {
  for k in 0..<count { s.gates[k] += s.recurrentPre[k] }
}

extension CellKind {
  func forwardStep<T>(_ s: StepBuffers<T>) {
    switch self {
    case .linear: LinearCell.forward(s)
    case .rnn: TanhCell.forward(s)
    case .reluRNN: ReLUCell.forward(s)
    case .lstm: LSTMCell.forward(s)
    case .gru: GRUCell.forward(s)
    }
  }

  func backwardStep<T>(_ s: StepBuffers<T>, _ g: StepGradients<T>) {
    switch self {
    case .linear: LinearCell.backward(s, g)
    case .rnn: TanhCell.backward(s, g)
    case .reluRNN: ReLUCell.backward(s, g)
    case .lstm: LSTMCell.backward(s, g)
    case .gru: GRUCell.backward(s, g)
    }
  }
}

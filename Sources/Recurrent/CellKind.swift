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

  /// Whether the recurrent part has its own bias b_h (GRU: b_hn sits inside r ⊙ (·)).
  public var hasRecurrentBias: Bool { self == .gru }

  /// Whether the recurrent pre-activation passes through a gate before it is added (GRU:
  /// r ⊙ (h W_hn + b_hn)): then its gradient da_h differs from the input part's da_x, and
  /// dL/dh_{t-1} has a term that bypasses W_h (z ⊙ dh_t).
  public var gatesRecurrentPart: Bool { self == .gru }

  /// γ, the bound on |activation'| in the Pascanu bound (tanh, ReLU, identity: 1). The bound is
  /// a theorem for the linear, tanh and ReLU RNN only; for the gated cells this value means nothing.
  public var activationDerivativeBound: Double { 1 }
}

/// One timestep's buffers as the cells' `forward` writes them; every block has B rows.
struct StepBuffers<T: BLASScalar> {
  let batch: Int
  let hidden: Int
  /// B × G·H. In: x_t · W_x + b. Out: the activated gates (LSTM i f g o, GRU z r n).
  let gates: UnsafeMutablePointer<T>
  /// B × G·H: h_{t-1} · W_h (+ b_h), written by the driver before the cell's step.
  let recurrentPre: UnsafeMutablePointer<T>
  /// B × H: h_{t-1} and c_{t-1} (c only for the LSTM).
  let hPrev: UnsafePointer<T>
  let cPrev: UnsafePointer<T>?
  /// B × H outputs h_t and c_t.
  let h: UnsafeMutablePointer<T>
  let c: UnsafeMutablePointer<T>?
  /// B × H, what a cell keeps of step t for its way back (the trace's `cache`).
  let cache: UnsafeMutablePointer<T>

  /// LSTM: the cache holds tanh(c_t).
  var tanhCell: UnsafeMutablePointer<T> { cache }
  /// GRU: the cache holds the recurrent candidate part a_hn = h_{t-1} W_hn + b_hn.
  var recurrentCandidate: UnsafeMutablePointer<T> { cache }
}

/// One timestep's forward results as the cells' `backward` reads them (read-only); every
/// block has B rows.
struct StepTrace<T: BLASScalar> {
  let batch: Int
  let hidden: Int
  /// B × G·H activated gates.
  let gates: UnsafePointer<T>
  /// B × H: h_{t-1}, c_{t-1} (LSTM), h_t.
  let hPrev: UnsafePointer<T>
  let cPrev: UnsafePointer<T>?
  let h: UnsafePointer<T>
  /// B × H: the cell's cache of step t (see `StepBuffers.cache`).
  let cache: UnsafePointer<T>

  /// LSTM: tanh(c_t).
  var tanhCell: UnsafePointer<T> { cache }
  /// GRU: a_hn = h_{t-1} W_hn + b_hn.
  var recurrentCandidate: UnsafePointer<T> { cache }
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

/// W_h and b_h (the GRU's only; nil for the other cells) as the forward steps read them.
struct RecurrentWeights<T: BLASScalar> {
  let kernel: UnsafePointer<T>
  let bias: UnsafePointer<T>?
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

  func backwardStep<T>(_ s: StepTrace<T>, _ g: StepGradients<T>) {
    switch self {
    case .linear: LinearCell.backward(s, g)
    case .rnn: TanhCell.backward(s, g)
    case .reluRNN: ReLUCell.backward(s, g)
    case .lstm: LSTMCell.backward(s, g)
    case .gru: GRUCell.backward(s, g)
    }
  }
}

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

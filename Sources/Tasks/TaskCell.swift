import Recurrent

/// The recurrences a task model can put before its Dense readout: the cells of
/// `RecurrentLayer` under Keras' initialisation, the two initialisations built against
/// vanishing gradients, and the two diagonal recurrences run by `DiagonalScan`.
public enum TaskCell: String, CaseIterable, Codable, Sendable {
  case linear
  case rnn
  case lstm
  case gru
  /// ReLU RNN started at W_h = I, b = 0 (Le, Jaitly and Hinton 2015).
  case irnn
  /// LSTM with chrono-initialised gate biases, T_max = the task's length T (Tallec and
  /// Ollivier 2018).
  case chrono
  /// Encoder, LRU with as many complex lanes as the hidden size, GLU with a residual (`LRUBlock`).
  case lru
  /// minGRU (Feng et al. 2024).
  case mingru

  /// The cell `RecurrentLayer` runs; nil for the diagonal recurrences.
  public var recurrentKind: CellKind? {
    switch self {
    case .linear: .linear
    case .rnn: .rnn
    case .lstm, .chrono: .lstm
    case .gru: .gru
    case .irnn: .reluRNN
    case .lru, .mingru: nil
    }
  }

  /// Values the unrolled trace keeps per step, sequence and hidden unit (the memory check).
  public var traceValuesPerUnit: Int {
    if let kind = recurrentKind { return 2 * kind.gateCount + 4 }
    return 8
  }
}

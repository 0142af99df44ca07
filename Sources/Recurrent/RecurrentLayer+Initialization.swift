import Linalg
import SeededRandom

/// The two initialisations built against vanishing gradients, applied to a Keras-initialised
/// layer (they change only what their papers change).
extension RecurrentLayer {
  /// IRNN (Le, Jaitly and Hinton 2015): W_h = I and b = 0, so that at initialisation
  /// ∂h_t/∂h_{t-1} = diag(φ'(a_t)): 1 on every active unit of a ReLU RNN, nothing decays.
  /// Single-gate cells only (the linear and plain RNNs); W_x stays as initialised.
  public mutating func setIdentityRecurrence() {
    precondition(kind.gateCount == 1, "the identity recurrence is for single-gate cells, not \(kind)")
    recurrentKernel = Matrix.identity(hiddenSize)
    bias = Matrix(rows: 1, cols: hiddenSize)
  }

  /// Chrono initialisation (Tallec and Ollivier 2018) of an LSTM: b_f ~ log U[1, T_max - 1]
  /// and b_i = -b_f, unit by unit, so that the forget gates' time constants 1/(1 - σ(b_f))
  /// spread over the lags 2 ... T_max expected in the data.
  public mutating func setChronoBiases(maxLag: Int, using rng: inout SeededGenerator) {
    precondition(kind == .lstm, "chrono initialisation sets LSTM gate biases, not \(kind)")
    precondition(maxLag >= 3, "chrono initialisation needs T_max ≥ 3 (U[1, T_max - 1] must be an interval), got \(maxLag)")
    let H = hiddenSize
    for j in 0..<H {
      // b_f = log u, u ~ U[1, T_max - 1];  b_i = -b_f   (gates [i | f | g | o])
      let forget = realLog(rng.uniform(1, Double(maxLag - 1)))
      bias[0, H + j] = Scalar(forget)
      bias[0, j] = Scalar(-forget)
    }
  }
}

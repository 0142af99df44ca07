import Linalg
import Probes
import Recurrent
import Storage

/// Where a trained recurrent network sits on the decay sweep's chart: the spectral norm σ
/// and spectral radius ρ of each gate block of its recurrent kernel W_h, beside the decay
/// rate per step measured on real reviews (the least-squares slope of ln ||dL/dh_t||
/// against the lag, `DecayRate.fit`, over the gradient probe's norms). One row per gate block.
public enum RecurrentSpectrum {
  public static let header = ["cell", "epoch", "gate", "spectral_norm", "spectral_radius", "decay_rate"]

  /// Gate names in the kernel's block order (Keras: LSTM i f g o, GRU z r n).
  public static func gateNames(_ cell: CellKind) -> [String] {
    switch cell {
    case .lstm: ["i", "f", "g", "o"]
    case .gru: ["z", "r", "n"]
    case .rnn, .reluRNN, .linear: ["h"]
    }
  }

  /// `gradientNorms`: the `GradientProbe` norms of the same model and epoch (index t).
  public static func rows(_ model: SequenceClassifier<Float>, cell: CellKind, epoch: Int, gradientNorms: [Double]) -> [[String]] {
    let T = gradientNorms.count - 1
    let rate = DecayRate.fit(lags: gradientNorms.indices.map { T - $0 }, values: gradientNorms) ?? .nan
    return zip(gateNames(cell), model.recurrent.recurrentSpectra).map { gate, spectrum in
      [cell.rawValue, String(epoch), gate, tsvNumber(spectrum.spectralNorm), tsvNumber(spectrum.spectralRadius), tsvNumber(rate)]
    }
  }
}

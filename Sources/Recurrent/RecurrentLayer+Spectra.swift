import Linalg

extension RecurrentLayer {
  /// σ_max and ρ of every gate's H × H recurrent block, in gate order (one for the plain
  /// RNNs; [i, f, g, o] for the LSTM; [z, r, h] for the GRU), computed in Double.
  public var recurrentSpectra: [MatrixSpectrum] {
    MatrixSpectrum.ofColumnBlocks(recurrentKernel, count: kind.gateCount)
  }
}

import DecayLab
import Foundation
import Linalg
import Recurrent

/// `gradlab decay --weights FILE`: a recurrent layer from a safetensors file, analysed as it
/// is (sigma = its largest gate-block spectral norm) or rescaled to each requested sigma.
struct ImportedWeights: Sendable {
  let layer: RecurrentLayer<Double>
  /// The layer's own σ: the largest spectral norm of its H × H recurrent gate blocks.
  let nativeSigma: Double
  /// Sigmas to rescale to; nil analyses the layer unchanged.
  let sigmas: [Double]?

  init(path: String, kind: CellKind?, sigmas: [Double]?) throws {
    let loaded: RecurrentLayer<Double> = try RecurrentWeightsImport.load(URL(fileURLWithPath: path), kind: kind)
    layer = loaded
    nativeSigma = (0..<loaded.kind.gateCount).map { SingularValues.spectralNorm(loaded.recurrentBlock($0)) }.max() ?? 0
    // The file, not a flag, sets these: out of range, the message names the file.
    if sigmas == nil, !(nativeSigma > 0 && nativeSigma <= DecayConfiguration.maxMagnitude) {
      throw WeightsFileError(
        "\(path): the recurrent weights have spectral norm \(nativeSigma), outside the (0, \(Int(DecayConfiguration.maxMagnitude))] the sweep accepts; pass --sigmas to rescale them to chosen norms")
    }
    guard loaded.hiddenSize <= DecayConfiguration.maxHiddenSize, loaded.inputSize <= DecayConfiguration.maxInputSize else {
      throw WeightsFileError(
        "\(path): the layer has H = \(loaded.hiddenSize) and D = \(loaded.inputSize); the sweep accepts H up to \(DecayConfiguration.maxHiddenSize) and D up to \(DecayConfiguration.maxInputSize)")
    }
    self.sigmas = sigmas
  }

  /// The sweep's configuration for this layer: its cell and sizes, no cell-path experiment.
  func configure(_ base: DecayConfiguration) -> DecayConfiguration {
    var c = base
    c.models = [layer.kind]
    c.inputSize = layer.inputSize
    c.hiddenSize = layer.hiddenSize
    c.sigmas = sigmas ?? [nativeSigma]
    c.forgetBiases = []
    return c
  }

  func layer(at sigma: Double) -> RecurrentLayer<Double> {
    guard sigmas != nil else { return layer }
    var rescaled = layer
    rescaled.rescaleRecurrentBlocks(toSpectralNorm: sigma)
    return rescaled
  }
}

/// A weights file the sweep cannot analyse, with a message naming the file.
struct WeightsFileError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

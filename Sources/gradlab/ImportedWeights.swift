import DecayLab
import Foundation
import Linalg
import ModelFiles
import Recurrent

/// `gradlab decay --weights FILE`: every recurrent unit (layer, direction) of a model file,
/// each analysed as it is (σ = its largest gate-block spectral norm) or rescaled to each
/// requested σ, on seeded noise or the --inputs sequences pushed through the layers below.
struct ImportedWeights: Sendable {
  let path: String
  let model: ImportedModel
  /// Sigmas to rescale to; nil analyses every unit unchanged.
  let sigmas: [Double]?
  /// The --inputs sequences (T × D of the first layer each) and their file; nil: seeded noise.
  let inputs: [Matrix<Double>]?
  let inputsPath: String?
  /// Flags the regenerating command repeats.
  let flags: [String]

  init(path: String, prefix: String?, nonlinearity: Nonlinearity?, linear: Bool, sigmas: [Double]?, inputsPath: String?) throws {
    model = try ModelImport.read(URL(fileURLWithPath: path), prefix: prefix, nonlinearity: nonlinearity, linear: linear)
    for unit in model.units {
      let layer = unit.weights
      guard layer.hiddenSize <= DecayConfiguration.maxHiddenSize, layer.inputSize <= DecayConfiguration.maxInputSize else {
        throw WeightsFileError(
          "\(path): layer \(unit.layer) \(unit.direction) has H = \(layer.hiddenSize) and D = \(layer.inputSize); the sweep accepts H up to \(DecayConfiguration.maxHiddenSize) and D up to \(DecayConfiguration.maxInputSize)")
      }
      // The file, not a flag, sets these: out of range, the message names the file.
      let sigma = Self.nativeSigma(layer)
      if sigmas == nil, !(sigma > 0 && sigma <= DecayConfiguration.maxMagnitude) {
        throw WeightsFileError(
          "\(path): the recurrent weights of layer \(unit.layer) \(unit.direction) have spectral norm \(sigma), outside the (0, \(Int(DecayConfiguration.maxMagnitude))] the sweep accepts; pass --sigmas to rescale them to chosen norms")
      }
    }
    if let inputsPath {
      let sequences = try InputTensors.sequences(URL(fileURLWithPath: inputsPath))
      let D = model.units[0].weights.inputSize
      guard sequences[0].cols == D else {
        throw WeightsFileError("\(inputsPath): the inputs have D = \(sequences[0].cols) features, but \(path)'s first layer reads \(D)")
      }
      guard sequences.count <= DecayConfiguration.maxSeeds else {
        throw WeightsFileError("\(inputsPath): \(sequences.count) sequences, more than the \(DecayConfiguration.maxSeeds) the sweep accepts")
      }
      inputs = sequences
    } else {
      inputs = nil
    }
    var flags: [String] = []
    if let prefix { flags += ["--prefix", prefix] }
    if let nonlinearity { flags += ["--nonlinearity", nonlinearity.rawValue] }
    if linear { flags += ["--models", "linear"] }
    if let inputsPath { flags += ["--inputs", inputsPath] }
    (self.path, self.sigmas, self.inputsPath, self.flags) = (path, sigmas, inputsPath, flags)
  }

  /// σ of a layer: the largest spectral norm of its H × H recurrent gate blocks.
  static func nativeSigma(_ layer: RecurrentLayer<Double>) -> Double {
    (0..<layer.kind.gateCount).map { SingularValues.spectralNorm(layer.recurrentBlock($0)) }.max() ?? 0
  }

  /// Where unit `i`'s tables go: the output folder itself for a one-unit model, else a
  /// folder per unit (l0, l0_reverse, l1, ...) inside it.
  func folder(_ i: Int, in output: String) -> String {
    model.units.count == 1 ? output : (output as NSString).appendingPathComponent(model.units[i].name)
  }

  /// The sweep for unit `i`: its cell and sizes, no cell-path experiment, T and the
  /// sequences from --inputs when given, and the sequences it reads in the model.
  func sweep(unit i: Int, base: DecayConfiguration) throws -> (DecaySweep, ImportedLayer) {
    func configured(_ layer: RecurrentLayer<Double>) -> DecayConfiguration {
      var c = base
      c.models = [layer.kind]
      c.inputSize = layer.inputSize
      c.hiddenSize = layer.hiddenSize
      c.sigmas = sigmas ?? [Self.nativeSigma(layer)]
      c.forgetBiases = []
      if let inputs { (c.steps, c.seeds) = (inputs[0].rows, inputs.count) }
      return c
    }
    let first = try DecaySweep(configured(model.units[0].weights))
    let c = first.configuration
    let firstInputs = inputs ?? (1...c.seeds).map { first.data(seed: $0, inputSize: c.inputSize, hiddenSize: c.hiddenSize).inputs }
    let unit = model.units[i]
    var sweep = try DecaySweep(configured(unit.weights))
    sweep.inputs = firstInputs.map { model.unitInputs($0)[i] }
    let imported = ImportedLayer(
      file: path, format: model.format, layer: unit.weights, layerIndex: unit.layer, direction: unit.direction, name: unit.source,
      unitCount: model.units.count, nonlinearity: model.nonlinearity.map { "\($0.0.rawValue) (\($0.1))" },
      rescaled: sigmas != nil, inputsFile: inputsPath, flags: flags)
    return (sweep, imported)
  }

  func layer(_ i: Int, at sigma: Double) -> RecurrentLayer<Double> {
    var layer = model.units[i].weights
    if sigmas != nil { layer.rescaleRecurrentBlocks(toSpectralNorm: sigma) }
    return layer
  }
}

/// A weights file the sweep cannot analyse, with a message naming the file.
struct WeightsFileError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}

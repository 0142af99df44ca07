import Foundation
import Linalg
import Recurrent

/// One unit of an imported model as `gradlab decay --weights` analyses it: the layer, where
/// it sits in its file, what it reads, and the flags that chose it, so that
/// `decay_config.json` records the settings that applied and nothing else.
public struct ImportedLayer: Sendable {
  /// The weights file as the user gave it.
  public var file: String
  /// "PyTorch state dict", "Keras .keras archive", ...
  public var format: String
  public var layer: RecurrentLayer<Double>
  /// Its layer in the model, its direction ("forward" or "reverse"), and what the file calls
  /// it (a tensor prefix or a Keras layer name).
  public var layerIndex: Int
  public var direction: String
  public var name: String
  /// How many units the model has; with more than one the label names this one.
  public var unitCount: Int
  /// A single-gate cell's nonlinearity and who set it ("--nonlinearity", "the Keras config",
  /// "assumed (...)"); nil for the gated cells and the linear RNN.
  public var nonlinearity: String?
  /// Whether the layer was rescaled to each σ of --sigmas (else analysed as it is).
  public var rescaled: Bool
  /// The --inputs file, nil for seeded N(0, inputScale²) inputs.
  public var inputsFile: String?
  /// Flags besides --weights and --sigmas that the command repeats (--prefix, --nonlinearity, --inputs, --models linear).
  public var flags: [String]

  public init(
    file: String, format: String, layer: RecurrentLayer<Double>, layerIndex: Int = 0, direction: String = "forward", name: String = "",
    unitCount: Int = 1, nonlinearity: String? = nil, rescaled: Bool = false, inputsFile: String? = nil, flags: [String] = []
  ) {
    (self.file, self.format, self.layer, self.layerIndex, self.direction, self.name) = (file, format, layer, layerIndex, direction, name)
    (self.unitCount, self.nonlinearity, self.rescaled, self.inputsFile, self.flags) = (unitCount, nonlinearity, rescaled, inputsFile, flags)
  }

  /// The file's name, and the unit's layer and direction when the model has several.
  public var label: String {
    let base = (file as NSString).lastPathComponent
    return unitCount > 1 ? "\(base), layer \(layerIndex) \(direction)" : base
  }

  /// What `decay_config.json` records for an imported unit.
  public struct Settings: Codable, Sendable, Equatable {
    public var file: String
    public var format: String
    public var layer: Int
    public var direction: String
    public var name: String
    public var cell: CellKind
    public var nonlinearity: String?
    public var hiddenSize: Int
    public var inputSize: Int
    /// The σ it was rescaled to; nil when analysed as it is.
    public var rescaledTo: [Double]?
    public var steps: Int
    /// Input sequences (seeds): each gives one row set of decay.tsv.
    public var sequences: Int
    /// Where the inputs came from: the --inputs file or seeded N(0, inputScale²), and for a
    /// layer above the first, through the layers below.
    public var inputs: String
    /// Seeds the loss direction u (and the seeded inputs).
    public var baseSeed: Int
    /// nil with an --inputs file.
    public var inputScale: Double?
    public var precision: TablePrecision
  }

  func settings(_ c: DecayConfiguration) -> Settings {
    let origin = inputsFile.map { "\($0) (\(c.seeds) sequence\(c.seeds == 1 ? "" : "s"))" } ?? "seeded N(0, \(TSV.sigma(c.inputScale))^2) per seed"
    let through = layerIndex == 0 ? "" : ", through layers 0...\(layerIndex - 1) of the model"
    return Settings(
      file: file, format: format, layer: layerIndex, direction: direction, name: name, cell: layer.kind, nonlinearity: nonlinearity,
      hiddenSize: layer.hiddenSize, inputSize: layer.inputSize, rescaledTo: rescaled ? c.sigmas : nil, steps: c.steps, sequences: c.seeds,
      inputs: origin + (direction == "reverse" ? ", read from the last step to the first" : "") + through,
      baseSeed: c.baseSeed, inputScale: inputsFile == nil ? c.inputScale : nil, precision: c.precision)
  }
}

extension ImportedLayer {
  /// `decay_units.tsv`: one line per unit of an imported model (its layer, direction, cell
  /// and sizes, the σ and ρ of its largest gate block as analysed, the median decay rate per
  /// step and the median ||dL/dh_t|| at the largest lag T), and the folder of its tables.
  public static func unitsTable(_ units: [(unit: ImportedLayer, folder: String, result: DecaySweepResult)]) -> String {
    let header = ["layer", "direction", "name", "cell", "hidden", "input", "sigma", "radius", "rate_median", "grad_at_lag_T", "folder"]
    let lines = units.flatMap { entry -> [String] in
      let number = TSV.formatter(entry.result.configuration.precision)
      let T = entry.result.configuration.steps
      let summary = entry.result.summary()
      return entry.result.rates().map { rate in
        let far = summary.first { $0.sigma == rate.sigma && $0.lag == T }?.gradient.median
        let u = entry.unit
        return [String(u.layerIndex), u.direction, u.name.isEmpty ? "-" : u.name, u.layer.kind.rawValue, String(u.layer.hiddenSize), String(u.layer.inputSize),
          number(rate.norm), number(rate.radius), number(rate.rate.median), number(far), entry.folder].joined(separator: "\t")
      }
    }
    return ([header.joined(separator: "\t")] + lines).joined(separator: "\n") + "\n"
  }
}

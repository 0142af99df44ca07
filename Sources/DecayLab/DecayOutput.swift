import Foundation
import Linalg
import Recurrent
import Storage

/// Writes a sweep's tables and configuration into a folder, each file atomically.
public enum DecayOutput {
  /// The files a sweep writes: `decay_forget.tsv` only when it ran the cell-path experiment,
  /// `decay_layer.tsv` only for an imported layer.
  public static func fileNames(for configuration: DecayConfiguration, source: DecaySource = .random) -> [String] {
    var names = ["decay.tsv", "decay_summary.tsv", "decay_rates.tsv"]
    if !configuration.forgetBiases.isEmpty { names.append("decay_forget.tsv") }
    if case .imported = source { names.append("decay_layer.tsv") }
    return names + ["decay_spectra.tsv", "decay_settings.tsv", "decay_inputs.safetensors", "decay_weights.safetensors", "decay_config.json"]
  }

  /// What `decay_config.json` holds: the configuration, the command that regenerates the
  /// files, and how the columns are defined.
  public struct Record: Codable, Sendable, Equatable {
    public var configuration: DecayConfiguration
    /// A command that regenerates every file (all flags spelled out).
    public var command: String
    /// Where the layers came from: "random" or the weights file's name.
    public var source: String
    public var files: [String]
    public var gamma: Double
    /// The OpenBLAS kernels that computed the tables: another kernel changes last digits.
    public var blasCore: String?
    public var notes: [String]
  }

  /// Fails, before anything runs, if `folder` cannot be written: it must be a writable
  /// directory, or not exist yet below a writable directory (it is created when writing).
  public static func checkFolder(_ folder: URL) throws {
    do {
      try OutputFolder.checkWritable(folder)
    } catch let error as FileSystemError {
      throw DecayOutputError(error.description)
    }
  }

  /// The column notes recorded in `decay_config.json`.
  static let notes = [
    "decay.tsv: one line per (model, sigma, seed, t); lag = T - t; loss L = u . h_T with a seeded unit vector u",
    "grad_norm = ||dL/dh_t|| (LSTM: c_t held fixed), grad_norm_rel = grad_norm / grad_norm at lag 0",
    "jacobian_norm = sigma_max(dh_t/dh_{t-1}) (NaN at t = 0); product_norm = sigma_max(dh_T/dh_t)",
    "bound = (gamma sigma_max(W_h))^(T-t), gamma = 1 for tanh: a theorem for rnn and linear only, NaN for lstm and gru",
    "cell_grad_norm = ||dL/dc_t|| and forget_product = mean over units of prod_{k=t+1..T} f_k: LSTM only",
    "power_norm = ||W_h^(T-t)||_2 from exact matrix powers: linear only (its dh_T/dh_t), NaN otherwise",
    "decay_summary.tsv: median and quartiles over seeds per (model, sigma, lag); power_median = median power_norm",
    "decay_rates.tsv: least-squares slope of ln grad_norm against lag per seed (median, quartiles); theory = log(gamma sigma), the Pascanu bound's rate (an upper bound)",
    "decay_rates.tsv: norm_median, radius_median = median over seeds of the largest gate-block spectral norm and spectral radius rho; theory_radius = log rho, the rate the linear RNN tends to (NaN for the other cells)",
    "decay_spectra.tsv: spectral norm and radius (LAPACK dgeev) of every gate block of every job",
    "decay_layer.tsv (imported layers only): spectral norm and radius of every gate block as the file holds it",
    "decay_forget.tsv: the LSTM at forgetSigma for each forget-gate bias, and the tanh RNN at the same sigma",
    "decay_settings.tsv: the configuration as name/value lines, read by the gnuplot scripts for their labels",
    "decay_inputs.safetensors: inputs.seed<s> (T x D) and direction.seed<s> (1 x H) per seed, F64",
    "decay_weights.safetensors: <model>.seed<s>.{kernel, recurrent_kernel, bias, recurrent_bias, block_norms} before rescaling; at sigma every gate block g is (sigma / block_norms[g]) W_g (metadata rescaled = false: used as it is)",
    "quartiles: linear interpolation between order statistics over the seeds",
  ]

  /// Writes every file of `fileNames(for:)` into `folder` (created if missing), all or none.
  /// Returns their URLs.
  @discardableResult
  public static func write(_ result: DecaySweepResult, source: DecaySource = .random, to folder: URL, command: String) throws -> [URL] {
    let c = result.configuration
    let record = Record(configuration: c, command: command, source: source.label, files: fileNames(for: c, source: source), gamma: 1,
      blasCore: BLASRuntime.coreName, notes: notes)
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let json = try encoder.encode(record) + Data("\n".utf8)
    let sweep = try DecaySweep(c)
    let inputs = folder.appendingPathComponent("decay_inputs.safetensors").path
    let weights = folder.appendingPathComponent("decay_weights.safetensors").path
    var contents: [(String, Data)] = [
      ("decay.tsv", Data(result.rawTable.utf8)),
      ("decay_summary.tsv", Data(result.summaryTable.utf8)),
      ("decay_rates.tsv", Data(result.rateTable.utf8)),
    ]
    if !c.forgetBiases.isEmpty { contents.append(("decay_forget.tsv", Data(result.forgetTable.utf8))) }
    if case .imported(_, let layer, _) = source { contents.append(("decay_layer.tsv", Data(layerTable(layer, precision: c.precision).utf8))) }
    contents += [
      ("decay_spectra.tsv", Data(result.spectraTable.utf8)),
      ("decay_settings.tsv", Data(settingsTable(c, source: source).utf8)),
      ("decay_inputs.safetensors", try source.inputs(sweep).serialized(naming: inputs)),
      ("decay_weights.safetensors", try source.weights(sweep).serialized(naming: weights)),
      ("decay_config.json", json),
    ]
    do {
      return try AtomicFile.write(contents, into: folder)
    } catch let error as FileSystemError {
      throw DecayOutputError(error.description)
    }
  }

  /// σ_max and ρ of every gate block of an imported layer as it is in its file.
  static func layerTable(_ layer: RecurrentLayer<Double>, precision: TablePrecision) -> String {
    let number = TSV.formatter(precision)
    let rows = layer.recurrentSpectra.enumerated().map { [String($0.offset), number($0.element.spectralNorm), number($0.element.spectralRadius)] }
    return TSVTable(header: ["gate", "norm", "radius"], rows: rows).text
  }

  /// The configuration as `name<TAB>value` lines that gnuplot reads for titles and labels
  /// (lists space-separated, for gnuplot's `word()`).
  static func settingsTable(_ c: DecayConfiguration, source: DecaySource) -> String {
    func list(_ xs: [Double]) -> String { xs.map(TSV.sigma).joined(separator: " ") }
    let rows: [(String, String)] = [
      ("source", source.label), ("models", c.models.map(\.rawValue).joined(separator: " ")), ("sigmas", list(c.sigmas)),
      ("steps", String(c.steps)), ("hidden", String(c.hiddenSize)), ("input", String(c.inputSize)), ("seeds", String(c.seeds)),
      ("matrix", c.matrix.rawValue), ("radius_ratio", c.radiusRatio.map(TSV.sigma) ?? "NaN"),
      ("lstm_forget_bias", TSV.sigma(c.lstmForgetBias)), ("forget_sigma", TSV.sigma(c.forgetSigma)),
      ("forget_biases", list(c.forgetBiases)), ("gamma", "1"),
    ]
    return TSVTable(header: ["name", "value"], rows: rows.map { [$0.0, $0.1] }).text
  }
}

/// An output folder or file that cannot be written.
public struct DecayOutputError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

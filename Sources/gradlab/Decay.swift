import ArgumentParser
import DecayLab
import Foundation
import Linalg
import ModelFiles
import Recurrent
import Storage
import Timing

extension MatrixFamily: ExpressibleByArgument {}
extension Nonlinearity: ExpressibleByArgument {}
extension TablePrecision: ExpressibleByArgument {}

/// `gradlab decay`: the gradient-decay sweep behind the course figures.
struct Decay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure how gradients vanish or explode through time across a sweep of ||W_h||.",
    discussion: """
      For every model and target spectral norm sigma, draws every gate's recurrent block from \
      the --matrix family and rescales it to sigma, runs T steps of seeded N(0,1) inputs, takes \
      the loss L = u . h_T and records ||dL/dh_t||, the one-step and accumulated Jacobian norms, \
      the Pascanu bound and (linear RNN) ||W_h^k|| for every t, and the spectral norm and radius \
      of every gate block. Writes the decay_*.tsv tables, decay_inputs.safetensors and \
      decay_weights.safetensors (what the network was fed) and decay_config.json, all or none. \
      With --weights, analyses every layer and direction of an imported model instead (a \
      PyTorch state dict, a GradLab checkpoint, a Keras .keras, .h5 or .weights.h5), each on the \
      outputs of the layers below; flags that describe random layers (--hidden, --input, \
      --matrix, --radius-ratio, --lstm-forget-bias, --forget-*) are refused. --inputs gives \
      the sequences instead of seeded noise.
      """)

  @Option(parsing: .upToNextOption, help: "Models, comma- or space-separated: rnn, relu-rnn, lstm, gru, linear (default: rnn, lstm, gru, linear). With --weights: linear reads a single-gate layer as the linear RNN.")
  var models: [String] = []
  @Option(parsing: .upToNextOption, help: "Target spectral norms of W_h (each > 0). Default: 0.25 0.5 0.75 0.9 1 1.1 1.25 1.5 2 3; with --weights, the layer as it is.")
  var sigmas: [String] = []
  @Option(help: "Steps T (default 100; with --inputs, the file's).") var steps: Int?
  @Option(help: "Hidden size H (default 32).") var hidden: Int?
  @Option(help: "Input size D (default 8).") var input: Int?
  @Option(help: "Seeds per (model, sigma) point (default 5; with --inputs, one per sequence).") var seeds: Int?
  @Option(help: "Base seed mixed into every job's seed.") var baseSeed = 1
  @Option(help: "Standard deviation of the inputs (default 1).") var inputScale: Double?
  @Option(help: "Recurrent blocks before rescaling: orthogonal (rho = sigma), gaussian (N(0,1/H), rho about sigma/2) or nonnormal (rho = ratio * sigma; needs --radius-ratio). Default: orthogonal.")
  var matrix: MatrixFamily?
  @Option(help: "With --matrix nonnormal: the spectral radius as a fraction of sigma, in (0, 1].") var radiusRatio: Double?
  @Option(help: "Forget-gate bias of the LSTM in the main sweep (default 1).") var lstmForgetBias: Double?
  @Option(help: "Sigma of the LSTM cell-path experiment (default 0.5).") var forgetSigma: Double?
  @Option(parsing: .upToNextOption, help: "Forget-gate biases of the cell-path experiment (default 0 1 2; 'none' skips it).")
  var forgetBiases: [String] = []
  @Option(help: "Table digits: short (7 significant) or full (17, every Double exact).") var precision: TablePrecision = .short
  @Option(help: "Worker threads.") var threads = 2
  @Option(help: "Output folder (created if missing). Default: plots/data; with --weights, runs/weights.") var output: String?
  @Option(help: "Analyse the recurrent layers of this model file instead of random weights: safetensors (PyTorch state dict, GradLab checkpoint), Keras .keras, .h5 or .weights.h5.")
  var weights: String?
  @Option(help: "With --weights (safetensors): the tensor prefix of the recurrent module to analyse (e.g. encoder.lstm.) when the file holds several.")
  var prefix: String?
  @Option(help: "With --weights: the nonlinearity of a single-gate RNN, tanh or relu (default tanh, PyTorch's; a Keras config states it).")
  var nonlinearity: Nonlinearity?
  @Option(help: "With --weights: a safetensors file of one tensor, T x D or B x T x D, the input sequences (B seeds) instead of seeded noise.")
  var inputs: String?

  var outputFolder: String { output ?? (weights == nil ? "plots/data" : "runs/weights") }

  /// The typed configuration these flags describe (for --weights, before the file's sizes).
  func makeConfiguration() throws -> DecayConfiguration {
    var c = DecayConfiguration()
    if !models.isEmpty { c.models = try DecayConfiguration.parseModels(models) }
    if !sigmas.isEmpty { c.sigmas = try DecayConfiguration.parseNumbers(sigmas, flag: "--sigmas") }
    c.steps = steps ?? c.steps
    c.hiddenSize = hidden ?? c.hiddenSize
    c.inputSize = input ?? c.inputSize
    c.seeds = seeds ?? c.seeds
    c.baseSeed = baseSeed
    c.inputScale = inputScale ?? c.inputScale
    c.matrix = matrix ?? c.matrix
    c.radiusRatio = radiusRatio
    c.lstmForgetBias = lstmForgetBias ?? c.lstmForgetBias
    c.forgetSigma = forgetSigma ?? c.forgetSigma
    if forgetBiases.map({ $0.lowercased() }) == ["none"] {
      c.forgetBiases = []
    } else if !forgetBiases.isEmpty {
      c.forgetBiases = try DecayConfiguration.parseNumbers(forgetBiases, flag: "--forget-biases")
    }
    c.precision = precision
    try c.validate()
    return c
  }

  /// Flags that describe random layers, given together with --weights.
  var flagsRefusedWithWeights: [String] {
    [
      ("--hidden", hidden != nil), ("--input", input != nil), ("--matrix", matrix != nil), ("--radius-ratio", radiusRatio != nil),
      ("--lstm-forget-bias", lstmForgetBias != nil), ("--forget-sigma", forgetSigma != nil), ("--forget-biases", !forgetBiases.isEmpty),
    ].filter(\.1).map(\.0)
  }

  /// Flags that --inputs replaces.
  var flagsRefusedWithInputs: [String] {
    [("--steps", steps != nil), ("--seeds", seeds != nil), ("--input-scale", inputScale != nil)].filter(\.1).map(\.0)
  }

  func validate() throws {
    try CommandLineChecks.nonEmpty(output, "--output")
    try CommandLineChecks.nonEmpty(weights, "--weights")
    try CommandLineChecks.nonEmpty(inputs, "--inputs")
    if weights == nil, let flag = [("--prefix", prefix != nil), ("--nonlinearity", nonlinearity != nil), ("--inputs", inputs != nil)].first(where: \.1)?.0 {
      throw ValidationError("\(flag) applies to an imported model: give --weights FILE, or leave \(flag) out")
    }
    if inputs != nil, let flag = flagsRefusedWithInputs.first {
      throw ValidationError("\(flag) does not apply with --inputs \(inputs!): T and the sequences come from the file; leave \(flag) out")
    }
    guard threads >= 1 && threads <= 64 else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
    do {
      let c = try makeConfiguration()
      if let weights {
        if let flag = flagsRefusedWithWeights.first {
          throw ValidationError("\(flag) does not apply to an imported layer (--weights \(weights)): its sizes, matrix and biases come from the file; leave \(flag) out")
        }
        if !models.isEmpty && c.models != [.linear] {
          throw ValidationError("--models: with --weights \(weights) the file gives the cells; only --models linear (a single-gate layer read as the linear RNN) applies, not \(c.models.map(\.rawValue).joined(separator: ","))")
        }
        if nonlinearity != nil && !models.isEmpty {
          throw ValidationError("--nonlinearity and --models linear both set a single-gate layer's cell; give one")
        }
      }
      try DecayOutput.checkFolder(URL(fileURLWithPath: outputFolder))
    } catch let error as DecayConfigurationError {
      throw ValidationError(error.description)
    } catch let error as DecayOutputError {
      throw ValidationError(error.description)
    }
  }

  func run() throws {
    // One sweep at a time per folder, so two never mix their tables.
    let lock = try OutputFolderLock(URL(fileURLWithPath: outputFolder))
    defer { lock.release() }
    let configuration = try makeConfiguration()
    // Each job runs on its own worker: the BLAS calls inside LAPACK must not start threads.
    BLASRuntime.setThreads(1)
    guard let weights else {
      let sweep = try DecaySweep(configuration)
      let (result, seconds) = Stopwatch.timed { sweep.run(threads: threads, progress: { Console().line($0) }) }
      let files = try DecayOutput.write(result, to: URL(fileURLWithPath: outputFolder), command: configuration.command(output: recordedPath(outputFolder), source: .random))
      print(String(format: "decay: %d jobs, T=%d H=%d D=%d, %@ matrices, %d threads: %.1f s",
        sweep.jobs.count + sweep.forgetJobs.count, configuration.steps, configuration.hiddenSize, configuration.inputSize,
        configuration.matrix.rawValue, threads, seconds))
      printRates(result)
      for file in files { print("wrote \(file.path)") }
      return
    }
    let imported = try ImportedWeights(
      path: weights, prefix: prefix, nonlinearity: nonlinearity, linear: configuration.models == [.linear] && !models.isEmpty,
      sigmas: sigmas.isEmpty ? nil : configuration.sigmas, inputsPath: inputs)
    let model = imported.model
    print("weights: \(weights), \(model.format): \(model.layerCount) layer\(model.layerCount == 1 ? "" : "s")\(model.bidirectional ? ", two directions" : ""), \(model.units.count) unit\(model.units.count == 1 ? "" : "s") analysed")
    if let (kind, who) = model.nonlinearity { print("  nonlinearity: \(kind.rawValue), \(who)") }
    for note in model.notes { print("  \(note)") }
    if model.embedding != nil || model.output != nil {
      print("  the decay analysis feeds the recurrent layers directly: the embedding and the output layer are not used here (gradlab reach runs the whole classifier)")
    }
    print("  inputs: \(inputs.map { "\($0) (\(imported.inputs!.count) sequence\(imported.inputs!.count == 1 ? "" : "s"))" } ?? "seeded N(0, \(String(format: "%g", configuration.inputScale))^2)")\(model.layerCount > 1 ? "; layer l > 0 reads layer l-1's outputs" : "")")
    var entries: [(unit: ImportedLayer, folder: String, result: DecaySweepResult)] = []
    var written: [URL] = []
    for i in model.units.indices {
      let (sweep, unit) = try imported.sweep(unit: i, base: configuration)
      let c = sweep.configuration
      let (result, seconds) = Stopwatch.timed { sweep.run(threads: threads, makeLayer: { job in imported.layer(i, at: job.sigma) }, progress: { Console().line($0) }) }
      let folder = imported.folder(i, in: outputFolder)
      written += try DecayOutput.write(result, source: .imported(unit), to: URL(fileURLWithPath: folder), command: c.command(output: recordedPath(outputFolder), source: .imported(unit)))
      print(String(format: "layer %d %@ (%@, %@): %d jobs, T=%d H=%d D=%d, %d threads: %.1f s",
        unit.layerIndex, unit.direction, unit.name.isEmpty ? "no prefix" : unit.name, unit.layer.kind.rawValue, sweep.jobs.count,
        c.steps, c.hiddenSize, c.inputSize, threads, seconds))
      printRates(result)
      entries.append((unit, model.units.count == 1 ? "." : model.units[i].name, result))
    }
    written += try AtomicFile.write([("decay_units.tsv", Data(ImportedLayer.unitsTable(entries).utf8))], into: URL(fileURLWithPath: outputFolder))
    for file in written { print("wrote \(file.path)") }
  }

  func printRates(_ result: DecaySweepResult) {
    print("fitted decay rate per step (median over seeds); sigma = largest gate-block norm, rho = its radius;")
    print("bound log(gamma sigma) for rnn/relu-rnn/linear (an upper bound); theory log(rho) for linear (the rate it tends to):")
    for rate in result.rates() {
      let bound = rate.theory.map { String(format: "bound %+.3f", $0) } ?? ""
      let theory = rate.asymptoticRate.map { String(format: "  theory %+.3f", $0) } ?? ""
      print(String(format: "  %-8@ sigma %-6@ rho %-8@ rate %+.3f  %@%@", rate.model.rawValue, String(format: "%.4g", rate.norm),
        String(format: "%.4g", rate.radius), rate.rate.median, bound, theory))
    }
  }
}

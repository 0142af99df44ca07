import ArgumentParser
import DecayLab
import Foundation
import Linalg
import Recurrent
import Storage

extension MatrixFamily: ExpressibleByArgument {}
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
      With --weights, analyses one imported layer instead; flags that describe random layers \
      (--hidden, --input, --matrix, --radius-ratio, --lstm-forget-bias, --forget-*) are refused.
      """)

  @Option(parsing: .upToNextOption, help: "Models, comma- or space-separated: rnn, lstm, gru, linear (default: all four). With --weights: the layer's cell, one of them (linear or rnn for a single-gate layer; default: from its shapes, rnn).")
  var models: [String] = []
  @Option(parsing: .upToNextOption, help: "Target spectral norms of W_h (each > 0). Default: 0.25 0.5 0.75 0.9 1 1.1 1.25 1.5 2 3; with --weights, the layer as it is.")
  var sigmas: [String] = []
  @Option(help: "Steps T.") var steps = 100
  @Option(help: "Hidden size H (default 32).") var hidden: Int?
  @Option(help: "Input size D (default 8).") var input: Int?
  @Option(help: "Seeds per (model, sigma) point.") var seeds = 5
  @Option(help: "Base seed mixed into every job's seed.") var baseSeed = 1
  @Option(help: "Standard deviation of the inputs.") var inputScale = 1.0
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
  @Option(help: "Analyse the recurrent layer in this safetensors file (PyTorch, Keras or a GradLab checkpoint) instead of random weights.")
  var weights: String?

  var outputFolder: String { output ?? (weights == nil ? "plots/data" : "runs/weights") }

  /// The typed configuration these flags describe (for --weights, before the file's sizes).
  func makeConfiguration() throws -> DecayConfiguration {
    var c = DecayConfiguration()
    if !models.isEmpty { c.models = try DecayConfiguration.parseModels(models) }
    if !sigmas.isEmpty { c.sigmas = try DecayConfiguration.parseNumbers(sigmas, flag: "--sigmas") }
    c.steps = steps
    c.hiddenSize = hidden ?? c.hiddenSize
    c.inputSize = input ?? c.inputSize
    c.seeds = seeds
    c.baseSeed = baseSeed
    c.inputScale = inputScale
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

  func validate() throws {
    try CommandLineChecks.nonEmpty(output, "--output")
    try CommandLineChecks.nonEmpty(weights, "--weights")
    guard threads >= 1 && threads <= 64 else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
    do {
      let c = try makeConfiguration()
      if let weights {
        if let flag = flagsRefusedWithWeights.first {
          throw ValidationError("\(flag) does not apply to an imported layer (--weights \(weights)): its sizes, matrix and biases come from the file; leave \(flag) out")
        }
        if !models.isEmpty && c.models.count != 1 {
          throw ValidationError("--models: --weights \(weights) holds one layer; give one model (linear or rnn for a single-gate layer), not \(c.models.map(\.rawValue).joined(separator: ","))")
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
    var configuration = try makeConfiguration()
    var source = DecaySource.random
    var imported: ImportedWeights?
    if let weights {
      let layer = try ImportedWeights(path: weights, kind: models.isEmpty ? nil : configuration.models.first, sigmas: sigmas.isEmpty ? nil : configuration.sigmas)
      configuration = layer.configure(configuration)
      source = .imported(file: weights, layer: layer.layer, rescaled: layer.sigmas != nil)
      imported = layer
    }
    let sweep = try DecaySweep(configuration)
    // Each job runs on its own worker: BLAS must not start threads of its own inside.
    BLASRuntime.setThreads(1)
    let start = DispatchTime.now().uptimeNanoseconds
    var makeLayer: (@Sendable (DecayJob) -> RecurrentLayer<Double>)? = nil
    if let imported { makeLayer = { job in imported.layer(at: job.sigma) } }
    let result = sweep.run(threads: threads, makeLayer: makeLayer, progress: { Console().line($0) })
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let files = try DecayOutput.write(
      result, source: source, to: URL(fileURLWithPath: outputFolder), command: configuration.command(output: outputFolder, source: source))
    print(String(format: "decay: %d jobs, T=%d H=%d D=%d, %@ matrices, %d threads, BLAS core %@: %.1f s",
      sweep.jobs.count + sweep.forgetJobs.count, configuration.steps, configuration.hiddenSize, configuration.inputSize,
      source.label == "random" ? configuration.matrix.rawValue : source.label, threads, BLASRuntime.coreName, seconds))
    print("fitted decay rate per step (median over seeds); sigma = largest gate-block norm, rho = its radius;")
    print("bound log(gamma sigma) for rnn/linear (an upper bound); theory log(rho) for linear (the rate it tends to):")
    for rate in result.rates() {
      let bound = rate.theory.map { String(format: "bound %+.3f", $0) } ?? ""
      let theory = rate.asymptoticRate.map { String(format: "  theory %+.3f", $0) } ?? ""
      print(String(format: "  %-6@ sigma %-6@ rho %-8@ rate %+.3f  %@%@", rate.model.rawValue, String(format: "%.4g", rate.norm),
        String(format: "%.4g", rate.radius), rate.rate.median, bound, theory))
    }
    for file in files { print("wrote \(file.path)") }
  }
}

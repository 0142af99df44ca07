import ArgumentParser
import Experiments
import Foundation
import Linalg
import Recurrent

/// `gradlab decay`: the gradient-decay sweep behind the course figures.
struct Decay: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure how gradients vanish or explode through time across a sweep of ||W_h||.",
    discussion: """
      For every model and target spectral norm sigma, rescales every gate's recurrent block \
      to sigma, runs T steps of seeded N(0,1) inputs, takes the loss L = u . h_T and records \
      ||dL/dh_t||, the one-step and accumulated Jacobian norms and the Pascanu bound for \
      every t. Writes decay.tsv, decay_summary.tsv, decay_rates.tsv, decay_forget.tsv and \
      decay_config.json (atomically) into the output folder.
      """)

  @Option(parsing: .upToNextOption, help: "Models, comma- or space-separated: rnn, lstm, gru, linear.")
  var models: [String] = ["rnn", "lstm", "gru", "linear"]
  @Option(parsing: .upToNextOption, help: "Target spectral norms of W_h (each > 0). Default: 0.25 0.5 0.75 0.9 1 1.1 1.25 1.5 2 3; with --weights, the layer as it is.")
  var sigmas: [String] = []
  @Option(help: "Steps T.") var steps = 100
  @Option(help: "Hidden size H.") var hidden = 32
  @Option(help: "Input size D.") var input = 8
  @Option(help: "Seeds per (model, sigma) point.") var seeds = 5
  @Option(help: "Base seed mixed into every job's seed.") var baseSeed = 1
  @Option(help: "Standard deviation of the inputs.") var inputScale = 1.0
  @Option(help: "Forget-gate bias of the LSTM in the main sweep.") var lstmForgetBias = 1.0
  @Option(help: "Sigma of the LSTM cell-path experiment.") var forgetSigma = 0.5
  @Option(parsing: .upToNextOption, help: "Forget-gate biases of the cell-path experiment.")
  var forgetBiases: [String] = ["0", "1", "2"]
  @Option(help: "Worker threads.") var threads = 2
  @Option(help: "Output folder (created if missing). Default: plots/data; with --weights, runs/weights.") var output: String?
  @Option(help: "Analyse the recurrent layer in this safetensors file (PyTorch, Keras or a GradLab checkpoint) instead of random weights.")
  var weights: String?
  @Option(help: "With --weights: the cell, when the shapes alone do not tell (linear looks like rnn).") var weightsModel: CellKind?

  var outputFolder: String { output ?? (weights == nil ? "plots/data" : "runs/weights") }

  /// The typed configuration these flags describe.
  func makeConfiguration() throws -> DecayConfiguration {
    var c = DecayConfiguration()
    c.models = try DecayConfiguration.parseModels(models)
    if !sigmas.isEmpty { c.sigmas = try DecayConfiguration.parseNumbers(sigmas, flag: "--sigmas") }
    c.steps = steps
    c.hiddenSize = hidden
    c.inputSize = input
    c.seeds = seeds
    c.baseSeed = baseSeed
    c.inputScale = inputScale
    c.lstmForgetBias = lstmForgetBias
    c.forgetSigma = forgetSigma
    c.forgetBiases = try DecayConfiguration.parseNumbers(forgetBiases, flag: "--forget-biases")
    try c.validate()
    return c
  }

  func validate() throws {
    try CommandLineChecks.nonEmpty(output, "--output")
    try CommandLineChecks.nonEmpty(weights, "--weights")
    guard threads >= 1 && threads <= 64 else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
    do {
      _ = try makeConfiguration()
      try DecayOutput.checkFolder(URL(fileURLWithPath: outputFolder))
    } catch let error as DecayConfigurationError {
      throw ValidationError(error.description)
    } catch let error as DecayOutputError {
      throw ValidationError(error.description)
    }
  }

  /// The imported layer for each job, or nil for the seeded random layers.
  func makeLayer(_ imported: ImportedWeights?) -> (@Sendable (DecayJob) -> RecurrentLayer<Double>)? {
    guard let imported else { return nil }
    return { job in imported.layer(at: job.sigma) }
  }

  /// A command that regenerates the same files, every setting spelled out.
  static func command(for c: DecayConfiguration, output: String) -> String {
    func list(_ xs: [Double]) -> String { xs.map { $0 == $0.rounded() && abs($0) < 1e15 ? String(Int($0)) : "\($0)" }.joined(separator: ",") }
    return [
      "swift run -c release gradlab decay",
      "--models", c.models.map(\.rawValue).joined(separator: ","),
      "--sigmas", list(c.sigmas),
      "--steps", "\(c.steps)", "--hidden", "\(c.hiddenSize)", "--input", "\(c.inputSize)",
      "--seeds", "\(c.seeds)", "--base-seed", "\(c.baseSeed)", "--input-scale", list([c.inputScale]),
      "--lstm-forget-bias", list([c.lstmForgetBias]), "--forget-sigma", list([c.forgetSigma]),
      "--forget-biases", list(c.forgetBiases), "--output", output,
    ].joined(separator: " ")
  }

  func run() throws {
    var configuration = try makeConfiguration()
    let imported = try weights.map { try ImportedWeights(path: $0, kind: weightsModel, sigmas: sigmas.isEmpty ? nil : configuration.sigmas) }
    if let imported { configuration = imported.configure(configuration) }
    let sweep = try DecaySweep(configuration)
    // Each job runs on its own worker: BLAS must not start threads of its own inside.
    BLASRuntime.setThreads(1)
    let start = DispatchTime.now().uptimeNanoseconds
    let result = sweep.run(
      threads: threads, makeLayer: makeLayer(imported),
      progress: { Console().line($0) })
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let files = try DecayOutput.write(
      result, to: URL(fileURLWithPath: outputFolder),
      command: Self.command(for: configuration, output: outputFolder) + (weights.map { " --weights \($0)" } ?? ""),
      invocation: ["gradlab"] + CommandLine.arguments.dropFirst())
    print(String(format: "decay: %d jobs, T=%d H=%d D=%d, %d threads, BLAS core %@: %.1f s",
      sweep.jobs.count + sweep.forgetJobs.count, configuration.steps, configuration.hiddenSize, configuration.inputSize,
      threads, BLASRuntime.coreName, seconds))
    print("fitted decay rate per step (median over seeds) | theory log(sigma) for rnn/linear:")
    for rate in result.rates() {
      let theory = rate.theory.map { String(format: "%+.3f", $0) } ?? "  -   "
      print(String(format: "  %-6@ sigma %-5@ rate %+.3f  theory %@", rate.model.rawValue, "\(rate.sigma)", rate.rate.median, theory))
    }
    for file in files { print("wrote \(file.path)") }
  }
}

import ArgumentParser
import Experiments
import Foundation
import Linalg

/// `gradlab saturation`: the distribution of the tanh RNN's slopes φ'(a_t) in the decay sweep.
struct Saturation: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure how saturated the decay sweep's tanh RNN is: the distribution of phi'(a_t) = 1 - h_t^2 per sigma.",
    discussion: """
      Rebuilds the tanh RNN of `gradlab decay` (same seeds, layers and inputs) at every sigma, \
      runs it forward and writes the histogram of its slopes (saturation.tsv), their summary \
      (saturation_summary.tsv) and saturation_config.json, atomically, into the output folder.
      """)

  @Option(parsing: .upToNextOption, help: "Target spectral norms of W_h (each > 0). Default: the decay sweep's ten.")
  var sigmas: [String] = []
  @Option(help: "Steps T.") var steps = 100
  @Option(help: "Hidden size H.") var hidden = 32
  @Option(help: "Input size D.") var input = 8
  @Option(help: "Seeds per sigma.") var seeds = 5
  @Option(help: "Base seed, as in gradlab decay.") var baseSeed = 1
  @Option(help: "Standard deviation of the inputs.") var inputScale = 1.0
  @Option(help: "Histogram bins over [0, 1].") var bins = 20
  @Option(help: "Output folder (created if missing).") var output = "plots/data"

  func makeConfiguration() throws -> DecayConfiguration {
    var c = DecayConfiguration()
    c.models = [.rnn]
    if !sigmas.isEmpty { c.sigmas = try DecayConfiguration.parseNumbers(sigmas, flag: "--sigmas") }
    c.steps = steps
    c.hiddenSize = hidden
    c.inputSize = input
    c.seeds = seeds
    c.baseSeed = baseSeed
    c.inputScale = inputScale
    c.forgetBiases = []
    try c.validate()
    return c
  }

  func validate() throws {
    do {
      _ = try makeConfiguration()
      try DecayOutput.checkFolder(URL(fileURLWithPath: output))
    } catch let error as DecayConfigurationError {
      throw ValidationError(error.description)
    } catch let error as DecayOutputError {
      throw ValidationError(error.description)
    }
    guard (1...1000).contains(bins) else { throw ValidationError("--bins must be in 1...1000, got \(bins)") }
  }

  func run() throws {
    let c = try makeConfiguration()
    BLASRuntime.setFlushDenormals(false)
    let tables = try SaturationTables(configuration: c, bins: bins)
    let sigmaList = c.sigmas.map { $0 == $0.rounded() ? String(Int($0)) : "\($0)" }.joined(separator: ",")
    let command = "swift run -c release gradlab saturation --sigmas \(sigmaList) --steps \(c.steps) --hidden \(c.hiddenSize) --input \(c.inputSize) --seeds \(c.seeds) --base-seed \(c.baseSeed) --input-scale \(c.inputScale) --bins \(bins) --output \(output)"
    for url in try tables.write(to: URL(fileURLWithPath: output), command: command) { print("wrote \(url.path)") }
  }
}

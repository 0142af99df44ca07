import ArgumentParser
import DecayLab
import Foundation
import Linalg
import Storage

/// `gradlab saturation`: the distribution of the tanh RNN's slopes φ'(a_t) in the decay sweep.
struct Saturation: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Measure how saturated the decay sweep's tanh RNN is: the distribution of phi'(a_t) = 1 - h_t^2 per sigma.",
    discussion: """
      Reads the sweep's settings from its decay_config.json, rebuilds its tanh RNN (same \
      seeds, layers and inputs) at every sigma, runs it forward and writes the histogram of \
      its slopes (saturation.tsv), their summary (saturation_summary.tsv) and \
      saturation_config.json, atomically, into the output folder.
      """)

  @Option(help: "The decay sweep's configuration, written by gradlab decay.") var decayConfig = "plots/data/decay_config.json"
  @Option(parsing: .upToNextOption, help: "Target spectral norms of W_h (each > 0). Default: the sweep's.")
  var sigmas: [String] = []
  @Option(help: "Histogram bins over [0, 1].") var bins = 20
  @Option(help: "Output folder (created if missing).") var output = "plots/data"

  func makeConfiguration() throws -> DecayConfiguration {
    guard let data = FileManager.default.contents(atPath: decayConfig) else {
      throw DecayConfigurationError("cannot read \(decayConfig); run gradlab decay first or pass --decay-config")
    }
    guard let record = try? JSONDecoder().decode(DecayOutput.Record.self, from: data) else {
      throw DecayConfigurationError("\(decayConfig) is not a decay_config.json written by gradlab decay")
    }
    guard var c = record.configuration else {
      throw DecayConfigurationError("\(decayConfig) describes an imported layer, not a random sweep; pass the decay_config.json of a gradlab decay run without --weights")
    }
    c.models = [.rnn]
    c.forgetBiases = []
    // The file's settings are named as the file's, not as flags this command lacks.
    do {
      try c.validate()
    } catch let error as DecayConfigurationError {
      throw DecayConfigurationError("\(decayConfig) holds settings gradlab decay refuses (\(error.description), in gradlab decay's flags); write it again with gradlab decay, or pass another --decay-config")
    }
    if !sigmas.isEmpty {
      c.sigmas = try DecayConfiguration.parseNumbers(sigmas, flag: "--sigmas")
      try c.validate()
    }
    return c
  }

  func validate() throws {
    try CommandLineChecks.nonEmpty(output, "--output")
    try CommandLineChecks.nonEmpty(decayConfig, "--decay-config")
    try checkDecaySettings(output: output, makeConfiguration)
    guard (1...1000).contains(bins) else { throw ValidationError("--bins must be in 1...1000, got \(bins)") }
  }

  func run() throws {
    let c = try makeConfiguration()
    let tables = try keepingDenormals { try SaturationTables(configuration: c, bins: bins) }
    let sigmaList = c.sigmas.map { $0 == $0.rounded() ? String(Int($0)) : "\($0)" }.joined(separator: ",")
    let command = "swift run -c release gradlab saturation --decay-config \(recordedPath(decayConfig)) --sigmas \(sigmaList) --bins \(bins) --output \(recordedPath(output))"
    let lock = try OutputFolderLock(URL(fileURLWithPath: output))
    defer { lock.release() }
    for url in try tables.write(to: URL(fileURLWithPath: output), command: command) { print("wrote \(url.path)") }
  }
}

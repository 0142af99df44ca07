import ArgumentParser
import DecayLab
import Foundation

/// `gradlab decay-modern`: how far back the gradient reaches through IRNN, chrono, LRU and
/// minGRU at initialisation, beside the cells they were built to improve.
struct ModernDecayCommand: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "decay-modern",
    abstract: "Gradient decay through IRNN, chrono LSTM, LRU and minGRU at initialisation, with the LRU's exact rate log|lambda| as a self-check.",
    discussion: """
      One sequence of T inputs N(0, 1) (D 4, H 32), L = u . h_T, ||dL/dh_t|| per lag, median of \
      5 seeds. LRU at |lambda|_max = 0.5 ... 0.999 (ring [0.5 r, r], and all |lambda| = r, whose \
      rate is exactly log r); IRNN (W_h = I) beside the ReLU and tanh RNN at orthogonal W_h; \
      chrono (T_max = T) beside forget bias 1; minGRU. Then the rate per step against sigma = rho \
      on the course decay sweep's data and sizes (T 100, H 32, D 8, 5 seeds): IRNN at sigma I, \
      ReLU RNN at sigma orthogonal, chrono LSTM, LRU at |lambda|_max = sigma < 1, and minGRU \
      against its mean gate. Writes decay_modern.tsv, decay_modern_rates.tsv and \
      decay_modern_sigma.tsv, atomically, into the output folder.
      """)

  @Option(help: "Sequence length T (lags 0...T).") var steps = 1000
  @Option(help: "Seeds per setting.") var seeds = 5
  @Option(help: "Threads.") var threads = 2
  @Option(help: "Output folder (created if missing).") var output = "plots/data/decay-modern"

  func validate() throws {
    try CommandLineChecks.nonEmpty(output, "--output")
    guard (4...100_000).contains(steps) else { throw ValidationError("--steps must be in 4...100000, got \(steps)") }
    guard (1...1000).contains(seeds) else { throw ValidationError("--seeds must be in 1...1000, got \(seeds)") }
    guard (1...64).contains(threads) else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
  }

  func run() throws {
    var experiment = ModernDecay()
    (experiment.steps, experiment.seeds) = (steps, seeds)
    let folder = URL(fileURLWithPath: output)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let (curves, rates) = experiment.tables(threads: threads)
    let sigma = try ModernRateSweep().table(threads: threads)
    for (name, table) in [("decay_modern.tsv", curves), ("decay_modern_rates.tsv", rates), ("decay_modern_sigma.tsv", sigma)] {
      let url = folder.appendingPathComponent(name)
      try table.write(to: url)
      print("wrote \(url.path)")
    }
  }
}

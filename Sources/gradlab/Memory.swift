import ArgumentParser
import DecayLab
import Foundation

/// `gradlab memory`: the curse of memory of the scalar linear recurrence, closed forms beside
/// a seeded Monte Carlo estimate.
struct Memory: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "The curse of memory: E[h^2], E[(dh/dp)^2] and the loss gradient of h_t = lambda h_{t-1} + gamma x_t against lambda.",
    discussion: """
      Four settings: plain (gamma 1, parameter lambda), normalised (gamma = sqrt(1 - lambda^2)), \
      exponential (lambda = exp(-e^nu), parameter nu) and both. Closed forms and a Monte Carlo \
      estimate with its standard error for lambda = 0, 0.1, ..., 0.9, 0.95, 0.99, 0.995, 0.999. \
      Writes curse_of_memory.tsv, atomically, into the output folder.
      """)

  @Option(help: "Monte Carlo sequences per setting and lambda (at least 2).") var samples = 4000
  @Option(help: "Seed of the Monte Carlo inputs.") var seed: UInt64 = 1
  @Option(help: "Output folder (created if missing).") var output = "plots/data/memory"

  func validate() throws {
    try CommandLineChecks.nonEmpty(output, "--output")
    guard (2...1_000_000).contains(samples) else { throw ValidationError("--samples must be in 2...1000000, got \(samples)") }
  }

  func run() throws {
    let folder = URL(fileURLWithPath: output)
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    let url = folder.appendingPathComponent("curse_of_memory.tsv")
    try CurseOfMemory.table(lambdas: CurseOfMemory.standardLambdas, samples: samples, seed: seed).write(to: url)
    print("wrote \(url.path)")
  }
}

import ArgumentParser
import Foundation
import Statistics
import Storage
import Training

struct Seeds: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Summarise finished training runs of one configuration over seeds: test accuracy per seed, mean and a 95% Student-t interval.",
    discussion: """
      Reads results.json and config.json of each run folder (made by gradlab train with \
      different --seed values) and writes seeds.tsv, seeds_summary.tsv and seeds_spectra.tsv \
      (each run's spectra.tsv with its seed) into --output.
      """)

  @Argument(help: "Finished run folders (at least two), one per seed.") var runs: [String]
  @Option(help: "Folder for seeds.tsv, seeds_summary.tsv and seeds_spectra.tsv.") var output: String
  @Option(help: "An accuracy to compare with, e.g. 0.8517 (the original Keras LSTM run).") var reference: Double?

  func validate() throws {
    guard runs.count >= 2 else { throw ValidationError("an interval over seeds needs at least 2 run folders, got \(runs.count)") }
    if let reference, !(reference.isFinite && reference >= 0 && reference <= 1) {
      throw ValidationError("--reference must be an accuracy in [0, 1], got \(reference)")
    }
  }

  func run() throws {
    let summary = try SeedSummary(folders: runs.map { URL(fileURLWithPath: $0) }, reference: reference)
    try OutputFolder.checkWritable(URL(fileURLWithPath: output))
    let lock = try OutputFolderLock(URL(fileURLWithPath: output))
    defer { lock.release() }
    try summary.write(to: URL(fileURLWithPath: output))
    for (result, interval) in summary.intervals {
      print(String(format: "%@: mean test accuracy %.4f over %d seeds, %@ [%.4f, %.4f]", result, interval.mean, interval.count, MeanInterval.kind, interval.low, interval.high))
    }
  }
}

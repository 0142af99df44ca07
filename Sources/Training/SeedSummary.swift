import Foundation
import Linalg
import Statistics
import Storage

/// Test accuracy over seeds: finished run folders of one configuration (differing only in
/// the seed) summarised as a per-seed table and the mean with a 95% Student-t interval over
/// seeds, for the last epoch and for the best-validation epoch, beside a reference accuracy
/// (the original Keras run's 0.8517 for the 100-epoch LSTM).
///
/// Writes `seeds.tsv` (one row per run), `seeds_summary.tsv` (one row per result kind) and
/// `seeds_spectra.tsv` (every run's `spectra.tsv`, W_h's norm and radius per gate block beside
/// the measured decay rate at each gradient epoch, with the seed in front).
public struct SeedSummary {
  /// One finished run, read from its folder.
  public struct Run: Sendable {
    public var folder: URL
    public var configuration: TrainingConfiguration
    public var summary: TrainingSummary
    /// The BLAS kernels: results.json, else the checkpoint's metadata, else "unknown".
    public var blasCore: String
    public var machine: String
    /// The run's spectra.tsv, nil when it has none (runs from before it was written).
    public var spectra: TSVTable?
  }

  public var runs: [Run]
  /// An accuracy to compare with, or nil.
  public var reference: Double?

  public static let seedHeader = [
    "seed", "run", "blas_core", "machine", "last_epoch", "last_val_acc", "last_test_acc", "best_epoch", "best_val_acc", "best_test_acc",
  ]
  public static let spectraHeader = ["seed", "cell", "epoch", "gate", "spectral_norm", "spectral_radius", "decay_rate"]
  public static let summaryHeader = [
    "cell", "epochs", "result", "n", "mean", "sd", "ci_low", "ci_high", "interval", "reference", "reference_inside", "blas_cores",
    "length", "hidden_size",
  ]

  /// Reads every folder and checks they are one configuration with distinct seeds.
  public init(folders: [URL], reference: Double?) throws {
    guard folders.count >= 2 else {
      throw SeedSummaryError("an interval over seeds needs at least 2 finished runs, got \(folders.count); pass more run folders")
    }
    if let reference, !(reference.isFinite && reference >= 0 && reference <= 1) {
      throw SeedSummaryError("the reference accuracy must be in [0, 1], got \(reference)")
    }
    runs = try folders.map(Self.read)
    self.reference = reference
    let first = runs[0]
    for run in runs.dropFirst() {
      var other = run.configuration
      other.seed = first.configuration.seed
      let differences = other.differences(from: first.configuration)
        + (other.epochs == first.configuration.epochs ? [] : ["epochs: \(first.configuration.epochs) -> \(other.epochs)"])
      guard differences.isEmpty else {
        throw SeedSummaryError(
          "\(run.folder.path) is not the configuration of \(first.folder.path) with another seed (\(differences.joined(separator: "; "))); summarise one configuration at a time")
      }
    }
    let seeds = runs.map(\.configuration.seed)
    if let repeated = seeds.first(where: { seed in seeds.filter { $0 == seed }.count > 1 }) {
      throw SeedSummaryError("seed \(repeated) appears in more than one run folder; each seed once")
    }
    runs.sort { $0.configuration.seed < $1.configuration.seed }
  }

  static func read(_ folder: URL) throws -> Run {
    func file(_ name: String) throws -> Data {
      let url = folder.appendingPathComponent(name)
      guard let data = FileManager.default.contents(atPath: url.path) else {
        throw SeedSummaryError("\(url.path) is missing: is the run finished? `gradlab train ... --output \(folder.path) --resume` completes it")
      }
      return data
    }
    let description: RunDescription
    let summary: TrainingSummary
    do { description = try JSONDecoder().decode(RunDescription.self, from: try file("config.json")) } catch let error as SeedSummaryError { throw error } catch {
      throw SeedSummaryError("\(folder.appendingPathComponent("config.json").path) is not a run description written by gradlab train: \(error)")
    }
    do { summary = try JSONDecoder.tolerant.decode(TrainingSummary.self, from: try file("results.json")) } catch let error as SeedSummaryError { throw error } catch {
      throw SeedSummaryError("\(folder.appendingPathComponent("results.json").path) is not a results file written by gradlab train: \(error)")
    }
    for (name, value) in [("last", summary.last.testAccuracy), ("best-validation", summary.bestValidation.testAccuracy)] where !(value.isFinite && value >= 0 && value <= 1) {
      throw SeedSummaryError("\(folder.appendingPathComponent("results.json").path) holds a \(name) test accuracy of \(value), not in [0, 1]; rerun the evaluation with --resume")
    }
    let checkpoint = folder.appendingPathComponent("checkpoint.safetensors")
    let recorded = summary.blasCore ?? (try? SafetensorsFile.read(from: checkpoint))?.metadata["blas_core"]
    let spectraURL = folder.appendingPathComponent("spectra.tsv")
    var spectra: TSVTable?
    if FileManager.default.fileExists(atPath: spectraURL.path) {
      let table = try TSVTable.read(from: spectraURL)
      guard table.header == Array(spectraHeader.dropFirst()) else {
        throw SeedSummaryError("\(spectraURL.path) has the header \(TSVTable.excerpt(table.header)), expected \(spectraHeader.dropFirst().joined(separator: " ")); delete it or rerun the run")
      }
      spectra = table
    }
    return Run(
      folder: folder, configuration: description.configuration, summary: summary, blasCore: recorded ?? "unknown", machine: summary.machine ?? "unknown",
      spectra: spectra)
  }

  public var seedTable: TSVTable {
    var table = TSVTable(header: Self.seedHeader)
    for run in runs {
      let (last, best) = (run.summary.last, run.summary.bestValidation)
      table.append(
        [String(run.configuration.seed), run.folder.lastPathComponent, run.blasCore, run.machine, String(last.epoch)]
          + [last.validationAccuracy, last.testAccuracy].map(tsvNumber) + [String(best.epoch)]
          + [best.validationAccuracy, best.testAccuracy].map(tsvNumber))
    }
    return table
  }

  /// Every run's spectra rows, the seed in front, in seed order.
  public var spectraTable: TSVTable {
    TSVTable(header: Self.spectraHeader, rows: runs.flatMap { run in (run.spectra?.rows ?? []).map { [String(run.configuration.seed)] + $0 } })
  }

  /// The interval over seeds of the last-epoch and of the best-validation test accuracy.
  public var intervals: [(result: String, interval: MeanInterval)] {
    [
      ("last_epoch", MeanInterval(runs.map(\.summary.last.testAccuracy))),
      ("best_validation", MeanInterval(runs.map(\.summary.bestValidation.testAccuracy))),
    ]
  }

  public var summaryTable: TSVTable {
    var table = TSVTable(header: Self.summaryHeader)
    let cores = Array(Set(runs.map(\.blasCore))).sorted().joined(separator: "+")
    let configuration = runs[0].configuration
    for (result, interval) in intervals {
      table.append(
        [configuration.cell.rawValue, String(configuration.epochs), result, String(interval.count)]
          + [interval.mean, interval.standardDeviation, interval.low, interval.high].map(tsvNumber)
          + ["t95_over_seeds", reference.map(tsvNumber) ?? "NaN", reference.map { interval.contains($0) ? "yes" : "no" } ?? "NA", cores]
          + [String(configuration.data.sequenceLength), String(configuration.hiddenSize)])
    }
    return table
  }

  /// Writes the three tables into `folder` (created if needed), each atomically.
  public func write(to folder: URL) throws {
    do {
      _ = try OutputFolder.createMissing(folder)
      try seedTable.write(to: folder.appendingPathComponent("seeds.tsv"))
      try summaryTable.write(to: folder.appendingPathComponent("seeds_summary.tsv"))
      try spectraTable.write(to: folder.appendingPathComponent("seeds_spectra.tsv"))
    } catch {
      throw SeedSummaryError("cannot write the seed tables to \(folder.path): \(FileSystemError.explain(error)); choose another --output")
    }
  }
}

public struct SeedSummaryError: Error, CustomStringConvertible {
  public let description: String
  init(_ description: String) { self.description = description }
}

import Foundation
import IMDB
import Statistics
import Storage
import Training

/// The comparison's tables, from the finished units' records and predictions:
///
/// - `compare_runs.tsv`: one row per unit (best epoch, validation and test accuracy, seconds);
/// - `compare_overall.tsv`: per model, length and padding, the mean test accuracy over seeds
///   with a 95% Student-t interval over seeds, the mean best epoch, epochs trained and seconds;
/// - `compare_by_length.tsv`: the same per bucket of unpadded test-review length (quantiles of
///   the test set), with the bucket's count, the share of its reviews longer than the
///   sequence length (truncated), and a 95% Wilson interval of the mean accuracy on that
///   many reviews (the test-sampling part of the uncertainty alone);
/// - `compare_gradients.tsv`: ||dL/dh_t|| of the recurrent units after training;
/// - `compare_spectra.tsv`: their W_h spectrum per gate block and measured decay rate, per epoch.
public struct CompareTables {
  public let records: [UnitRecord]
  public let predictions: [CompareUnit: UnitPredictions]
  public let gradients: TSVTable
  public let spectra: TSVTable
  public let buckets: Int
  /// Where the units were read from.
  public let unitsFolder: URL

  public static let runsHeader = [
    "model", "maxlen", "padding", "seed", "best_epoch", "epochs", "best_val_loss", "best_val_acc", "test_loss", "test_acc",
    "epoch_seconds_mean", "train_seconds", "parameters", "blas_core",
  ]
  public static let overallHeader = [
    "model", "maxlen", "padding", "seeds", "test_acc_mean", "test_acc_sd", "ci_low", "ci_high", "best_epoch_mean", "epoch_seconds_mean",
    "epochs_mean", "train_seconds_mean",
  ]
  public static let byLengthHeader = [
    "model", "maxlen", "padding", "bucket", "length_low", "length_high", "count", "truncated_share", "seeds", "acc_mean", "ci_low", "ci_high", "sampling_low", "sampling_high",
  ]
  public static let gradientsHeader = ["model", "maxlen", "padding", "seed", "epoch", "t", "lag", "grad_norm"]
  public static let spectraHeader = ["model", "maxlen", "padding", "seed", "epoch", "gate", "spectral_norm", "spectral_radius", "decay_rate"]

  /// Reads every finished unit of `run`.
  public init(run: CompareRun) throws {
    var records: [UnitRecord] = []
    var predictions: [CompareUnit: UnitPredictions] = [:]
    var gradients = TSVTable(header: Self.gradientsHeader)
    var spectra = TSVTable(header: Self.spectraHeader)
    for unit in run.finishedUnits {
      records.append(try run.record(unit))
      predictions[unit] = try UnitPredictions.read(from: run.url(unit, ".predictions.tsv"))
      // The unit's own tables with its key in front of each row (their `cell` column dropped).
      func keyed(_ suffix: String) throws -> [[String]] {
        let tableURL = run.url(unit, suffix)
        guard FileManager.default.fileExists(atPath: tableURL.path) else { return [] }
        let key = [unit.model.rawValue, String(unit.length), unit.padding.rawValue, String(unit.seed)]
        return try TSVTable.read(from: tableURL).rows.map { key + $0.dropFirst() }
      }
      gradients.rows += try keyed(".gradients.tsv")
      spectra.rows += try keyed(".spectra.tsv")
    }
    // The units of one length and padding must have seen the same data.
    for options in CompareRun.distinct(records.map { run.configuration.dataOptions(length: $0.unit.length, padding: $0.unit.padding) }) {
      let group = records.filter { run.configuration.dataOptions(length: $0.unit.length, padding: $0.unit.padding) == options && $0.dataFingerprint != nil }
      if let first = group.first, let other = group.first(where: { $0.dataFingerprint != first.dataFingerprint }) {
        throw TSVError(
          path: run.url(other.unit, ".json").path,
          problem: "was trained on other data (fingerprint \(other.dataFingerprint ?? "")) than \(first.unit.name) (\(first.dataFingerprint ?? "")); delete the units of the wrong data and train them again")
      }
    }
    self.records = records
    self.predictions = predictions
    self.gradients = gradients
    self.spectra = spectra
    self.buckets = run.configuration.buckets
    self.unitsFolder = run.unitsFolder
  }

  /// (model, maxlen, padding) groups in the order the units were trained.
  var groups: [(key: CompareUnit, records: [UnitRecord])] {
    var keys: [CompareUnit] = []
    var members: [CompareUnit: [UnitRecord]] = [:]
    for record in records {
      var key = record.unit
      key.seed = 0
      if members[key] == nil { keys.append(key) }
      members[key, default: []].append(record)
    }
    return keys.map { ($0, members[$0] ?? []) }
  }

  public var runsTable: TSVTable {
    var table = TSVTable(header: Self.runsHeader)
    for r in records {
      let names: [String] = [r.unit.model.rawValue, String(r.unit.length), r.unit.padding.rawValue, String(r.unit.seed), String(r.bestEpoch), String(r.epochs.count)]
      let epochSeconds = r.trainSeconds / Double(max(r.epochs.count, 1))
      let numbers: [Double] = [r.best?.validationLoss ?? .nan, r.best?.validationAccuracy ?? .nan, r.testLoss, r.testAccuracy, epochSeconds, r.trainSeconds]
      table.append(names + numbers.map(tsvNumber) + [String(r.parameterCount), r.blasCore])
    }
    return table
  }

  public var overallTable: TSVTable {
    var table = TSVTable(header: Self.overallHeader)
    for (key, group) in groups {
      let interval = MeanInterval(group.map(\.testAccuracy))
      let bestEpoch = group.reduce(0.0) { $0 + Double($1.bestEpoch) } / Double(group.count)
      let seconds = group.reduce(0.0) { $0 + $1.trainSeconds / Double(max($1.epochs.count, 1)) } / Double(group.count)
      let epochs = group.reduce(0.0) { $0 + Double($1.epochs.count) } / Double(group.count)
      let trainSeconds = group.reduce(0.0) { $0 + $1.trainSeconds } / Double(group.count)
      let numbers: [Double] = [interval.mean, interval.standardDeviation, interval.low, interval.high, bestEpoch, seconds, epochs, trainSeconds]
      table.append([key.model.rawValue, String(key.length), key.padding.rawValue, String(group.count)] + numbers.map(tsvNumber))
    }
    return table
  }

  /// Throws unless every unit predicted the same test reviews (lengths and labels agree).
  public func byLengthTable() throws -> TSVTable {
    var table = TSVTable(header: Self.byLengthHeader)
    guard let reference = records.first.flatMap({ predictions[$0.unit] }) else { return table }
    for record in records {
      guard let p = predictions[record.unit], p.lengths == reference.lengths, p.labels == reference.labels else {
        throw TSVError(path: record.unit.name + ".predictions.tsv", problem: "holds other test reviews than \(records[0].unit.name); the units must share one test set")
      }
    }
    let lengthBuckets = LengthBuckets(lengths: reference.lengths, count: buckets)
    let bucketOf = reference.lengths.map(lengthBuckets.bucket(of:))
    for (key, group) in groups {
      for bucket in lengthBuckets.upperEdges.indices {
        let members = bucketOf.indices.filter { bucketOf[$0] == bucket }
        let accuracies = group.compactMap { predictions[$0.unit] }.map { p -> Double in
          let correct = p.correct
          return Double(members.filter { correct[$0] }.count) / Double(members.count)
        }
        let interval = MeanInterval(accuracies)
        let sampling = WilsonInterval(successes: Int((interval.mean * Double(members.count)).rounded()), trials: members.count)
        let truncated = Double(members.filter { reference.lengths[$0] > key.length }.count) / Double(members.count)
        let range = lengthBuckets.range(bucket)
        let names: [String] = [key.model.rawValue, String(key.length), key.padding.rawValue, String(bucket + 1), String(range.low), String(range.high), String(members.count)]
        let numbers: [Double] = [interval.mean, interval.low, interval.high, sampling.low, sampling.high]
        table.append(names + [tsvNumber(truncated), String(group.count)] + numbers.map(tsvNumber))
      }
    }
    return table
  }

  /// Writes the five tables into `folder`, each atomically.
  /// Refuses to write tables of no unit, so tables of results are never replaced by empty ones.
  public func write(to folder: URL) throws {
    guard !records.isEmpty else {
      throw TrainingError.invalidConfiguration("no unit of this comparison has finished in \(unitsFolder.path); nothing to write (the flags must be those the units were trained with)")
    }
    try OutputFolder.checkWritable(folder)
    _ = try OutputFolder.createMissing(folder)
    try runsTable.write(to: folder.appendingPathComponent("compare_runs.tsv"))
    try overallTable.write(to: folder.appendingPathComponent("compare_overall.tsv"))
    try byLengthTable().write(to: folder.appendingPathComponent("compare_by_length.tsv"))
    try gradients.write(to: folder.appendingPathComponent("compare_gradients.tsv"))
    try spectra.write(to: folder.appendingPathComponent("compare_spectra.tsv"))
  }
}

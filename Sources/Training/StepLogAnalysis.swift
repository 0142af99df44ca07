import Foundation
import Storage

/// Reads a run's `steps.tsv` (see `StepLog`) and condenses it into the tables that diagnose a
/// loss spike: medians and maxima per epoch, every step in a window around the spike's onset
/// (the first step with a loss above 100 times the median of the epoch of steps before it),
/// and one row comparing the onset with the quiet steps before it.
///
/// Each spike row answers two questions with numbers:
/// - Did the gradient explode? Then ||g|| per unit of loss (`grad_per_loss`) jumps at the
///   spike: the same loss sends a much larger gradient back. If it stays near its quiet
///   value, the large gradient is only the large loss of a batch the model now gets wrong.
/// - Did Adam's step grow? Then the update relative to the weights (`update_ratio_recurrent`,
///   for W_h) is large before the spike although ||g|| is tiny: `adam_gain_recurrent`, the
///   update over a plain SGD step with the same learning rate, shows by how much.
public struct StepLogAnalysis {
  public static let epochHeader = [
    "epoch", "loss_median", "loss_max", "grad_norm_median", "grad_norm_max", "grad_per_loss_median",
    "update_ratio_recurrent_median", "update_ratio_recurrent_max", "adam_v_rms_recurrent_median", "adam_gain_recurrent_median",
  ]
  public static let windowHeader = ["global_step"] + StepLog.header + ["grad_per_loss"]
  public static let spikeHeader = [
    "cell", "epoch", "step", "global_step", "loss_before", "loss_at", "grad_norm_before", "grad_norm_at", "grad_per_loss_before",
    "grad_per_loss_at", "update_ratio_recurrent_before", "update_ratio_recurrent_last20_max", "update_ratio_recurrent_at",
    "update_ratio_recurrent_next10_max", "adam_gain_recurrent_before", "adam_v_rms_recurrent_before", "adam_v_rms_recurrent_at",
    "loss_next10_max",
  ]

  /// One logged step.
  struct Row {
    var values: [String: Double]
    var fields: [String]
    subscript(_ name: String) -> Double { values[name] ?? .nan }
  }
  let rows: [Row]
  let stepsPerEpoch: Int

  public init(steps table: TSVTable, path: String) throws {
    guard table.header == StepLog.header else {
      throw TSVError(path: path, problem: "is not a steps.tsv of gradlab train --log-steps (header \(TSVTable.excerpt(table.header)))")
    }
    let parsed = table.rows.map { fields in
      Row(values: Dictionary(uniqueKeysWithValues: zip(StepLog.header, fields.map { Double($0) ?? .nan })), fields: fields)
    }
    guard let first = parsed.first else { throw TSVError(path: path, problem: "has no steps") }
    // Rows in training order, each step once, losses finite and >= 0: anything else would
    // move the onset silently.
    for (i, row) in parsed.enumerated() {
      let line = i + 2
      guard let epoch = Int(row.fields[0]), let step = Int(row.fields[1]), epoch >= 1, step >= 1 else {
        throw TSVError(path: path, problem: "line \(line) has no whole epoch and step ≥ 1: \(TSVTable.excerpt(Array(row.fields.prefix(2))))")
      }
      guard row["loss"].isFinite, row["loss"] >= 0 else {
        throw TSVError(path: path, problem: "line \(line) (epoch \(epoch), step \(step)) has the loss \(row.fields[2]); a logged loss is finite and ≥ 0")
      }
      if i > 0 {
        let (e0, s0) = (Int(parsed[i - 1]["epoch"]), Int(parsed[i - 1]["step"]))
        guard epoch > e0 || (epoch == e0 && step > s0) else {
          throw TSVError(path: path, problem: "line \(line) (epoch \(epoch), step \(step)) does not come after line \(line - 1) (epoch \(e0), step \(s0)); rows must be in training order, each step once")
        }
      }
    }
    rows = parsed
    stepsPerEpoch = parsed.filter { $0["epoch"] == first["epoch"] }.count
  }

  static func median(_ values: [Double]) -> Double {
    let v = values.filter { !$0.isNaN }.sorted()
    return v.isEmpty ? .nan : v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
  }

  static func gradientPerLoss(_ r: Row) -> Double { r["grad_norm"] / r["loss"] }

  /// Medians and maxima of every epoch.
  public var epochs: TSVTable {
    var table = TSVTable(header: Self.epochHeader)
    var byEpoch: [Int: [Row]] = [:]
    for r in rows { byEpoch[Int(r["epoch"]), default: []].append(r) }
    for epoch in byEpoch.keys.sorted() {
      let e = byEpoch[epoch] ?? []
      let column = { (name: String) in e.map { $0[name] } }
      table.append(
        [String(epoch)]
          + [
            Self.median(column("loss")), column("loss").max() ?? .nan, Self.median(column("grad_norm")), column("grad_norm").max() ?? .nan,
            Self.median(e.map(Self.gradientPerLoss)), Self.median(column("update_ratio_recurrent")),
            column("update_ratio_recurrent").max() ?? .nan, Self.median(column("adam_v_rms_recurrent")),
            Self.median(column("adam_gain_recurrent")),
          ].map(tsvNumber))
    }
    return table
  }

  /// How many times the median loss of the epoch of steps before it a step's loss must be
  /// to start a spike.
  public static let onsetFactor = 100.0

  /// The index (into `rows`) of the spike's onset in `epoch`: the first step whose loss is
  /// above `onsetFactor` × the median loss of the `stepsPerEpoch` steps before it, or, if
  /// none is, the step with the largest loss.
  func spikeIndex(epoch: Int) -> Int? {
    onset(epoch: epoch) ?? rows.indices.filter { Int(rows[$0]["epoch"]) == epoch }.max { rows[$0]["loss"] < rows[$1]["loss"] }
  }

  /// The first step of `epoch` above `onsetFactor` × the median loss before it; nil when no
  /// step of the epoch is (then there is no spike, and `spike` describes the largest loss).
  public func onset(epoch: Int) -> Int? {
    rows.indices.filter { Int(rows[$0]["epoch"]) == epoch }.first { i in
      let quiet = rows[max(0, i - stepsPerEpoch)..<i].map { $0["loss"] }
      return !quiet.isEmpty && rows[i]["loss"] > Self.onsetFactor * Self.median(quiet)
    }
  }

  /// Every step from `before` steps before the spike's onset in `epoch` to `after` after it.
  public func window(epoch: Int, before: Int, after: Int) -> TSVTable {
    var table = TSVTable(header: Self.windowHeader)
    guard let spike = spikeIndex(epoch: epoch) else { return table }
    for i in max(0, spike - before)...min(rows.count - 1, spike + after) {
      table.append([String(i + 1)] + rows[i].fields + [tsvNumber(Self.gradientPerLoss(rows[i]))])
    }
    return table
  }

  /// The spike's onset in `epoch` against the epoch of steps before it (the last 20 left out).
  public func spike(epoch: Int, cell: String) -> [String]? {
    guard let s = spikeIndex(epoch: epoch) else { return nil }
    let quiet = Array(rows[max(0, s - stepsPerEpoch - 20)..<max(0, s - 20)])
    let last20 = Array(rows[max(0, s - 20)..<s])
    let next10 = Array(rows[(s + 1)..<min(rows.count, s + 11)])
    let at = rows[s]
    func med(_ name: String) -> Double { Self.median(quiet.map { $0[name] }) }
    func largest(_ rows: [Row], _ name: String) -> Double { rows.map { $0[name] }.max() ?? .nan }
    let numbers: [Double] = [
      med("loss"), at["loss"], med("grad_norm"), at["grad_norm"], Self.median(quiet.map(Self.gradientPerLoss)), Self.gradientPerLoss(at),
      med("update_ratio_recurrent"), largest(last20, "update_ratio_recurrent"), at["update_ratio_recurrent"],
      largest(next10, "update_ratio_recurrent"), med("adam_gain_recurrent"), med("adam_v_rms_recurrent"), at["adam_v_rms_recurrent"],
      largest(next10, "loss"),
    ]
    let position: [String] = [cell, String(Int(at["epoch"])), String(Int(at["step"])), String(s + 1)]
    return position + numbers.map(tsvNumber)
  }
}

import Foundation
import Linalg
import Recurrent
import Storage

/// The tables of a task experiment; every row starts with the run's full settings
/// (`TaskTables.settingsHeader`), so a table read alone says what each number belongs to.
///
/// - `runs.tsv`: one row per run: solved or not, when, the final and best test loss, whether
///   it blew up, the largest loss and gradient norm, the median marker ratio
///   ||dL/dh_p|| / ||dL/dh_T|| before training and at the end;
/// - `curves.tsv`: one row per evaluation: train and test loss, test accuracy, gradient norms;
/// - `steps.tsv` (when logged): one row per step: loss and gradient norm before clipping;
/// - `gradients.tsv` (the profiled seed): ||dL/dh_t|| over t before training and at the end;
/// - `summary.tsv`: one row per setting (over seeds): runs, solved, fraction solved, blown up,
///   medians of the solving step and the final test loss;
/// - `timings.tsv`: the wall-clock seconds since the run's start at each evaluation
///   (`at` = evaluation) and at its end (`at` = end, `step` = the steps run). The only table
///   that depends on the machine and its load: the others are the same, byte for byte,
///   however the runs are spread over processes or machines.
public struct TaskTables: Sendable, Equatable {
  public static let settingsHeader = [
    "task", "cell", "length", "hidden", "batch", "optimizer", "learning_rate", "momentum", "sigma", "clip_norm", "budget_steps",
    "success_loss", "seed",
  ]
  public static let runsHeader = settingsHeader + [
    "solved", "solved_step", "steps_run", "final_test_loss", "best_test_loss", "diverged_step", "blew_up", "first_train_loss",
    "max_train_loss", "max_grad_norm", "marker_ratio_start", "marker_ratio_end",
  ]
  public static let curvesHeader = settingsHeader + [
    "step", "train_loss", "test_loss", "test_acc", "grad_norm_median", "grad_norm_max", "marker_ratio",
  ]
  public static let stepsHeader = settingsHeader + ["step", "loss", "grad_norm"]
  public static let gradientsHeader = settingsHeader + ["step", "t", "lag", "grad_norm"]
  public static let summaryHeader = Array(settingsHeader.dropLast()) + [
    "runs", "solved", "fraction_solved", "blew_up", "median_solved_step", "median_final_test_loss",
  ]
  public static let timingsHeader = settingsHeader + ["at", "step", "seconds"]

  public var runs = TSVTable(header: runsHeader)
  public var curves = TSVTable(header: curvesHeader)
  public var steps = TSVTable(header: stepsHeader)
  public var gradients = TSVTable(header: gradientsHeader)
  public var timings = TSVTable(header: timingsHeader)

  static var files: [(name: String, path: WritableKeyPath<TaskTables, TSVTable>)] {
    [
      ("curves.tsv", \.curves), ("steps.tsv", \.steps), ("gradients.tsv", \.gradients), ("timings.tsv", \.timings), ("runs.tsv", \.runs),
    ]
  }

  /// The settings columns of a run.
  public static func settings(_ c: TaskConfiguration) -> [String] {
    [
      c.task.rawValue, c.cell.rawValue, String(c.length), String(c.hiddenSize), String(c.batchSize), c.optimizer.rawValue,
      tsvNumber(c.learningRate), tsvNumber(c.momentum), c.recurrentSpectralNorm.map(tsvNumber) ?? "1",
      c.clipNorm.map(tsvNumber) ?? "none", String(c.steps), tsvNumber(c.successLoss), String(c.seed),
    ]
  }

  /// Reads the tables of an earlier start; rows of runs missing from `runs.tsv` are dropped.
  static func read(from folder: URL) throws -> TaskTables {
    var tables = TaskTables()
    for (name, path) in files {
      let url = folder.appendingPathComponent(name)
      guard FileManager.default.fileExists(atPath: url.path) else { continue }
      let table = try TSVTable.read(from: url)
      guard table.header == tables[keyPath: path].header else {
        throw TSVError(path: url.path, problem: "has another header than a task experiment writes: move it away or choose another --output")
      }
      tables[keyPath: path] = table
    }
    let done = Set(tables.runs.rows.map { Array($0.prefix(settingsHeader.count)) })
    for (_, path) in files where path != \.runs {
      tables[keyPath: path].rows.removeAll { !done.contains(Array($0.prefix(settingsHeader.count))) }
    }
    return tables
  }

  mutating func add(_ r: TaskResult, blowUpFactor: Double, keepProfiles: Bool) {
    let c = r.configuration
    let key = Self.settings(c)
    let limit = blowUpFactor * max(c.task.baselineLoss, r.firstTrainLoss.isFinite ? r.firstTrainLoss : 0)
    let blewUp = r.divergedStep != nil || !(r.maxTrainLoss <= limit)
    runs.append(
      key + [
        r.solvedStep == nil ? "0" : "1", r.solvedStep.map(String.init) ?? "NaN", String(r.stepsRun), tsvNumber(r.finalTestLoss),
        tsvNumber(r.bestTestLoss), r.divergedStep.map(String.init) ?? "NaN", blewUp ? "1" : "0", tsvNumber(r.firstTrainLoss),
        tsvNumber(r.maxTrainLoss), tsvNumber(r.maxGradientNorm), tsvNumber(r.profiles.first?.markerRatio ?? .nan),
        tsvNumber(r.profiles.count > 1 ? r.profiles[r.profiles.count - 1].markerRatio : .nan),
      ])
    for e in r.evaluations {
      curves.append(key + [String(e.step)] + [e.trainLoss, e.testLoss, e.testAccuracy, e.gradientNormMedian, e.gradientNormMax, e.markerRatio].map(tsvNumber))
      timings.append(key + ["evaluation", String(e.step), tsvNumber(e.seconds)])
    }
    timings.append(key + ["end", String(r.stepsRun), tsvNumber(r.seconds)])
    for s in r.steps { steps.append(key + [String(s.step), tsvNumber(s.loss), tsvNumber(s.gradientNorm)]) }
    for p in r.profiles where keepProfiles {
      let T = p.norms.count - 1
      for (t, norm) in p.norms.enumerated() { gradients.append(key + [String(p.step), String(t), String(T - t), tsvNumber(norm)]) }
    }
  }

  /// Appends the rows of `other`'s tables (the runs of another job).
  mutating func merge(_ other: TaskTables) {
    for (_, path) in Self.files { self[keyPath: path].rows += other[keyPath: path].rows }
  }

  /// Every table in the order of the experiment's runs (workers finish in any order).
  mutating func sort(by order: [[String]]) {
    let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    for (_, path) in Self.files {
      // Stable: rows of one run keep their order.
      self[keyPath: path].rows = self[keyPath: path].rows.enumerated().sorted { a, b in
        let (ra, rb) = (rank[Array(a.element.prefix(Self.settingsHeader.count))] ?? .max, rank[Array(b.element.prefix(Self.settingsHeader.count))] ?? .max)
        return ra != rb ? ra < rb : a.offset < b.offset
      }.map(\.element)
    }
  }

  /// One row per setting, over its seeds.
  public var summary: TSVTable {
    var table = TSVTable(header: Self.summaryHeader)
    let n = Self.settingsHeader.count
    var groups: [[String]: [[String]]] = [:]
    var order: [[String]] = []
    for row in runs.rows {
      let key = Array(row.prefix(n - 1))
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(row)
    }
    func column(_ rows: [[String]], _ name: String) -> [Double] {
      guard let i = Self.runsHeader.firstIndex(of: name) else { return [] }
      return rows.compactMap { Double($0[i]) }
    }
    func median(_ values: [Double]) -> Double {
      let v = values.filter { !$0.isNaN }.sorted()
      return v.isEmpty ? .nan : v.count % 2 == 1 ? v[v.count / 2] : (v[v.count / 2 - 1] + v[v.count / 2]) / 2
    }
    for key in order {
      let rows = groups[key] ?? []
      let solved = column(rows, "solved").reduce(0, +)
      table.append(
        key + [String(rows.count), String(Int(solved)), tsvNumber(solved / Double(rows.count)), String(Int(column(rows, "blew_up").reduce(0, +)))]
          + [median(column(rows, "solved_step")), median(column(rows, "final_test_loss"))].map(tsvNumber))
    }
    return table
  }
}

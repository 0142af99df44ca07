import Foundation
import Linalg
import Recurrent
import Storage

/// A list of task runs (a sweep over lengths, cells and seeds, or the clipping comparison)
/// run on several threads, one run per thread, into one output folder of tidy tables that
/// describe every run by its full settings (see `TaskTables`). Resumable: runs already in
/// `runs.tsv` are skipped; the other tables are rewritten before `runs.tsv`, so a stop
/// between the writes leaves rows that the next start drops.
public struct TaskExperiment: Sendable {
  /// What the experiment is, for the config file and the figures' titles.
  public var name: String
  public var runs: [TaskConfiguration]
  /// Which runs keep one row per optimiser step (`steps.tsv`).
  public var logsSteps: @Sendable (TaskConfiguration) -> Bool = { _ in false }
  /// Write the ||dL/dh_t|| profiles (`gradients.tsv`), before training and where the run
  /// stops, of the runs with this seed. Every run measures them, and the marker ratio at
  /// every evaluation, for `runs.tsv` and `curves.tsv`.
  public var profileSeed: UInt64? = nil
  /// A run blows up when its training loss is non-finite or exceeds this many times the
  /// larger of the baseline and its first step's loss.
  public var blowUpFactor = 10.0
  public var threads = 2
  /// The command that reproduces the experiment, stored in `config.json`.
  public var command = ""
  /// Hears every evaluation of every run (a single run's progress line).
  public var onEvaluation: @Sendable (TaskConfiguration, TaskEvaluation) -> Void = { _, _ in }
  /// Write the weights to `checkpoint.safetensors` at every evaluation (one-run experiments).
  public var writesCheckpoints = false

  public init(name: String, runs: [TaskConfiguration]) {
    self.name = name
    self.runs = runs
  }

  public func validate() throws {
    guard !runs.isEmpty else { throw TaskError.invalidConfiguration("the experiment has no runs") }
    guard threads >= 1 && threads <= 64 else { throw TaskError.invalidConfiguration("--threads must be in 1...64, got \(threads)") }
    guard !writesCheckpoints || runs.count == 1 else { throw TaskError.invalidConfiguration("checkpoints are written for one-run experiments only") }
    for run in runs { try run.validate() }
    let keys = runs.map(TaskTables.settings)
    if let twice = keys.indices.first(where: { i in keys[..<i].contains(keys[i]) }) {
      throw TaskError.invalidConfiguration("run \(twice + 1) repeats an earlier run (\(Self.describe(runs[twice]))); each run once")
    }
  }

  /// The folder of run `index` when the runs are spread over jobs (`runUnit`).
  public static func unitFolder(_ index: Int, in output: URL) -> URL {
    output.appendingPathComponent("units").appendingPathComponent(String(format: "%04d", index))
  }

  /// Runs run `index` alone into `unitFolder(index, in: output)`, for one job of a sweep
  /// spread over processes or machines; `gather` then writes the tables.
  public func runUnit(_ index: Int, output: URL, log: @escaping @Sendable (String) -> Void) throws {
    try validate()
    guard runs.indices.contains(index) else {
      throw TaskError.invalidConfiguration("--unit must be in 0...\(runs.count - 1) (this experiment has \(runs.count) runs; --list-units lists them), got \(index)")
    }
    try OutputFolderLock.checkFree(output)
    // Jobs start together: the shared parent folders are made once, not checked and removed.
    _ = try OutputFolder.createMissing(Self.unitFolder(index, in: output).deletingLastPathComponent())
    var one = self
    one.runs = [runs[index]]
    one.threads = 1
    _ = try one.run(output: Self.unitFolder(index, in: output), log: log)
  }

  /// Gathers the runs that jobs (`runUnit`) finished into `output`'s tables and config.json;
  /// a unit folder holding another run than this experiment's at its index is refused.
  public func gather(output: URL, log: @escaping @Sendable (String) -> Void) throws -> TaskTables {
    try validate()
    let units = output.appendingPathComponent("units")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: units.path)) ?? []
    guard !names.isEmpty else {
      throw TaskError.invalidConfiguration("\(units.path) holds no runs of --unit jobs; run them first (--list-units lists them)")
    }
    let lock = try OutputFolderLock(output)
    defer { lock.release() }
    let planned = Set(runs.indices.map { Self.unitFolder($0, in: output).lastPathComponent })
    if let stray = names.sorted().first(where: { !planned.contains($0) && !$0.hasPrefix(".") }) {
      throw TaskError.invalidConfiguration("\(units.appendingPathComponent(stray).path) is no run of this experiment (it has \(runs.count) runs); use the flags of the jobs, or another --output")
    }
    var tables = TaskTables()
    var found = 0
    for (index, run) in runs.enumerated() {
      let folder = Self.unitFolder(index, in: output)
      guard FileManager.default.fileExists(atPath: folder.appendingPathComponent("runs.tsv").path) else { continue }
      let unit = try TaskTables.read(from: folder)
      guard unit.runs.rows.map({ Array($0.prefix(TaskTables.settingsHeader.count)) }) == [TaskTables.settings(run)] else {
        throw TaskError.invalidConfiguration("\(folder.path) holds another run than run \(index) of these flags (\(Self.describe(run))); use the flags of the jobs, or another --output")
      }
      tables.merge(unit)
      found += 1
    }
    guard found > 0 else { throw TaskError.invalidConfiguration("no run of these flags has finished in \(units.path)") }
    tables.sort(by: runs.map(TaskTables.settings))
    let store = TaskTableStore(tables: tables, output: output, experiment: self)
    try store.writeTables()
    try store.writeConfig(wallSeconds: nil)
    log("\(name): \(found) of \(runs.count) runs gathered from \(units.path)")
    return tables
  }

  /// Runs what is missing from `output` and rewrites every table; `log` hears one line per run.
  public func run(output: URL, log: @escaping @Sendable (String) -> Void) throws -> TaskTables {
    try validate()
    try OutputFolder.checkWritable(output)
    // One experiment at a time per folder, and only the experiment its config.json describes.
    let lock = try OutputFolderLock(output)
    defer { lock.release() }
    try checkConfig(in: output)
    let store = TaskTableStore(tables: try TaskTables.read(from: output), output: output, experiment: self)
    let pending = runs.filter { !store.contains($0) }
    log("\(name): \(runs.count - pending.count) of \(runs.count) runs already done in \(output.path); \(pending.count) to run on \(min(threads, max(pending.count, 1))) threads")
    try store.writeConfig(wallSeconds: nil)
    BLASRuntime.setThreads(1)
    let queue = WorkQueue(pending)
    let failure = ErrorBox()
    let start = Date()
    parallelFor(chunks: min(threads, max(pending.count, 1)), flushDenormals: true) { _ in
      while failure.error == nil, let configuration = queue.next() {
        do {
          var run = TaskRun(configuration: configuration)
          run.logSteps = logsSteps(configuration)
          run.profileSteps = [0]
          run.probesEvaluations = true
          let result = try run.run { evaluation, model in
            onEvaluation(configuration, evaluation)
            if writesCheckpoints {
              try model.writeCheckpoint(to: output.appendingPathComponent("checkpoint.safetensors"), step: evaluation.step, configuration: configuration)
            }
          }
          let (done, total) = try store.add(result)
          log(Self.describe(result) + " [\(done)/\(total)]")
        } catch {
          failure.set(error)
        }
      }
    }
    if let error = failure.error { throw error }
    try store.writeConfig(wallSeconds: Date().timeIntervalSince(start))
    return store.snapshot()
  }

  /// Refuses a folder whose config.json describes other runs: their tables would be mixed.
  func checkConfig(in output: URL) throws {
    struct Described: Decodable { var configurations: [TaskConfiguration] }
    let url = output.appendingPathComponent("config.json")
    guard FileManager.default.fileExists(atPath: url.path) else { return }
    let described: Described
    do {
      described = try JSONDecoder.tolerant.decode(Described.self, from: FileContents.read(url))
    } catch {
      throw TaskError.invalidConfiguration("\(url.path) is no task experiment's config.json (\(FileSystemError.explain(error))); move it away or choose another --output")
    }
    guard described.configurations == runs else {
      let other = described.configurations.count == runs.count ? "other settings" : "\(described.configurations.count) runs, not \(runs.count)"
      throw TaskError.invalidConfiguration("\(output.path) holds an experiment with other flags (\(other), config.json there holds its command); use those flags, or another --output")
    }
  }

  static func describe(_ c: TaskConfiguration) -> String {
    "\(c.task.rawValue) \(c.cell.rawValue) T \(c.length) seed \(c.seed)"
  }

  static func describe(_ r: TaskResult) -> String {
    let c = r.configuration
    let outcome =
      if let step = r.divergedStep { "diverged at step \(step)" } else if let step = r.solvedStep { "solved at step \(step)" } else { "not solved in \(c.steps) steps" }
    let sigma = c.recurrentSpectralNorm.map { " sigma \($0)" } ?? ""
    let clip = c.clipNorm.map { " clip \($0)" } ?? ""
    return String(format: "%@ %@ T %d%@%@ seed %llu: %@, test loss %.4g, %.1f s", c.task.rawValue, c.cell.rawValue, c.length, sigma, clip, c.seed, outcome, r.finalTestLoss, r.seconds)
  }
}

/// Hands out the runs one at a time to the worker threads.
final class WorkQueue: @unchecked Sendable {
  private var items: [TaskConfiguration]
  private var nextIndex = 0
  private let lock = NSLock()
  init(_ items: [TaskConfiguration]) { self.items = items }
  func next() -> TaskConfiguration? {
    lock.lock()
    defer { lock.unlock() }
    guard nextIndex < items.count else { return nil }
    nextIndex += 1
    return items[nextIndex - 1]
  }
}

/// The first error any worker hit.
final class ErrorBox: @unchecked Sendable {
  private var stored: Error?
  private let lock = NSLock()
  var error: Error? {
    lock.lock()
    defer { lock.unlock() }
    return stored
  }
  func set(_ error: Error) {
    lock.lock()
    defer { lock.unlock() }
    if stored == nil { stored = error }
  }
}

/// The tables of a running experiment, shared by the worker threads; every change is
/// written to disk at once (atomically, file by file).
final class TaskTableStore: @unchecked Sendable {
  private var tables: TaskTables
  private let output: URL
  private let experiment: TaskExperiment
  private let order: [[String]]
  private let lock = NSLock()

  init(tables: TaskTables, output: URL, experiment: TaskExperiment) {
    self.tables = tables
    self.output = output
    self.experiment = experiment
    order = experiment.runs.map(TaskTables.settings)
  }

  func contains(_ c: TaskConfiguration) -> Bool {
    let key = TaskTables.settings(c)
    return tables.runs.rows.contains { Array($0.prefix(TaskTables.settingsHeader.count)) == key }
  }

  func snapshot() -> TaskTables {
    lock.lock()
    defer { lock.unlock() }
    return tables
  }

  /// Adds a finished run, writes every table; returns (runs done, runs planned).
  func add(_ result: TaskResult) throws -> (Int, Int) {
    lock.lock()
    defer { lock.unlock() }
    tables.add(result, blowUpFactor: experiment.blowUpFactor, keepProfiles: result.configuration.seed == experiment.profileSeed)
    tables.sort(by: order)
    try writeTables()
    return (tables.runs.rows.count, experiment.runs.count)
  }

  /// Writes every table (runs.tsv last), each atomically; call holding `lock` or alone.
  func writeTables() throws {
    for (name, path) in TaskTables.files where path != \.steps || !tables.steps.rows.isEmpty {
      try tables[keyPath: path].write(to: output.appendingPathComponent(name))
    }
    try tables.summary.write(to: output.appendingPathComponent("summary.tsv"))
  }

  /// config.json: the command, the experiment's settings and, when finished, its wall time.
  func writeConfig(wallSeconds: Double?) throws {
    struct Description: Codable {
      var name: String
      var command: String
      var runs: Int
      var threads: Int
      var blasCore: String
      var blowUpFactor: Double
      var wallSeconds: Double?
      var note: String
      var configurations: [TaskConfiguration]
    }
    let description = Description(
      name: experiment.name, command: experiment.command, runs: experiment.runs.count, threads: experiment.threads,
      blasCore: BLASRuntime.coreName, blowUpFactor: experiment.blowUpFactor, wallSeconds: wallSeconds,
      note: "A run is solved when its test loss falls below success_loss (the task's baseline loss times the success fraction) within budget_steps; it blows up when a training loss is non-finite or above blowUpFactor times the larger of the baseline and its first step's loss. Seconds are wall-clock on a shared machine, one run per thread.",
      configurations: experiment.runs)
    try AtomicFile.write(JSONEncoder.pretty.encode(description), to: output.appendingPathComponent("config.json"))
  }
}

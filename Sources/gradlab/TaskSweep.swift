import ArgumentParser
import Foundation
import Recurrent
import Storage
import Tasks

/// `gradlab task-sweep`: which cells learn a long-lag task at which length, over seeds.
struct TaskSweepCommand: TaskExperimentCommand {
  static let configuration = CommandConfiguration(
    commandName: "task-sweep",
    abstract: "Train every cell at every length with several seeds on a long-lag task; tables of who solves what.",
    discussion: """
      Default: adding problem, cells rnn lstm gru, T = 10 20 50 100 200 400, seeds 1-5, H 32, \
      B 32, Adam 1e-2, at most 4000 steps; solved means a test loss below 10% of the baseline \
      (MSE 1/6 for adding, BCE log 2 for first, softmax cross-entropy log 8 per recall step for selective-copy). --quick: T = 10 20 50 100, seeds 1-3, 2000 \
      steps. Resumable: runs already in the output's runs.tsv are skipped. Spread over \
      processes or machines: --list-units prints the runs with their indices, --unit N runs run \
      N alone into <output>/units/N (one job of GNU parallel or a Slurm array), and \
      --tables-only with the same flags then gathers the tables.
      """)

  @Option(help: "The task: adding, first or selective-copy.") var task: LongLagTask = .adding
  @Flag(help: "The one-minute version: T = 10 20 50 100, seeds 1-3, 2000 steps.") var quick = false
  @Option(parsing: .upToNextOption, help: "Cells (space-separated): rnn, lstm, gru, linear, irnn, chrono, lru, mingru.") var cells: [TaskCell] = []
  @Option(parsing: .upToNextOption, help: "Lengths T (space-separated).") var lengths: [Int] = []
  @Option(parsing: .upToNextOption, help: "Seeds (space-separated).") var seeds: [UInt64] = []
  @OptionGroup var training: TaskTrainingOptions
  @Option(help: "Runs at once, one per thread.") var threads = 2
  @Option(help: "Output folder.") var output = "runs/task-sweep"
  @Flag(help: "Print the runs (index, settings), one a line, and stop.") var listUnits = false
  @Option(help: "Run only the run with this index (see --list-units) into <output>/units/<index>.") var unit: Int?
  @Flag(help: "Only gather the tables from the runs of --unit jobs.") var tablesOnly = false

  func plannedExperiment() throws -> TaskExperiment {
    try distinct(cells.map(\.rawValue), "--cells")
    try distinct(lengths.map(String.init), "--lengths")
    try distinct(seeds.map(String.init), "--seeds")
    let modes = [(listUnits, "--list-units"), (unit != nil, "--unit"), (tablesOnly, "--tables-only")].filter(\.0).map(\.1)
    if modes.count > 1 { throw ValidationError("\(modes.joined(separator: " and ")) exclude each other: give one of them") }
    var plan = quick ? LengthSweepPlan.quick(task: task) : LengthSweepPlan.standard(task: task)
    plan.base = training.apply(to: plan.base)
    if !cells.isEmpty { plan.cells = cells }
    if !lengths.isEmpty { plan.lengths = lengths }
    if !seeds.isEmpty { plan.seeds = seeds }
    var experiment = TaskExperiment(name: "\(task.rawValue) task against length", runs: plan.runs)
    experiment.profileSeed = plan.seeds.first
    experiment.threads = threads
    if let unit, !experiment.runs.indices.contains(unit) {
      throw ValidationError("--unit must be in 0...\(experiment.runs.count - 1) (see --list-units), got \(unit)")
    }
    return experiment
  }

  func run() throws {
    let experiment = try makeExperiment()
    let folder = URL(fileURLWithPath: output)
    let console = Console()
    if listUnits {
      for (index, c) in experiment.runs.enumerated() { print("\(index)\t\(c.task.rawValue) \(c.cell.rawValue) T \(c.length) seed \(c.seed)") }
    } else if let unit {
      try experiment.runUnit(unit, output: folder, log: { console.line($0) })
      console.line("run \(unit) is in \(TaskExperiment.unitFolder(unit, in: folder).path); when every job is done, gather the tables with the same flags and --tables-only")
    } else if tablesOnly {
      let tables = try experiment.gather(output: folder, log: { console.line($0) })
      print(tables.summary.text, terminator: "")
    } else {
      try runTaskExperiment(experiment, output: output)
    }
  }
}

/// Refuses a list flag that names one value twice (the run would be counted twice).
func distinct(_ values: [String], _ flag: String) throws {
  if let twice = values.indices.first(where: { values[..<$0].contains(values[$0]) }) {
    throw ValidationError("\(flag) lists \(values[twice]) twice; give each value once")
  }
}

/// `gradlab clipping`: plain SGD on a tanh RNN started where gradients explode, with and
/// without clipping.
struct ClippingCommand: TaskExperimentCommand {
  static let configuration = CommandConfiguration(
    commandName: "clipping",
    abstract: "Plain SGD on a tanh RNN started at sigma > 1 (adding problem), with and without gradient clipping.",
    discussion: """
      Default: T 50, H 32, B 32, plain SGD at learning rates 0.01 0.02 0.05 0.1, 1000 steps, \
      sigma 1.5 2 3, clip norm none and 10, seeds 1-5; the runs at learning rate 0.05 log every \
      step (steps.tsv). A run blows up when a training loss is non-finite or above 10 x the \
      larger of the baseline 1/6 and its first step's loss. --quick: learning rate 0.05, \
      300 steps, seeds 1-3.
      """)

  @Flag(help: "The one-minute version: learning rate 0.05, 300 steps, seeds 1 2 3.") var quick = false
  @Option(parsing: .upToNextOption, help: "Learning rates (space-separated).") var learningRates: [Double] = []
  @Option(parsing: .upToNextOption, help: "Spectral norms sigma of W_h at initialisation (space-separated).") var sigmas: [Double] = []
  @Option(help: "The clipping threshold compared with no clipping.") var clipAt: Double?
  @Option(parsing: .upToNextOption, help: "Seeds (space-separated).") var seeds: [UInt64] = []
  @Option(help: "Sequence length T.") var length: Int?
  @Option(help: "Cell (the comparison is about the tanh RNN).") var cell: TaskCell = .rnn
  @OptionGroup var training: TaskTrainingOptions
  @Option(help: "Runs at once, one per thread.") var threads = 2
  @Option(help: "Output folder.") var output = "runs/clipping"

  func plannedExperiment() throws -> TaskExperiment {
    try distinct(learningRates.map(tsvNumber), "--learning-rates")
    try distinct(sigmas.map(tsvNumber), "--sigmas")
    try distinct(seeds.map(String.init), "--seeds")
    // Checked here, so the messages name this command's own flags.
    if let bad = learningRates.first(where: { !($0 > 0 && $0.isFinite) }) { throw ValidationError("--learning-rates must be positive and finite, got \(bad)") }
    if let bad = sigmas.first(where: { !($0 > 0 && $0.isFinite && $0 <= 1000) }) { throw ValidationError("--sigmas must be in (0, 1000], got \(bad)") }
    if let clipAt, !(clipAt > 0 && clipAt.isFinite) { throw ValidationError("--clip-at must be positive and finite, got \(clipAt)") }
    var plan = quick ? ClippingPlan.quick() : ClippingPlan.standard()
    if training.learningRate != nil { throw ValidationError("--learning-rate does not apply here: use --learning-rates") }
    if training.clipNorm != nil { throw ValidationError("--clip-norm does not apply here: use --clip-at for the clipped runs") }
    if training.sigma != nil { throw ValidationError("--sigma does not apply here: use --sigmas") }
    plan.base = training.apply(to: plan.base)
    plan.base.cell = cell
    if let length { plan.base.length = length }
    if !sigmas.isEmpty { plan.sigmas = sigmas }
    if let clipAt { plan.clipNorms = [nil, clipAt] }
    if !seeds.isEmpty { plan.seeds = seeds }
    if !learningRates.isEmpty {
      plan.learningRates = learningRates
      if !learningRates.contains(plan.stepLogLearningRate) { plan.stepLogLearningRate = learningRates[0] }
    }
    let cellName = plan.base.cell == .rnn ? "tanh RNN" : plan.base.cell.rawValue.uppercased()
    let optimizerName = plan.base.optimizer == .adam ? "Adam" : plan.base.momentum > 0 ? "SGD with momentum \(plan.base.momentum)" : "SGD"
    var experiment = TaskExperiment(name: "clipping: \(cellName) from sigma > 1, \(optimizerName)", runs: plan.runs)
    let logged = plan.stepLogLearningRate
    experiment.logsSteps = { $0.learningRate == logged }
    experiment.threads = threads
    return experiment
  }
}

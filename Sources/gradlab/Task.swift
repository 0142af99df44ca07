import ArgumentParser
import Foundation
import Recurrent
import Tasks

extension LongLagTask: ExpressibleByArgument {}
extension OptimizerKind: ExpressibleByArgument {}
extension TaskCell: ExpressibleByArgument {}

/// The training settings every task command shares; a flag left out keeps the command's
/// default (its help says which).
struct TaskTrainingOptions: ParsableArguments {
  @Option(help: "Hidden size H (default 32).") var hiddenSize: Int?
  @Option(help: "Batch size B, a fresh batch every step (default 32).") var batchSize: Int?
  @Option(help: "The budget: optimiser steps at most (task: 2000).") var steps: Int?
  @Option(help: "Optimiser: adam or sgd (default adam; clipping: sgd).") var optimizer: OptimizerKind?
  @Option(help: "Learning rate (default 0.01).") var learningRate: Double?
  @Option(help: "SGD momentum (0: plain SGD).") var momentum = 0.0
  @Option(help: "Clip the global gradient norm to this value (default: no clipping).") var clipNorm: Double?
  @Option(help: "Rescale the recurrent kernel's blocks to this spectral norm at initialisation (default: orthogonal, 1).") var sigma: Double?
  @Option(help: "Evaluate on the test set every this many steps (default 50).") var evaluateEvery: Int?
  @Option(help: "Test sequences, a fixed set drawn from the seed (default 512).") var testSize: Int?
  @Option(help: "Solved: test loss below this fraction of the baseline loss (default 0.1).") var successFraction: Double?
  @Flag(help: "Train the whole budget instead of stopping at the first solving evaluation.") var keepGoing = false

  /// `base` with these flags applied (flags left unset keep `base`'s values).
  func apply(to base: TaskConfiguration) -> TaskConfiguration {
    var c = base
    if let hiddenSize { c.hiddenSize = hiddenSize }
    if let batchSize { c.batchSize = batchSize }
    if let steps { c.steps = steps }
    if let optimizer { c.optimizer = optimizer }
    if let learningRate { c.learningRate = learningRate }
    c.momentum = momentum
    if let clipNorm { c.clipNorm = clipNorm }
    if let sigma { c.recurrentSpectralNorm = sigma }
    if let evaluateEvery { c.evaluateEvery = evaluateEvery }
    if let testSize { c.testSize = testSize }
    if let successFraction { c.successFraction = successFraction }
    if keepGoing { c.stopWhenSolved = false }
    return c
  }
}

/// A command that plans a task experiment: flags are checked by building it, and running
/// prints one line per run and the summary table.
protocol TaskExperimentCommand: ParsableCommand {
  /// The experiment the flags describe (before the command line and validation are added).
  func plannedExperiment() throws -> TaskExperiment
  var output: String { get }
}

extension TaskExperimentCommand {
  func makeExperiment() throws -> TaskExperiment {
    var experiment = try plannedExperiment()
    experiment.command = commandLine()
    try experiment.validate()
    return experiment
  }

  func validate() throws {
    do { _ = try makeExperiment() } catch let error as TaskError { throw ValidationError(error.description) }
  }

  func run() throws { try runTaskExperiment(try makeExperiment(), output: output) }
}

/// Runs an experiment, printing one line per run, and prints the summary table.
func runTaskExperiment(_ experiment: TaskExperiment, output: String) throws {
  let console = Console()
  let tables = try experiment.run(output: URL(fileURLWithPath: output), log: { console.line($0) })
  print(tables.summary.text, terminator: "")
  let written = ["runs.tsv", "curves.tsv", "summary.tsv", "timings.tsv", "config.json"] + (tables.steps.rows.isEmpty ? [] : ["steps.tsv"]) + (tables.gradients.rows.isEmpty ? [] : ["gradients.tsv"])
  console.line("tables in \(output): \(written.joined(separator: ", "))")
}

/// `gradlab task`: one run on a long-lag task.
struct TaskCommand: TaskExperimentCommand {
  static let configuration = CommandConfiguration(
    commandName: "task",
    abstract: "Train a recurrent network on a long-lag task: adding (regression), first or selective-copy (classification).",
    discussion: """
      adding: x_t = (u_t, m_t), u_t ~ U[0,1], one marker in each half of the sequence; the target \
      is the sum of the two marked values (always answering 1 scores MSE 1/6). first: x_t = +-1; \
      the label is the first input (answering 1/2 scores BCE log 2). selective-copy: 4 tokens of 8 \
      symbols at random positions among noise, then 4 recall steps at which the model names them \
      in order (one-hot inputs of 10 symbols; answering 1/8 scores log 8 per recall step). A run \
      trains on fresh \
      batches until its test loss is below --success-fraction x the baseline or the --steps \
      budget is spent. Writes runs.tsv, curves.tsv, gradients.tsv, summary.tsv, timings.tsv, config.json and \
      checkpoint.safetensors (the weights at the last evaluation) into the output folder; a \
      finished run in that folder is not run again.
      """)

  @Argument(help: "The task: adding, first or selective-copy.") var task: LongLagTask
  @Option(help: "Cell: rnn, lstm, gru, linear, irnn, chrono, lru or mingru.") var cell: TaskCell = .lstm
  @Option(help: "Sequence length T.") var length = 50
  @Option(help: "Seed for the weights and the data.") var seed: UInt64 = 1
  @OptionGroup var training: TaskTrainingOptions
  @Flag(help: "Write steps.tsv: loss and gradient norm of every step.") var logSteps = false
  @Option(name: .customLong("output"), help: "Output folder (default runs/task-<task>-<cell>-T<length>).") var outputFolder: String?

  var output: String { outputFolder ?? "runs/task-\(task.rawValue)-\(cell.rawValue)-T\(length)" }

  func plannedExperiment() throws -> TaskExperiment {
    var base = TaskConfiguration()
    (base.task, base.cell, base.length, base.seed) = (task, cell, length, seed)
    var experiment = TaskExperiment(name: "\(task.rawValue) task, one run", runs: [training.apply(to: base)])
    let logSteps = logSteps
    experiment.logsSteps = { _ in logSteps }
    experiment.profileSeed = seed
    experiment.writesCheckpoints = true
    experiment.threads = 1
    return experiment
  }

  func run() throws {
    var experiment = try makeExperiment()
    let console = Console()
    experiment.onEvaluation = { c, e in
      console.line(String(format: "step %d/%d  train loss %.4g  test loss %.4g%@  grad norm median %.3g max %.3g  %.1f s",
        e.step, c.steps, e.trainLoss, e.testLoss, e.testAccuracy.isNaN ? "" : String(format: "  test acc %.4f", e.testAccuracy),
        e.gradientNormMedian, e.gradientNormMax, e.seconds))
    }
    try runTaskExperiment(experiment, output: output)
  }
}

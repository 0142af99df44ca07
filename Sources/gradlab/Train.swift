import ArgumentParser
import Foundation
import IMDB
import LiveViews
import Recurrent
import StopSignals
import Training

extension Padding: ExpressibleByArgument {}

struct Train: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train the IMDB sentiment model (Embedding -> LSTM/RNN/GRU -> Dense), resumable after every epoch.",
    discussion: """
      Defaults are the original Keras run: vocabulary 10,000, length 200 padded at the front, \
      Embedding 128, LSTM 64, Adam 1e-3, batch 64, 100 epochs. The data path comes from --data, \
      then $GRADLAB_IMDB, then ../shared/data/imdb/aclImdb-labelled.tar.gz, ./data/aclImdb_v1.tar.gz, ./data/aclImdb.
      """)

  @Option(help: "Cell: lstm, rnn, gru or linear.") var cell: CellKind = .lstm
  @Option(help: "Epochs to train (on --resume, the new total).") var epochs = 100
  @Option(help: "Seed for the weights and the shuffles.") var seed: UInt64 = 1
  @Option(help: "Vocabulary size V (most frequent training words, plus 0 pad, 1 start, 2 unknown).") var vocabularySize = 10_000
  @Option(help: "Sequence length T.") var length = 200
  @Option(help: "Pad and truncate at the front (pre, Keras' default) or the end (post).") var padding: Padding = .pre
  @Option(help: "Batch size B.") var batchSize = 64
  @Option(help: "Learning rate (Adam or SGD).") var learningRate = 1e-3
  @Option(help: "Clip the global gradient norm to this value (default: no clipping).") var clipNorm: Double?
  @Option(help: "Optimiser: adam (Keras' defaults) or sgd (plain, or with --momentum); both use --learning-rate.") var optimizer: OptimizerKind = .adam
  @Option(help: "Heavy-ball momentum for --optimizer sgd (default 0).") var momentum: Double?
  @Option(help: "Embedding size E.") var embeddingSize = 128
  @Option(help: "Hidden size H.") var hiddenSize = 64
  @Option(help: "Worker threads.") var threads = 2
  @Option(help: "Epochs after which to record dL/dh_t on a fixed validation batch (comma-separated; 0 = before training).")
  var gradientEpochs = "0,1,10,100"
  @Option(help: "IMDB data: a .tar.gz or an unpacked folder.") var data: String?
  @Option(help: "Folder for the encoded-data cache.") var cache = "runs/cache"
  @Option(help: "Output folder (default runs/imdb-<cell>).") var output: String?
  @Flag(help: "Continue the run in the output folder from its last checkpoint.") var resume = false
  @Flag(help: "Write steps.tsv: loss, gradient norm, update norm relative to the weights and Adam's second moment, every step.")
  var logSteps = false
  @Flag(help: """
    Draw the run's curves after every epoch with one gnuplot: live.png in the output folder (rewritten atomically) \
    and, on a terminal, a text chart at the terminal's size. Off by default: it needs gnuplot, and the chart \
    clears the screen at every epoch.
    """)
  var live = false

  func makeConfiguration() throws -> TrainingConfiguration {
    var c = TrainingConfiguration()
    c.cell = cell
    c.epochs = epochs
    c.seed = seed
    c.data = IMDBOptions(vocabularySize: vocabularySize, sequenceLength: length, padding: padding)
    c.batchSize = batchSize
    c.learningRate = learningRate
    c.clipNorm = clipNorm
    c.sgdMomentum = try CommandLineChecks.momentum(momentum, for: optimizer)
    c.embeddingSize = embeddingSize
    c.hiddenSize = hiddenSize
    c.threads = threads
    let parts = gradientEpochs.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
    guard parts.allSatisfy({ $0 != nil }) else { throw ValidationError("--gradient-epochs must be comma-separated integers, got '\(gradientEpochs)'") }
    c.gradientEpochs = parts.compactMap { $0 }
    return c
  }

  var outputFolder: String { output ?? "runs/imdb-\(cell.rawValue)" }

  func validate() throws {
    for (value, flag) in [(output, "--output"), (cache, "--cache"), (data, "--data")] { try CommandLineChecks.nonEmpty(value, flag) }
    do { try makeConfiguration().validate() } catch let error as TrainingError { throw ValidationError(error.description) }
  }

  func run() throws {
    let configuration = try makeConfiguration()
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let console = Console()
    let outputURL = URL(fileURLWithPath: outputFolder, relativeTo: cwd)
    // Started before any work, so a missing gnuplot stops the command here.
    let liveView = try live ? TrainingLiveView(output: outputURL, configuration: configuration, warn: { console.line($0) }) : nil
    defer { liveView?.close() }
    try TrainingRun.checkOutput(outputURL, resume: resume)
    try CommandLineChecks.folder(URL(fileURLWithPath: cache, relativeTo: cwd), "--cache")
    let source = try IMDBLocator.resolve(flag: data, currentDirectory: cwd)
    console.line("loading \(source.path)")
    let loading = StopSignals.onStop { _ in console.line("stopped while loading the data, before any epoch ran; run the same command to start") }
    let dataset = try IMDBLoader.load(
      from: source, options: configuration.data, cacheDirectory: URL(fileURLWithPath: cache, relativeTo: cwd),
      progress: { message in Console().line(message) })
    console.line("\(dataset.train.count) training, \(dataset.validation.count) validation, \(dataset.test.count) test reviews")
    var run = TrainingRun(
      configuration: configuration, data: dataset, output: outputURL)
    run.logSteps = logSteps
    run.command = commandLine()
    var reporter = console.trainingReporter()
    if let liveView { reporter = reporter.drawing(liveView, textSize: { console.chartSize() }, show: { console.chart($0) }) }
    loading.remove()
    let summary = try run.run(resume: resume, reporter: reporter)
    for (name, r) in [("last epoch", summary.last), ("best validation", summary.bestValidation)] {
      print(String(format: "%@ (epoch %d): val_loss %.4f val_acc %.4f test_loss %.4f test_acc %.4f", name, r.epoch, r.validationLoss, r.validationAccuracy, r.testLoss, r.testAccuracy))
    }
  }
}

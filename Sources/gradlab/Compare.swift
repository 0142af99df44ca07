import ArgumentParser
import Comparison
import Foundation
import IMDB
import LiveViews
import Recurrent
import Storage
import Training

struct Compare: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Train RNN, LSTM, GRU, a text CNN, an LRU block and minGRU on the same IMDB split and embedding under one budget; accuracy overall and by review length.",
    discussion: """
      Each model × length × padding × seed is a unit, trained for up to --epochs epochs (fewer \
      with --patience) keeping the best-validation-loss weights, then evaluated on the 25,000 test reviews. Units land in \
      <output>/units and are skipped when rerun (resumable); the tables (compare_runs.tsv, \
      compare_overall.tsv, compare_by_length.tsv, compare_gradients.tsv) are written to --tables \
      (default: the output folder) from whatever units have finished. Spread over processes or \
      machines: --list-units prints the units with their indices, --unit N trains unit N alone \
      (one job of GNU parallel or a Slurm array, several at once in one folder), and \
      --tables-only with the same flags then gathers the tables.
      """)

  @Option(help: "Models, comma-separated: rnn, lstm, gru, cnn, lru, mingru.") var models = "rnn,lstm,gru,cnn,lru,mingru"
  @Option(help: "Seeds, comma-separated.") var seeds = "1,2,3"
  @Option(help: "Sequence lengths T, comma-separated.") var lengths = "200,500"
  @Option(help: "Padding sides, comma-separated: pre, post.") var paddings = "pre"
  @Option(help: "Epochs per unit at most (the best-validation epoch among them is evaluated).") var epochs = 3
  @Option(help: "Stop a unit after this many epochs without a lower validation loss (0: never).") var patience = 0
  @Option(help: "CNN filter widths, comma-separated.") var widths = "3,4,5"
  @Option(help: "CNN filters per width.") var filters = 100
  @Option(help: "Hidden size H of the recurrent models.") var hiddenSize = 64
  @Option(help: "Embedding size E.") var embeddingSize = 128
  @Option(help: "Batch size B.") var batchSize = 64
  @Option(help: "Learning rate (Adam or SGD).") var learningRate = 1e-3
  @Option(help: "Optimiser: adam (Keras' defaults) or sgd (plain, or with --momentum); both use --learning-rate.") var optimizer: OptimizerKind = .adam
  @Option(help: "Heavy-ball momentum for --optimizer sgd (default 0).") var momentum: Double?
  @Option(help: "Clip the global gradient norm to this value (default: no clipping).") var clipNorm: Double?
  @Option(help: "Buckets of test-review length (quantiles of the test set).") var buckets = 4
  @Option(help: "Validation reviews whose ||dL/dh_t|| is recorded after training (0 = none).") var probeReviews = 64
  @Option(help: "Worker threads.") var threads = 2
  @Option(help: "IMDB data: a .tar.gz or an unpacked folder.") var data: String?
  @Option(help: "Folder for the encoded-data cache.") var cache = "runs/cache"
  @Option(help: "Folder for the units (default runs/compare).") var output = "runs/compare"
  @Option(help: "Folder for the tables (default: the output folder).") var tables: String?
  @Flag(help: "Only write the tables from the units already trained.") var tablesOnly = false
  @Flag(help: "Print the units (index, name), one a line, and stop.") var listUnits = false
  @Option(help: "Train only the unit with this index (see --list-units), and write no tables.") var unit: Int?
  @Flag(help: """
    Draw the comparison after every epoch with one gnuplot: live.png in the output folder (validation loss of the \
    units at the length in training, test accuracy of the finished ones) and, on a terminal, a text chart.
    """)
  var live = false

  func list<T>(_ text: String, _ flag: String, _ parse: (String) -> T?) throws -> [T] {
    let parts = text.split(separator: ",").map { parse($0.trimmingCharacters(in: .whitespaces)) }
    guard !parts.isEmpty, parts.allSatisfy({ $0 != nil }) else { throw ValidationError("\(flag) must be a comma-separated list, got '\(text)'") }
    return parts.compactMap { $0 }
  }

  func makeConfiguration() throws -> CompareConfiguration {
    var c = CompareConfiguration()
    c.models = try list(models, "--models") { CompareModel(rawValue: $0) }
    c.seeds = try list(seeds, "--seeds") { UInt64($0) }
    c.lengths = try list(lengths, "--lengths") { Int($0) }
    c.paddings = try list(paddings, "--paddings") { Padding(rawValue: $0) }
    c.widths = try list(widths, "--widths") { Int($0) }
    c.epochs = epochs
    c.patience = patience
    c.filters = filters
    c.hiddenSize = hiddenSize
    c.embeddingSize = embeddingSize
    c.batchSize = batchSize
    c.learningRate = learningRate
    c.optimizer = optimizer
    c.momentum = try CommandLineChecks.momentum(momentum, for: optimizer) ?? 0
    c.clipNorm = clipNorm
    c.buckets = buckets
    c.probeReviews = probeReviews
    c.threads = threads
    return c
  }

  func validate() throws {
    do { try makeConfiguration().validate() } catch let error as TrainingError { throw ValidationError(error.description) }
    if live && tablesOnly { throw ValidationError("--live draws training, and --tables-only trains nothing: leave out one of them") }
    let modes = [(listUnits, "--list-units"), (unit != nil, "--unit"), (tablesOnly, "--tables-only")].filter(\.0).map(\.1)
    if modes.count > 1 { throw ValidationError("\(modes.joined(separator: " and ")) exclude each other: give one of them") }
    if let unit, !(0..<(try makeConfiguration().units.count)).contains(unit) {
      throw ValidationError("--unit must be in 0...\(try makeConfiguration().units.count - 1) (see --list-units), got \(unit)")
    }
    if unit != nil && tables != nil { throw ValidationError("--unit writes no tables: leave out --tables, and gather them with --tables-only") }
  }

  func run() throws {
    let configuration = try makeConfiguration()
    let cwd = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
    let console = Console()
    let run = CompareRun(configuration: configuration, output: URL(fileURLWithPath: output, relativeTo: cwd))
    if listUnits {
      for (index, unit) in configuration.units.enumerated() { print("\(index)\t\(unit.name)") }
      return
    }
    let destination = URL(fileURLWithPath: tables ?? output, relativeTo: cwd)
    // Every path is checked before any work.
    try CommandLineChecks.folder(destination, tables == nil ? "--output" : "--tables")
    if tablesOnly {
      var isFolder: ObjCBool = false
      guard FileManager.default.fileExists(atPath: run.unitsFolder.path, isDirectory: &isFolder), isFolder.boolValue else {
        throw ValidationError("--output \(run.output.path) holds no comparison (no units folder); give the --output the units were trained into")
      }
    } else {
      try CommandLineChecks.folder(URL(fileURLWithPath: cache, relativeTo: cwd), "--cache")
    }
    if !tablesOnly {
      let source = try IMDBLocator.resolve(flag: data, currentDirectory: cwd)
      // Started before any work, so a missing gnuplot stops the command here.
      let liveView = try live ? CompareLiveView(run: run, warn: { console.line($0) }) : nil
      defer { liveView?.close() }
      try run.run(
        load: { options in
          console.line("loading \(source.path) (T = \(options.sequenceLength), padding \(options.padding.rawValue))")
          return try IMDBLoader.load(from: source, options: options, cacheDirectory: URL(fileURLWithPath: cache, relativeTo: cwd), progress: { Console().line($0) })
        }, reporter: console.trainingReporter(),
        epochFinished: { unit, epochs in
          if let chart = liveView?.update(unit: unit, epochs: epochs, text: console.chartSize()) { console.chart(chart) }
        }, only: try unit.map(run.unit(at:)))
    }
    if let unit {
      console.line("unit \(unit) (\(try run.unit(at: unit).name)) is in \(run.unitsFolder.path); when every job is done, write the tables with the same flags and --tables-only")
      return
    }
    let results = try CompareTables(run: run)
    try results.write(to: destination)
    print("\(results.records.count) of \(configuration.units.count) units in the tables at \(destination.path)")
    print(results.overallTable.text, terminator: "")
  }
}

import ArgumentParser
import Benchmarks
import Foundation
import Linalg
import Recurrent
import Storage
import Training

extension CellKind: ExpressibleByArgument {}
extension BenchmarkTokens: ExpressibleByArgument {}
extension DiagonalRecurrence: ExpressibleByArgument {}
extension KernelLevel: ExpressibleByArgument {
  public init?(argument: String) {
    guard let level = KernelLevel.allCases.first(where: { $0.description == argument }) else { return nil }
    self = level
  }
}

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time training steps of the original IMDB model (random tokens drawn like IMDB's, real shapes), and where a step's time goes.")

  @Option(help: "Cell: \(CellKind.allCases.map(\.rawValue).joined(separator: ", ")).") var cell: CellKind = .lstm
  @Option(help: "Time the comparison's diagonal model instead of --cell: \(DiagonalRecurrence.allCases.map(\.rawValue).joined(separator: ", ")) (the pointwise kernels, the FLOP count and the breakdown's parts are the recurrent cells').") var model: DiagonalRecurrence?
  @Option(help: "Timed steps.") var iterations = 20
  @Option(help: "Worker threads: the batch is cut into this many shards, each with single-threaded BLAS (1: one shard, BLAS on 2 threads).") var threads = 2
  @Option(help: "Batch size B.") var batchSize = 64
  @Option(help: "Token ids: zipf (as many distinct ids per batch as IMDB's) or uniform (the most, the worst case).") var tokens: BenchmarkTokens = .zipf
  @Option(help: "Write the report as JSON to this file.") var json: String?
  @Option(help: "A peer's JSON from ../shared/peers/bench_*.py, timed beside this run: prints the ratio.") var peerJSON: String?
  @Option(help: "Vector width of the pointwise kernels: \(KernelLevel.allCases.map(\.description).joined(separator: ", ")) (default: the CPU's best; every width gives the same bits).") var kernels: KernelLevel?
  @Flag(help: "Skip measuring the machine's sgemm ceiling.") var noCeiling = false

  func validate() throws {
    guard iterations > 0 && iterations <= 100_000 else { throw ValidationError("--iterations must be in 1...100000, got \(iterations)") }
    guard threads > 0 && threads <= 64 else { throw ValidationError("--threads must be in 1...64, got \(threads)") }
    guard batchSize > 0 else { throw ValidationError("--batch-size must be positive, got \(batchSize)") }
    try CommandLineChecks.nonEmpty(json, "--json")
    try CommandLineChecks.nonEmpty(peerJSON, "--peer-json")
    _ = try peerJSON.map(PeerTiming.read(from:))
    // The benchmark builds the training model: the same size limits apply.
    var sizes = TrainingConfiguration()
    sizes.cell = cell
    sizes.batchSize = batchSize
    sizes.threads = threads
    do { try sizes.validate() } catch let error as TrainingError { throw ValidationError(error.description) }
  }

  func run() throws {
    let jsonURL = json.map { URL(fileURLWithPath: $0) }
    if let folder = jsonURL?.deletingLastPathComponent() { try OutputFolder.checkWritable(folder) }
    var isFolder: ObjCBool = false
    if let jsonURL, FileManager.default.fileExists(atPath: jsonURL.path, isDirectory: &isFolder), isFolder.boolValue {
      throw ValidationError("--json \(jsonURL.path) is a folder; give a file path for the report")
    }
    let peer = try peerJSON.map(PeerTiming.read(from:))
    let ceiling = noCeiling ? nil : SGEMMCeiling.measure()
    var bench = TrainingBenchmark()
    bench.cell = cell
    bench.diagonal = model
    bench.iterations = iterations
    bench.shards = threads
    bench.batch = batchSize
    bench.tokens = tokens
    bench.kernels = kernels
    let report = bench.run { Console().line($0) }
    let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"].map { " (set by OPENBLAS_CORETYPE=\($0))" } ?? ""
    print(String(format: "%@ training step, B=%d T=%d E=%d H=%d V=%d, %d shards, BLAS core %@%@, pointwise kernels %@",
      model?.rawValue ?? cell.rawValue, bench.batch, bench.sequenceLength, bench.embeddingSize, bench.hiddenSize, bench.vocabularySize, threads, report.blasCore, forced,
      report.kernels.description))
    print("CPU \(report.cpu), load average \(report.loadAverage.map { String(format: "%.2f", $0) }.joined(separator: ", ")) (1, 5, 15 min) at the start")
    print(String(format: "%@ tokens: %@ distinct ids per shard", tokens.rawValue, report.distinctIDsPerShard.map(String.init).joined(separator: ", ")))
    print(String(format: "median %.1f ms/step (quartiles %.1f-%.1f) over %d steps after %d warm-up steps not counted, %.2f s per %d-step epoch",
      report.millisecondsPerStepMedian, report.millisecondsPerStepQuartiles[0], report.millisecondsPerStepQuartiles[1],
      iterations, report.warmupSteps, report.secondsPerEpoch, bench.stepsPerEpoch))
    if let performed = report.performedGflops, let dense = report.gflops {
      print(String(format: "%.1f GFLOP/s performed (%.2f GFLOP a step); %.1f GFLOP/s dense-equivalent (%.2f GFLOP if every position were projected)",
        performed, performed * report.millisecondsPerStepMedian / 1000, dense, bench.flopsPerStep / 1e9))
    }
    let b = report.breakdown
    print(String(format: "where a step's time goes, timed in place in %d more steps (mean %.1f ms), ms: ", iterations, b.step)
      + b.rows.map { String(format: "%@ %.2f", $0.0, $0.1) }.joined(separator: ", ")
      + String(format: " (the parts add up to the step within %.1f%%)", 100 * abs(b.unaccounted) / b.step))
    print(String(format: "peak memory %.0f MiB", report.peakMemoryMiB))
    if let ceiling, let performed = report.performedGflops {
      print(String(format: "sgemm ceiling (2048³, 2 BLAS threads) %.0f GFLOP/s: training performs at %.0f%% of it", ceiling, 100 * performed / ceiling))
    }
    if let peer {
      let ratio = peer.millisecondsPerStep / report.millisecondsPerStepMedian
      print(String(format: "peer %@: %.1f ms/step, %.2f s per 313-step epoch; GradLab is %.2fx %@",
        peer.name, peer.millisecondsPerStep, peer.millisecondsPerStep * 313 / 1000, ratio >= 1 ? ratio : 1 / ratio, ratio >= 1 ? "faster" : "slower"))
    }
    if let jsonURL {
      _ = try OutputFolder.createMissing(jsonURL.deletingLastPathComponent())
      try AtomicFile.write(try JSONEncoder().encode(report), to: jsonURL)
    }
  }
}

import ArgumentParser
import Experiments
import Foundation
import Linalg
import Recurrent

extension CellKind: ExpressibleByArgument {}

struct Bench: ParsableCommand {
  static let configuration = CommandConfiguration(
    abstract: "Time training steps of the original IMDB model (random tokens, real shapes).")

  @Option(help: "Cell: \(CellKind.allCases.map(\.rawValue).joined(separator: ", ")).") var cell: CellKind = .lstm
  @Option(help: "Timed steps.") var iterations = 20
  @Option(help: "Worker threads (batch shards).") var threads = 2
  @Option(help: "Batch size B.") var batch = 64
  @Option(help: "Write the report as JSON to this file.") var json: String?

  func validate() throws {
    guard iterations > 0 else { throw ValidationError("--iterations must be positive, got \(iterations)") }
    guard threads > 0 else { throw ValidationError("--threads must be positive, got \(threads)") }
    guard batch > 0 else { throw ValidationError("--batch must be positive, got \(batch)") }
  }

  func run() throws {
    var bench = TrainingBenchmark()
    bench.cell = cell
    bench.iterations = iterations
    bench.shards = threads
    bench.batch = batch
    // Each shard runs on its own thread: BLAS must not spawn threads of its own inside.
    if threads > 1 { BLASRuntime.setThreads(1) }
    MemoryTuning.reuseLargeAllocations()
    let report = bench.run { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
    print(String(format: "%@ training step, B=%d T=%d E=%d H=%d V=%d, %d threads, BLAS core %@",
      cell.rawValue, bench.batch, bench.steps, bench.embeddingSize, bench.hiddenSize, bench.vocabularySize, threads, report.blasCore))
    print(String(format: "median %.1f ms/step (quartiles %.1f-%.1f), %.2f s per 313-step epoch, %.1f GFLOP/s",
      report.millisecondsPerStepMedian, report.millisecondsPerStepQuartiles[0], report.millisecondsPerStepQuartiles[1],
      report.secondsPerEpoch, report.gflops))
    if let json {
      let data = try JSONEncoder().encode(report)
      try data.write(to: URL(fileURLWithPath: json), options: .atomic)
    }
  }
}

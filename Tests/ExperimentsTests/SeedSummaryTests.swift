import Foundation
import Storage
import Testing
import Training

/// `gradlab seeds` on synthetic run folders written by hand.
@Suite struct SeedSummaryTests {
  func folder() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-seeds-\(UUID().uuidString)")
  }

  /// A finished run folder: config.json and results.json as gradlab train writes them.
  func writeRun(in parent: URL, seed: UInt64, last: Double, best: Double, hidden: Int = 64, blasCore: String? = "Haswell") throws -> URL {
    let run = parent.appendingPathComponent("run-seed\(seed)")
    try FileManager.default.createDirectory(at: run, withIntermediateDirectories: true)
    var configuration = TrainingConfiguration()
    configuration.seed = seed
    configuration.hiddenSize = hidden
    let encoded = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(configuration))
    try JSONSerialization.data(withJSONObject: ["command": "gradlab train --seed \(seed)", "configuration": encoded])
      .write(to: run.appendingPathComponent("config.json"))
    var results: [String: Any] = [
      "last": ["epoch": 100, "validationLoss": 2.0, "validationAccuracy": 0.85, "testLoss": 2.1, "testAccuracy": last],
      "bestValidation": ["epoch": 2, "validationLoss": 0.3, "validationAccuracy": 0.88, "testLoss": 0.31, "testAccuracy": best],
    ]
    if let blasCore { results["blasCore"] = blasCore }
    try JSONSerialization.data(withJSONObject: results).write(to: run.appendingPathComponent("results.json"))
    return run
  }

  @Test func tablesHoldEverySeedAndTheInterval() throws {
    let parent = folder()
    defer { try? FileManager.default.removeItem(at: parent) }
    let runs = try [(3, 0.86, 0.87), (1, 0.84, 0.86), (2, 0.85, 0.88)].map {
      try writeRun(in: parent, seed: UInt64($0.0), last: $0.1, best: $0.2, blasCore: $0.0 == 1 ? nil : "Haswell")
    }
    let summary = try SeedSummary(folders: runs, reference: 0.8517)
    let output = parent.appendingPathComponent("tables")
    try summary.write(to: output)
    let seeds = try TSVTable.read(from: output.appendingPathComponent("seeds.tsv"))
    #expect(seeds.column("seed") == ["1", "2", "3"])
    #expect(seeds.column("last_test_acc") == ["0.84", "0.85", "0.86"])
    #expect(seeds.column("blas_core") == ["unknown", "Haswell", "Haswell"])
    let table = try TSVTable.read(from: output.appendingPathComponent("seeds_summary.tsv"))
    #expect(table.column("result") == ["last_epoch", "best_validation"])
    let means = try #require(table.column("mean")).compactMap(Double.init)
    #expect(abs(means[0] - 0.85) < 1e-12 && abs(means[1] - 0.87) < 1e-12)
    let high = try #require(table.column("ci_high")).compactMap(Double.init)
    #expect(abs(high[0] - (0.85 + 4.302653 * 0.01 / 3.0.squareRoot())) < 1e-6)
    #expect(table.column("reference_inside") == ["yes", "yes"])
    #expect(table.column("blas_cores") == ["Haswell+unknown", "Haswell+unknown"])
    #expect(table.column("length") == ["200", "200"] && table.column("hidden_size") == ["64", "64"])
    // No run has a spectra.tsv: the spectra table has its header only.
    #expect(try TSVTable.read(from: output.appendingPathComponent("seeds_spectra.tsv")).rows.isEmpty)
  }

  @Test func spectraOfEveryRunGetTheirSeedInFront() throws {
    let parent = folder()
    defer { try? FileManager.default.removeItem(at: parent) }
    let header = "cell\tepoch\tgate\tspectral_norm\tspectral_radius\tdecay_rate\n"
    var runs: [URL] = []
    for seed in [2, 1] as [UInt64] {
      let run = try writeRun(in: parent, seed: seed, last: 0.84, best: 0.86)
      try (header + "rnn\t0\th\t1.0\t0.9\t-0.0\(seed)\nrnn\t100\th\t2.5\t1.\(seed)\t0.0\(seed)\n")
        .write(to: run.appendingPathComponent("spectra.tsv"), atomically: true, encoding: .utf8)
      runs.append(run)
    }
    let summary = try SeedSummary(folders: runs, reference: nil)
    #expect(summary.spectraTable.column("seed") == ["1", "1", "2", "2"])
    #expect(summary.spectraTable.column("spectral_radius") == ["0.9", "1.1", "0.9", "1.2"])
    #expect(summary.spectraTable.column("decay_rate") == ["-0.01", "0.01", "-0.02", "0.02"])
    // A spectra.tsv of another layout is refused, naming the file.
    try "seed\tnorm\n1\t2\n".write(to: runs[0].appendingPathComponent("spectra.tsv"), atomically: true, encoding: .utf8)
    do {
      _ = try SeedSummary(folders: runs, reference: nil)
      Issue.record("a spectra.tsv with another header was accepted")
    } catch let error as SeedSummaryError {
      #expect(error.description.contains("spectra.tsv has the header"))
    }
  }

  @Test func refusesMixedConfigurationsRepeatedSeedsAndUnfinishedRuns() throws {
    let parent = folder()
    defer { try? FileManager.default.removeItem(at: parent) }
    let a = try writeRun(in: parent, seed: 1, last: 0.84, best: 0.86)
    let other = try writeRun(in: parent.appendingPathComponent("h32"), seed: 2, last: 0.84, best: 0.86, hidden: 32)
    #expect(throws: SeedSummaryError.self) { try SeedSummary(folders: [a, other], reference: nil) }
    let again = try writeRun(in: parent.appendingPathComponent("again"), seed: 1, last: 0.8, best: 0.8)
    #expect(throws: SeedSummaryError.self) { try SeedSummary(folders: [a, again], reference: nil) }
    let unfinished = try writeRun(in: parent, seed: 3, last: 0.84, best: 0.86)
    try FileManager.default.removeItem(at: unfinished.appendingPathComponent("results.json"))
    do {
      _ = try SeedSummary(folders: [a, unfinished], reference: nil)
      Issue.record("an unfinished run was accepted")
    } catch let error as SeedSummaryError {
      #expect(error.description.contains("results.json is missing"))
    }
    #expect(throws: SeedSummaryError.self) { try SeedSummary(folders: [a], reference: nil) }
  }
}

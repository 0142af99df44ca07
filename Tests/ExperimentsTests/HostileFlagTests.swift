import Foundation
import Linalg
import Storage
import Testing

/// Issue 7's hostile flags against the built binary: each ends with a one-line message that
/// names the flag or file and an exit status below 128 (no trap), before any work and with
/// nothing written.
@Suite(.enabled(if: gradlabBinary != nil, "the gradlab binary has not been built"))
struct HostileFlagTests {
  @Test(arguments: [
    (["decay", "--sigmas", "1e19"], "--sigmas"),
    (["decay", "--input-scale", "1e19"], "--input-scale"),
    (["decay", "--lstm-forget-bias", "-1e19"], "--lstm-forget-bias"),
    (["decay", "--forget-sigma", "1e19"], "--forget-sigma"),
    (["decay", "--forget-biases", "9.3e18"], "--forget-biases"),
    (["decay", "--seeds", "100000000"], "--seeds"),
    (["decay", "--steps", "100000", "--hidden", "1024"], "T x H"),
    (["decay", "--threads", "100000"], "--threads"),
    (["decay", "--output", ""], "--output must not be empty"),
    (["train", "--epochs", "9223372036854775807"], "--epochs must be at most"),
    (["train", "--batch-size", "9223372036854775807"], "--batch-size must be at most"),
    (["train", "--length", "1000000000"], "--length must be at most"),
    (["train", "--embedding-size", "100000000"], "--embedding-size must be at most"),
    (["train", "--hidden-size", "1000000"], "--hidden-size must be at most"),
    (["train", "--hidden-size", "60000"], "parameters"),
    (["train", "--batch-size", "60000"], "activations"),
    (["train", "--epochs", "-1"], "epochs must be at least 1, got -1"),
    (["train", "--output", ""], "--output must not be empty"),
    (["train", "--cache", ""], "--cache must not be empty"),
    (["bench", "--batch-size", "9223372036854775807"], "--batch-size must be at most"),
    (["bench", "--iterations", "-5"], "--iterations"),
    (["compare", "--live", "--tables-only"], "--live draws training, and --tables-only trains nothing"),
  ])
  func hostileFlagsAreRefusedBeforeAnyWork(arguments: [String], message: String) throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let result = try gradlab(arguments, directory: folder)
    #expect(result.status > 0 && result.status < 128, "status \(result.status)")
    #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
  }

  @Test func trainFindsAnUnwritableOutputBeforeLookingForData() throws {
    let result = try gradlab(["train", "--output", "/proc/gradlab-test/run", "--data", "/nonexistent/imdb.tar.gz"])
    #expect(result.status > 0 && result.status < 128)
    #expect(result.stderr.contains("/proc/gradlab-test") && !result.stderr.contains("IMDB"), "stderr: \(result.stderr)")
  }

  @Test func decayFindsAnUnwritableOutputBeforeTheSweep() throws {
    let result = try gradlab(["decay", "--steps", "3", "--output", "/proc/gradlab-test"])
    #expect(result.status > 0 && result.status < 128)
    #expect(result.stderr.contains("/proc/gradlab-test") && !result.stderr.contains("jobs done"), "stderr: \(result.stderr)")
  }

  /// Writes an RNN (H = 3, D = 2) to a file in `folder` after `edit`.
  func weightsFile(in folder: URL, _ edit: (inout Matrix<Float>) -> Void) throws -> URL {
    var whh = Matrix<Float>(rows: 3, cols: 3, storage: [0.5, 0, 0.1, 0, 0.4, 0, 0.2, 0, 0.3])
    edit(&whh)
    var file = SafetensorsFile()
    file.set("rnn.weight_ih_l0", Matrix<Float>(rows: 3, cols: 2, storage: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]))
    file.set("rnn.weight_hh_l0", whh)
    let url = folder.appendingPathComponent("weights.safetensors")
    try file.write(to: url)
    return url
  }

  @Test(arguments: [Float.nan, .infinity, 0])
  func damagedImportedWeightsNameTheFileNotAFlag(value: Float) throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let weights = try weightsFile(in: folder) { whh in
      if value == 0 { whh = Matrix(rows: 3, cols: 3) } else { whh[1, 1] = value }
    }
    let result = try gradlab(["decay", "--weights", weights.path, "--steps", "5", "--output", folder.appendingPathComponent("out").path])
    #expect(result.status > 0 && result.status < 128)
    #expect(result.stderr.contains(weights.path) && result.stderr.contains("rnn.weight_hh_l0"), "stderr: \(result.stderr)")
    #expect(!result.stderr.contains("--sigmas:"), "stderr: \(result.stderr)")
  }

  @Test func weightsOf1e30AreRefusedAsTheyAreAndAnalysedWhenRescaled() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let weights = try weightsFile(in: folder) { whh in whh.storage = whh.storage.map { $0 * 1e30 } }
    let output = folder.appendingPathComponent("out").path
    let asIs = try gradlab(["decay", "--weights", weights.path, "--steps", "5", "--seeds", "1", "--output", output])
    #expect(asIs.status > 0 && asIs.status < 128)
    #expect(asIs.stderr.contains(weights.path) && asIs.stderr.contains("pass --sigmas"), "stderr: \(asIs.stderr)")
    let rescaled = try gradlab(["decay", "--weights", weights.path, "--sigmas", "0.5", "--steps", "5", "--seeds", "1", "--output", output])
    #expect(rescaled.status == 0, "stderr: \(rescaled.stderr)")
  }
}

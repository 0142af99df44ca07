import Foundation
import Linalg
import SeededRandom
import Storage
import Testing

/// The built `gradlab` binary, end to end: bad flags exit non-zero with a message and write
/// nothing; `decay --weights` analyses a layer from a file.
@Suite(.enabled(if: gradlabBinary != nil, "the gradlab binary has not been built"))
struct CommandLineTests {
  @Test(arguments: [
    (["decay", "--sigmas=-1"], "sigma"),
    (["decay", "--sigmas", "0"], "sigma"),
    (["decay", "--steps", "0"], "--steps"),
    (["decay", "--models", "transformer"], "unknown model"),
    (["train", "--epochs", "0"], "epochs"),
    (["train", "--learning-rate", "-1"], "--learning-rate must be positive"),
    (["bench", "--iterations", "0"], "--iterations"),
    (["seeds", "runs/one"], "at least 2 run folders"),
    (["seeds", "a", "b", "--reference", "1.5"], "--reference"),
  ])
  func badFlagsExitNonZeroAndWriteNothing(arguments: [String], message: String) throws {
    let output = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    let outputFlag = arguments[0] == "bench" ? [] : ["--output", output.path]
    let result = try gradlab(arguments + outputFlag)
    #expect(result.status != 0)
    #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
  }

  @Test func decayRefusesAnOutputThatIsAFile() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let file = folder.appendingPathComponent("taken")
    try Data("x".utf8).write(to: file)
    let result = try gradlab(["decay", "--steps", "3", "--output", file.path])
    #expect(result.status != 0 && result.stderr.contains(file.path), "stderr: \(result.stderr)")
  }

  @Test func decayAnalysesAPyTorchRNNFromItsWeightsFile() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var rng = SeededGenerator(seed: 8)
    var file = SafetensorsFile()
    file.set("rnn.weight_ih_l0", Initializer.glorotUniform(rows: 6, cols: 3, using: &rng) as Matrix<Float>)
    file.set("rnn.weight_hh_l0", 0.5 * (Initializer.orthogonal(rows: 6, cols: 6, using: &rng) as Matrix<Float>))
    let weights = folder.appendingPathComponent("rnn.safetensors")
    try file.write(to: weights)
    let output = folder.appendingPathComponent("out")
    let result = try gradlab(["decay", "--weights", weights.path, "--steps", "12", "--seeds", "2", "--output", output.path])
    #expect(result.status == 0, "stderr: \(result.stderr)")
    let rates = try String(contentsOf: output.appendingPathComponent("decay_rates.tsv"), encoding: .utf8)
    // One row: the tanh RNN at its own sigma, 0.5 (orthogonal times 0.5).
    let row = try #require(rates.split(separator: "\n").dropFirst().first).split(separator: "\t")
    #expect(row[0] == "rnn")
    #expect(abs((Double(row[1]) ?? 0) - 0.5) < 1e-6)
  }
}

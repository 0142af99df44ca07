import Foundation
import Linalg
import Storage
import Testing

/// `gradlab decay` end to end: the command recorded in decay_config.json regenerates every
/// file byte for byte, and flags that cannot apply are refused with one line, writing nothing.
@Suite(.enabled(if: gradlabBinary != nil, "the gradlab binary has not been built"))
struct DecayCommandLineTests {
  /// A PyTorch-named linear layer (weight_ih_l0, weight_hh_l0, both biases) with a
  /// non-normal W_hh (radius 0.6).
  func linearWeights(in folder: URL) throws -> URL {
    var file = SafetensorsFile()
    file.set("rnn.weight_ih_l0", Matrix<Double>([[0.5], [-0.3], [0.2]]))
    file.set("rnn.weight_hh_l0", Matrix<Double>([[0.6, 2.0, 0.5], [0, -0.4, 1.5], [0, 0, 0.2]]))
    file.setVector("rnn.bias_ih_l0", Matrix<Double>([[0.1, 0, -0.1]]))
    file.setVector("rnn.bias_hh_l0", Matrix<Double>([[0.05, 0.02, 0]]))
    let url = folder.appendingPathComponent("my layer.safetensors")
    try file.write(to: url)
    return url
  }

  /// Every file of a folder, by name.
  func contents(_ folder: URL) throws -> [String: Data] {
    let names = try FileManager.default.contentsOfDirectory(atPath: folder.path)
    return try Dictionary(uniqueKeysWithValues: names.map { ($0, try Data(contentsOf: folder.appendingPathComponent($0))) })
  }

  /// Runs the recorded command (its words after `swift run -c release gradlab`, split as a
  /// shell would for the quoting `command` uses) in `directory`.
  func replay(_ folder: URL, in directory: URL) throws -> Int32 {
    let record = try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("decay_config.json"))) as? [String: Any]
    let command = try #require(record?["command"] as? String)
    let prefix = "swift run -c release gradlab "
    #expect(command.hasPrefix(prefix))
    let words = shellWords(String(command.dropFirst(prefix.count)))
    return try gradlab(words, directory: directory).status
  }

  /// Splits on spaces, keeping single-quoted runs ('\'' is a quote) together.
  func shellWords(_ text: String) -> [String] {
    var words: [String] = []
    var current = ""
    var quoted = false
    var started = false
    for ch in text {
      if ch == "'" {
        quoted.toggle()
        started = true
      } else if ch == " " && !quoted {
        if started { words.append(current) }
        current = ""
        started = false
      } else {
        current.append(ch)
        started = true
      }
    }
    if started { words.append(current) }
    return words
  }

  @Test(arguments: [
    ["--models", "linear", "--precision", "full"],
    ["--models", "linear", "--sigmas", "0.5,3"],
  ])
  func importedLayerCommandReplaysByteForByte(flags: [String]) throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let weights = try linearWeights(in: folder)
    // A relative output folder, as typed; the replay runs in the same directory.
    let first = try gradlab(["decay", "--weights", weights.path, "--steps", "25", "--seeds", "2", "--output", "out"] + flags, directory: folder)
    #expect(first.status == 0, "stderr: \(first.stderr)")
    let out = folder.appendingPathComponent("out")
    let before = try contents(out)
    #expect(before["decay_layer.tsv"] != nil && before["decay_inputs.safetensors"] != nil)
    let settings = String(decoding: try #require(before["decay_settings.tsv"]), as: UTF8.self)
    #expect(settings.contains("models\tlinear") && settings.contains("source\tmy layer.safetensors"))
    #expect(try replay(out, in: folder) == 0)
    let after = try contents(out)
    #expect(after.keys.sorted() == before.keys.sorted())
    for (name, data) in before { #expect(after[name] == data, "\(name) differs after the replay") }
  }

  @Test func randomSweepCommandReplaysByteForByte() throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try gradlab(
      ["decay", "--models", "rnn,linear", "--sigmas", "0.5,2", "--matrix", "nonnormal", "--radius-ratio", "0.25", "--hidden", "5",
       "--input", "2", "--steps", "15", "--seeds", "2", "--forget-biases", "none", "--output", "out"], directory: folder)
    #expect(first.status == 0, "stderr: \(first.stderr)")
    let out = folder.appendingPathComponent("out")
    let before = try contents(out)
    #expect(before["decay_forget.tsv"] == nil, "--forget-biases none skips the cell-path experiment")
    #expect(try replay(out, in: folder) == 0)
    #expect(try contents(out) == before)
  }

  @Test(arguments: [
    (["--hidden", "8"], "--hidden does not apply to an imported layer"),
    (["--input", "2"], "--input does not apply"),
    (["--matrix", "gaussian"], "--matrix does not apply"),
    (["--lstm-forget-bias", "2"], "--lstm-forget-bias does not apply"),
    (["--forget-sigma", "1"], "--forget-sigma does not apply"),
    (["--forget-biases", "0,1"], "--forget-biases does not apply"),
    (["--models", "linear,rnn"], "holds one layer"),
    (["--models", "lstm"], "needs 12"),
  ])
  func flagsThatCannotApplyToAnImportedLayerAreRefused(flags: [String], message: String) throws {
    let folder = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let weights = try linearWeights(in: folder)
    let output = folder.appendingPathComponent("out")
    let result = try gradlab(["decay", "--weights", weights.path, "--steps", "5", "--output", output.path] + flags)
    #expect(result.status != 0)
    let firstLine = result.stderr.split(separator: "\n").first.map(String.init) ?? ""
    #expect(firstLine.contains(message), "the first line says what is wrong: \(result.stderr)")
    #expect(!FileManager.default.fileExists(atPath: output.path), "nothing written")
  }

  @Test(arguments: [
    (["--matrix", "nonnormal"], "needs --radius-ratio"),
    (["--radius-ratio", "0.5"], "applies to --matrix nonnormal only"),
    (["--matrix", "nonnormal", "--radius-ratio", "1.5"], "--radius-ratio must be in (0, 1]"),
    (["--matrix", "nonnormal", "--radius-ratio", "0.5", "--hidden", "1"], "--hidden 2 or more"),
    (["--matrix", "unitary"], "unitary"),
    (["--precision", "double"], "double"),
  ])
  func badMatrixAndPrecisionFlagsAreRefused(flags: [String], message: String) throws {
    let output = try emptyFolder()
    defer { try? FileManager.default.removeItem(at: output) }
    let result = try gradlab(["decay", "--steps", "3", "--output", output.path] + flags)
    #expect(result.status != 0)
    #expect(result.stderr.contains(message), "stderr: \(result.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path).isEmpty)
  }
}

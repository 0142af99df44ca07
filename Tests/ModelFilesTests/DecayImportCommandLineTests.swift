import Foundation
import Linalg
import Recurrent
import Storage
import TestSupport
import Testing

/// `gradlab decay --weights` on the PyTorch and Keras fixtures, end to end: every layer and
/// direction reported, the ReLU RNN against autograd on given inputs, the configuration of
/// an imported unit holding only what applied, refusals in one line.
/// The debug build of `gradlab` (`swift test` builds it first).
let builtGradLab: URL? = {
  let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
  let url = root.appendingPathComponent(".build/debug/gradlab")
  return FileManager.default.isExecutableFile(atPath: url.path) ? url : nil
}()

@Suite(.enabled(if: builtGradLab != nil, "the gradlab binary has not been built"))
struct DecayImportCommandLineTests {
  typealias R = ModelReferenceValues

  /// Runs gradlab (in `directory`, if given); returns its exit status, standard output and
  /// standard error.
  func run(_ arguments: [String], in directory: URL? = nil) throws -> (status: Int32, out: String, err: String) {
    let binary: URL = try #require(builtGradLab, "no executable .build/debug/gradlab: run `swift build` first")
    let process = Process()
    process.executableURL = binary
    process.arguments = arguments
    if let directory { process.currentDirectoryURL = directory }
    let (out, err) = (Pipe(), Pipe())
    (process.standardOutput, process.standardError) = (out, err)
    try process.run()
    let stdout = out.fileHandleForReading.readDataToEndOfFile()
    let stderr = err.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
  }

  func folder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-import-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  /// The TSV's lines split into cells, without the header.
  func rows(_ url: URL) throws -> [[String]] {
    try String(contentsOf: url, encoding: .utf8).split(separator: "\n").dropFirst().map { $0.split(separator: "\t").map(String.init) }
  }

  @Test func everyLayerAndDirectionIsReported() throws {
    let out = try folder()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try run(["decay", "--weights", ModelImportTests.fixture("gru_2layer_bidirectional.safetensors").path, "--steps", "8", "--seeds", "2", "--output", out.path])
    #expect(result.status == 0, "\(result.err)")
    let units = try rows(out.appendingPathComponent("decay_units.tsv"))
    #expect(units.map { [$0[0], $0[1], $0[3], $0[5]] } == [["0", "forward", "gru", "3"], ["0", "reverse", "gru", "3"], ["1", "forward", "gru", "8"], ["1", "reverse", "gru", "8"]])
    for (name, line) in zip(["l0", "l0_reverse", "l1", "l1_reverse"], ["layer 0 forward", "layer 0 reverse", "layer 1 forward", "layer 1 reverse"]) {
      #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("\(name)/decay_summary.tsv").path), "\(name)")
      #expect(result.out.contains(line), "\(line)")
    }
    #expect(result.out.contains("2 layers, two directions, 4 units analysed"))
  }

  @Test func reluRNNOnGivenInputsAgreesWithAutograd() throws {
    let out = try folder()
    defer { try? FileManager.default.removeItem(at: out) }
    let weights = ModelImportTests.fixture("rnn_relu.safetensors").path
    let inputs = ModelImportTests.fixture("inputs_t6_d3.safetensors").path
    let result = try run(["decay", "--weights", weights, "--nonlinearity", "relu", "--inputs", inputs, "--precision", "full", "--output", out.path])
    #expect(result.status == 0, "\(result.err)")
    #expect(result.out.contains("nonlinearity: relu, --nonlinearity"))
    let fed = try SafetensorsFile.read(from: out.appendingPathComponent("decay_inputs.safetensors"))
    #expect(relativeError(try fed.matrix("inputs.seed1", as: Double.self).storage, R.inputs) == 0)
    let u: Matrix<Double> = try fed.matrix("direction.seed1")
    let H = R.H
    // ||dL/dh_t|| = ||u J_t|| with J_t = dh_T/dh_t from autograd.
    let expected = (0...R.T).map { t in
      (0..<H).map { j in (0..<H).reduce(0.0) { $0 + u[0, $1] * R.reluRNNL0Forward[t * H * H + $1 * H + j] } }.reduce(0) { $0 + $1 * $1 }.squareRoot()
    }
    let table = try rows(out.appendingPathComponent("decay.tsv"))
    let header = try String(contentsOf: out.appendingPathComponent("decay.tsv"), encoding: .utf8).split(separator: "\n")[0].split(separator: "\t")
    let (tColumn, gradColumn) = (try #require(header.firstIndex(of: "t")), try #require(header.firstIndex(of: "grad_norm")))
    let measured = table.sorted { Int($0[tColumn])! < Int($1[tColumn])! }.map { Double($0[gradColumn])! }
    #expect(relativeError(measured, expected) < 1e-12)
    // Without the flag the same file is a tanh RNN, and the output says it assumed so.
    let tanh = try run(["decay", "--weights", weights, "--inputs", inputs, "--output", out.appendingPathComponent("tanh").path])
    #expect(tanh.out.contains("nonlinearity: tanh, assumed"))
  }

  @Test func theConfigurationRecordsOnlyWhatApplied() throws {
    let out = try folder()
    defer { try? FileManager.default.removeItem(at: out) }
    let result = try run(["decay", "--weights", ModelImportTests.fixture("keras_lstm.keras").path, "--steps", "5", "--seeds", "1", "--output", out.path])
    #expect(result.status == 0, "\(result.err)")
    let json = try String(contentsOf: out.appendingPathComponent("decay_config.json"), encoding: .utf8)
    for word in ["matrix", "lstmForgetBias", "forgetSigma", "forgetBiases", "radiusRatio", "orthogonal"] { #expect(!json.contains("\"\(word)\""), "\(word)") }
    #expect(json.contains("\"format\" : \"Keras .keras archive\"") && json.contains("\"cell\" : \"lstm\""))
    #expect(result.out.contains("not used: optimizer/ (14 tensors") && result.out.contains("unit_forget_bias=true"))
  }

  /// HDF5 opens the archive's weights in memory under a file name; a file of that name in the
  /// current folder (an unzipped .keras archive leaves one) must not stand in the way.
  @Test func aKerasArchiveReadsBesideAnUnzippedCopyOfIt() throws {
    let out = try folder()
    defer { try? FileManager.default.removeItem(at: out) }
    try Data("not the weights".utf8).write(to: out.appendingPathComponent("model.weights.h5"))
    let result = try run(["decay", "--weights", ModelImportTests.fixture("keras_lstm.keras").path, "--steps", "5", "--seeds", "1", "--output", "decay"], in: out)
    #expect(result.status == 0, "\(result.err)")
    #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("decay/decay_config.json").path))
  }

  @Test func refusalsAreOneLineAndWriteNothing() throws {
    let out = try folder()
    defer { try? FileManager.default.removeItem(at: out) }
    for (file, words) in [("two_modules.safetensors", ["--prefix"]), ("lstm_proj.safetensors", ["weight_hr_l0", "proj_size"]), ("keras_go_backwards.keras", ["lstm_4", "go_backwards"])] {
      let result = try run(["decay", "--weights", ModelImportTests.fixture(file).path, "--output", out.appendingPathComponent("x").path])
      #expect(result.status != 0)
      let lines = result.err.split(separator: "\n")
      #expect(lines.count == 1 && words.allSatisfy { lines[0].contains($0) } && lines[0].contains(file), "\(result.err)")
      #expect(!FileManager.default.fileExists(atPath: out.appendingPathComponent("x/decay.tsv").path))
    }
  }
}

import Foundation
import IMDB
import Linalg
import Storage
import Testing
import Training

/// What a resume must refuse or keep: a damaged checkpoint, other data, a folder another run
/// holds, the epochs config.json states, temporary files of a stopped run.
@Suite struct ResumeSafetyTests {
  let data = TrainingRunTests.syntheticData(seed: 6)

  func train(epochs: Int, resume: Bool = false, data: IMDBData? = nil, in output: URL) throws {
    _ = try TrainingRun(configuration: TrainingRunTests.configuration(epochs: epochs), data: data ?? self.data, output: output)
      .run(resume: resume, reporter: TrainingReporter())
  }

  func checkpointMismatch(_ body: () throws -> Void) -> String {
    do {
      try body()
    } catch let error as TrainingError {
      return error.description
    } catch {
      return "unexpected \(error)"
    }
    return "no error"
  }

  func newOutput() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-resume-\(UUID().uuidString)")
  }

  @Test func aBitFlipInTheTensorDataIsFoundOnResume() throws {
    let output = newOutput()
    defer { try? FileManager.default.removeItem(at: output) }
    try train(epochs: 1, in: output)
    let checkpoint = output.appendingPathComponent("checkpoint.safetensors")
    var bytes = [UInt8](try Data(contentsOf: checkpoint))
    bytes[bytes.count - 3] ^= 0x10  // the last tensor's data
    try Data(bytes).write(to: checkpoint)
    let message = checkpointMismatch { try train(epochs: 2, resume: true, in: output) }
    #expect(message.contains(checkpoint.path) && message.contains("checksum"), "\(message)")
  }

  @Test func aChangedHeaderIsFoundOnResume() throws {
    let output = newOutput()
    defer { try? FileManager.default.removeItem(at: output) }
    try train(epochs: 2, in: output)
    let checkpoint = output.appendingPathComponent("checkpoint.safetensors")
    var text = [UInt8](try Data(contentsOf: checkpoint))
    // "epoch":"2" becomes "epoch":"3" in the JSON header, one bit.
    let needle = Array("\"epoch\":\"2\"".utf8)
    let at = try #require((0...(text.count - needle.count)).first { Array(text[$0..<($0 + needle.count)]) == needle })
    text[at + needle.count - 2] ^= 0x01
    try Data(text).write(to: checkpoint)
    let message = checkpointMismatch { try train(epochs: 3, resume: true, in: output) }
    #expect(message.contains(checkpoint.path) && message.contains("checksum"), "\(message)")
  }

  @Test func nonFiniteWeightsWithAFittingChecksumAreRefusedByName() throws {
    let output = newOutput()
    defer { try? FileManager.default.removeItem(at: output) }
    try train(epochs: 1, in: output)
    let checkpoint = output.appendingPathComponent("checkpoint.safetensors")
    var file = try SafetensorsFile.read(from: checkpoint)
    let name = "recurrent.recurrent_kernel"
    var tensor = try #require(file.tensors[name])
    tensor.bytes.replaceSubrange(4..<8, with: [0x00, 0x00, 0xC0, 0x7F])  // element 1: NaN
    file.tensors[name] = tensor
    file.metadata[SafetensorsFile.checksumKey] = file.checksum
    try file.write(to: checkpoint)
    let message = checkpointMismatch { try train(epochs: 2, resume: true, in: output) }
    #expect(message.contains(name) && message.contains("element 1") && !message.contains("learning-rate"), "\(message)")
  }

  @Test func checkpointsWithATensorChecksumOnlyAreCheckedOnTheirTensors() throws {
    let output = newOutput()
    defer { try? FileManager.default.removeItem(at: output) }
    try train(epochs: 1, in: output)
    let checkpoint = output.appendingPathComponent("checkpoint.safetensors")
    var file = try SafetensorsFile.read(from: checkpoint)
    file.metadata[SafetensorsFile.checksumKey] = nil
    file.metadata["tensor_checksum"] = file.tensorChecksum
    try file.write(to: checkpoint)
    #expect(try TrainingCheckpoint.read(from: checkpoint).epoch == 1)
    file.metadata["tensor_checksum"] = "fnv1a64:0000000000000000"
    try file.write(to: checkpoint)
    #expect(checkpointMismatch { _ = try TrainingCheckpoint.read(from: checkpoint) }.contains("tensor data do not match"))
  }

  @Test func resumingOnOtherDataIsRefused() throws {
    let output = newOutput()
    defer { try? FileManager.default.removeItem(at: output) }
    try train(epochs: 1, in: output)
    let other = TrainingRunTests.syntheticData(seed: 7)
    let message = checkpointMismatch { try train(epochs: 2, resume: true, data: other, in: output) }
    #expect(message.contains("other data") && message.contains(other.fingerprint), "\(message)")
    #expect(other.fingerprint != data.fingerprint && data.fingerprint == TrainingRunTests.syntheticData(seed: 6).fingerprint)
  }

  @Test func aLowerEpochCountLeavesConfigJSONAlone() throws {
    let output = newOutput()
    defer { try? FileManager.default.removeItem(at: output) }
    try train(epochs: 2, in: output)
    let config = output.appendingPathComponent("config.json")
    let before = try Data(contentsOf: config)
    try train(epochs: 1, resume: true, in: output)
    #expect(try Data(contentsOf: config) == before)
    #expect(String(decoding: before, as: UTF8.self).contains("\"epochs\" : 2"))
  }

  @Test func aFolderAnotherRunHoldsIsRefused() throws {
    let output = newOutput()
    defer { try? FileManager.default.removeItem(at: output) }
    try FileManager.default.createDirectory(at: output, withIntermediateDirectories: true)
    let other = try OutputFolderLock(output)
    #expect(throws: OutputFolderInUse(folder: output.path, pid: getpid())) { try train(epochs: 1, in: output) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: output.path) == [OutputFolderLock.fileName])
    other.release()
  }

  @Test func aRunRemovesTheTemporaryFilesOfAStoppedOne() throws {
    let output = newOutput()
    defer { try? FileManager.default.removeItem(at: output) }
    try train(epochs: 1, in: output)
    let stale = output.appendingPathComponent(".checkpoint.safetensors.5F1C.tmp")
    try Data(count: 100).write(to: stale)
    try train(epochs: 2, resume: true, in: output)
    let names = try FileManager.default.contentsOfDirectory(atPath: output.path)
    #expect(!names.contains { $0.hasSuffix(".tmp") } && !names.contains(OutputFolderLock.fileName), "\(names)")
  }
}

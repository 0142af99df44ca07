import Foundation
import Linalg
import Recurrent
import SeededRandom
import Storage
import Testing

/// A fresh empty folder under the system temporary directory.
private func makeTemporaryFolder() throws -> URL {
  let url = FileManager.default.temporaryDirectory
    .appendingPathComponent("safetensors-tests-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  return url
}

/// A file laid out by hand following the format: u64 little-endian header length, the JSON
/// header padded with spaces to a multiple of 8 (as Python's `safetensors` does), the data.
private func handMadeFile(header: String, data: [UInt8]) -> [UInt8] {
  var json = Array(header.utf8)
  json += [UInt8](repeating: UInt8(ascii: " "), count: (8 - json.count % 8) % 8)
  var length = UInt64(json.count)
  var bytes: [UInt8] = []
  for _ in 0..<8 {
    bytes.append(UInt8(length & 0xFF))
    length >>= 8
  }
  return bytes + json + data
}

private func littleEndian<T: FixedWidthInteger>(_ values: [T]) -> [UInt8] {
  values.flatMap { v in (0..<MemoryLayout<T>.size).map { UInt8(truncatingIfNeeded: v >> ($0 * 8)) }
  }
}

/// The raw bytes of the storage, so NaN payloads, -0 and subnormals compare exactly.
private func bits<S: BLASScalar>(_ m: Matrix<S>) -> [UInt8] {
  m.storage.withUnsafeBytes { Array($0) }
}

@Suite struct SafetensorsTests {
  /// Ordinary values plus the ones that a lossy path would change.
  func awkwardMatrix<S: BLASScalar>(_: S.Type) -> Matrix<S> {
    var rng = SeededGenerator(seed: 7)
    var m: Matrix<S> = Initializer.scaledNormal(rows: 3, cols: 5, std: 1, using: &rng)
    m.storage[0] = -0.0
    m.storage[1] = S.leastNonzeroMagnitude
    m.storage[2] = S.greatestFiniteMagnitude
    m.storage[3] = -S.infinity
    m.storage[4] = S.nan
    m.storage[5] = S(1) / 3
    return m
  }

  func roundTrip<S: BLASScalar>(_: S.Type) throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let weights = awkwardMatrix(S.self)
    let bias = Matrix<S>([[1, -2, 0.25]])
    var file = SafetensorsFile()
    file.set("layer/kernel", weights)
    file.setVector("layer/bias", bias)
    file.metadata = ["seed": "7", "quote": "it's \"quoted\"\n"]
    let url = folder.appendingPathComponent("weights.safetensors")
    try file.write(to: url)

    let back = try SafetensorsFile.read(from: url)
    #expect(back.tensors == file.tensors)
    #expect(back.metadata == file.metadata)
    #expect(back.tensors["layer/kernel"]?.shape == [3, 5])
    #expect(back.tensors["layer/kernel"]?.dtype == S.safetensorsDType)
    #expect(back.tensors["layer/bias"]?.shape == [3])
    let kernel: Matrix<S> = try back.matrix("layer/kernel", rows: 3, cols: 5)
    #expect(bits(kernel) == bits(weights))
    #expect(try back.matrix("layer/bias", as: S.self) == bias)

    // Same contents, same bytes; the header keeps the data 8-byte aligned.
    let again = folder.appendingPathComponent("again.safetensors")
    try back.write(to: again)
    let bytes = try Data(contentsOf: url)
    #expect(try Data(contentsOf: again) == bytes)
    #expect(bytes.prefix(8).reversed().reduce(0) { $0 << 8 | Int($1) } % 8 == 0)
  }

  @Test func float32RoundTripIsBitIdentical() throws { try roundTrip(Float.self) }
  @Test func float64RoundTripIsBitIdentical() throws { try roundTrip(Double.self) }

  @Test func readsAFileLaidOutLikePythonsWriter() throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    // PyTorch-style names, metadata first, a 1-D bias, F64, F16, BF16 and an integer tensor.
    let header = """
      {"__metadata__":{"format":"pt"},\
      "fc.bias":{"dtype":"F32","shape":[3],"data_offsets":[0,12]},\
      "fc.weight":{"dtype":"F64","shape":[2,3],"data_offsets":[12,60]},\
      "half":{"dtype":"F16","shape":[2,2],"data_offsets":[60,68]},\
      "brain":{"dtype":"BF16","shape":[2],"data_offsets":[68,72]},\
      "steps":{"dtype":"I64","shape":[1],"data_offsets":[72,80]}}
      """
    let bias: [Float] = [1, -2, 0.5]
    let weight: [Double] = [0.1, 0.2, 0.3, -4, 5e-300, 6]
    let data =
      littleEndian(bias.map(\.bitPattern)) + littleEndian(weight.map(\.bitPattern))
      + littleEndian([UInt16(0x3C00), 0xC000, 0x0001, 0x7C00])  // 1, -2, 2^-24, +inf
      + littleEndian([UInt16(0x3F80), 0x4049])  // 1, 3.140625
      + littleEndian([Int64(42)])
    let url = folder.appendingPathComponent("torch.safetensors")
    try Data(handMadeFile(header: header, data: data)).write(to: url)

    let file = try SafetensorsFile.read(from: url)
    #expect(file.metadata == ["format": "pt"])
    #expect(Set(file.tensors.keys) == ["fc.bias", "fc.weight", "half", "brain", "steps"])
    #expect(try file.matrix("fc.bias", rows: 1, cols: 3) == Matrix<Float>([bias]))
    #expect(
      try file.matrix("fc.weight", rows: 2, cols: 3)
        == Matrix<Double>(rows: 2, cols: 3, storage: weight))
    // F64 read as Float rounds; F32 read as Double is exact.
    #expect(try file.matrix("fc.weight", as: Float.self).storage == weight.map { Float($0) })
    #expect(try file.matrix("fc.bias", as: Double.self).storage == bias.map { Double($0) })
    #expect(try file.matrix("half", as: Double.self).storage == [1, -2, 0x1p-24, .infinity])
    #expect(try file.matrix("brain", as: Float.self).storage == [1, 3.140625])
    #expect(
      throws: SafetensorsError.notFloatingPoint(
        file: url.path, tensor: "steps", dtype: "I64", shape: [1])
    ) {
      try file.matrix("steps", as: Double.self)
    }
  }

  @Test func truncatedFilesAreRejected() throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var file = SafetensorsFile()
    file.set("w", Matrix<Float>(rows: 4, cols: 4, repeating: 1))
    let url = folder.appendingPathComponent("w.safetensors")
    try file.write(to: url)
    let bytes = [UInt8](try Data(contentsOf: url))
    let headerLength = bytes.count - 64 - 8

    let cases: [(keep: Int, error: SafetensorsError)] = [
      (5, .tooShort(file: url.path, byteCount: 5)),
      (
        20,
        .headerLengthBeyondFile(file: url.path, headerLength: UInt64(headerLength), available: 12)
      ),
      (
        bytes.count - 1,
        .offsetsOutOfRange(file: url.path, tensor: "w", offsets: [0, 64], dataByteCount: 63)
      ),
    ]
    for (keep, expected) in cases {
      try Data(bytes.prefix(keep)).write(to: url)
      #expect(throws: expected) { try SafetensorsFile.read(from: url) }
    }
    let missing = folder.appendingPathComponent("nothing.safetensors")
    #expect(throws: SafetensorsError.fileMissing(file: missing.path)) {
      try SafetensorsFile.read(from: missing)
    }
  }

  @Test func badHeaderLengthNamesTheFileAndTheLength() throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("bad.safetensors")
    try Data([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF] + Array("{}".utf8)).write(to: url)
    let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile.read(from: url) }
    #expect(error == .headerLengthBeyondFile(file: url.path, headerLength: .max, available: 2))
    #expect(error?.description.contains(url.path) == true)
    #expect(error?.description.contains("\(UInt64.max)-byte header") == true)
  }

  /// Headers that violate the format, each with the error it must produce.
  static let invalidHeaders:
    [(header: String, dataBytes: Int, error: @Sendable (String) -> SafetensorsError)] = [
      ("not json", 0, { .headerNotJSON(file: $0, reason: "") }),
      (
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}"#,
        12, { .overlappingTensors(file: $0, first: "a", second: "b") }
      ),
      (
        #"{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#,
        8,
        {
          .sizeMismatch(file: $0, tensor: "a", dtype: "F32", shape: [3], byteCount: 8, expected: 12)
        }
      ),
      (
        #"{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#,
        8, { .unknownDType(file: $0, tensor: "a", dtype: "F33") }
      ),
      (
        #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}"#,
        8, { .offsetsOutOfRange(file: $0, tensor: "a", offsets: [8, 0], dataByteCount: 8) }
      ),
      (
        #"{"a":{"dtype":"F32","shape":[2]}}"#,
        0, { .malformedEntry(file: $0, tensor: "a", reason: "") }
      ),
      (
        #"{"a":{"dtype":"F32","shape":[-1, -8],"data_offsets":[0,8]}}"#,
        8, { .malformedEntry(file: $0, tensor: "a", reason: "") }
      ),
    ]

  @Test(arguments: 0..<invalidHeaders.count)
  func invalidHeadersAreRejected(index: Int) throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let (header, dataBytes, makeError) = Self.invalidHeaders[index]
    let url = folder.appendingPathComponent("invalid.safetensors")
    try Data(handMadeFile(header: header, data: [UInt8](repeating: 0, count: dataBytes))).write(
      to: url)
    let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile.read(from: url) }
    // Free-text reasons come from the JSON parser; compare those cases by kind only.
    switch (error, makeError(url.path)) {
    case (.headerNotJSON(let file, _)?, .headerNotJSON),
      (.malformedEntry(let file, "a", _)?, .malformedEntry):
      #expect(file == url.path)
    case (let actual, let expected):
      #expect(actual == expected)
    }
    #expect(error?.description.contains(url.path) == true)
  }

  @Test func missingFieldMessageNamesTheTensorAndTheField() throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let url = folder.appendingPathComponent("nofield.safetensors")
    try Data(handMadeFile(header: #"{"rnn.weight":{"dtype":"F32","shape":[0]}}"#, data: [])).write(
      to: url)
    let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile.read(from: url) }
    #expect(error?.description.contains("'rnn.weight'") == true)
    #expect(error?.description.contains("data_offsets") == true)
  }

  @Test func missingTensorMessageListsTheNamesPresent() throws {
    var file = SafetensorsFile()
    file.set("lstm.kernel", Matrix<Float>(rows: 2, cols: 8))
    file.setVector("lstm.bias", Matrix<Float>(rows: 1, cols: 8))
    let error = #expect(throws: SafetensorsError.self) {
      try file.matrix("lstm.recurrent", as: Float.self)
    }
    #expect(
      error
        == .missingTensor(
          file: "(in memory)", tensor: "lstm.recurrent", available: ["lstm.bias", "lstm.kernel"]))
    #expect(
      error?.description.contains(
        "no tensor 'lstm.recurrent'; tensors present: lstm.bias, lstm.kernel") == true)
  }

  @Test func shapeMismatchMessageNamesTheTensorAndBothShapes() throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var file = SafetensorsFile()
    file.set("dense.kernel", Matrix<Double>(rows: 2, cols: 3))
    let url = folder.appendingPathComponent("dense.safetensors")
    try file.write(to: url)
    let read = try SafetensorsFile.read(from: url)
    let error = #expect(throws: SafetensorsError.self) {
      try read.matrix("dense.kernel", rows: 3, cols: 2) as Matrix<Double>
    }
    #expect(
      error
        == .shapeMismatch(
          file: url.path, tensor: "dense.kernel", dtype: "F64", shape: [2, 3], expected: [3, 2]))
    #expect(
      error?.description
        == "safetensors file \(url.path): tensor 'dense.kernel' (F64) has shape [2, 3], expected [3, 2]"
    )
  }

  @Test func tensorsOfRankThreeAreNotMatrices() throws {
    var file = SafetensorsFile()
    file.tensors["conv"] = .init(
      dtype: "F32", shape: [1, 2, 2], bytes: [UInt8](repeating: 0, count: 16))
    #expect(
      throws: SafetensorsError.unsupportedRank(
        file: "(in memory)", tensor: "conv", dtype: "F32", shape: [1, 2, 2])
    ) {
      try file.matrix("conv", as: Float.self)
    }
  }

  @Test func failedWritesLeaveNoTemporaryFileAndKeepTheOldFile() throws {
    let folder = try makeTemporaryFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    var file = SafetensorsFile()
    file.set("w", Matrix<Float>([[1, 2], [3, 4]]))
    let url = folder.appendingPathComponent("checkpoint.safetensors")
    try file.write(to: url)
    try file.write(to: url)  // overwriting works
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["checkpoint.safetensors"]
    )
    let good = try Data(contentsOf: url)

    // A tensor whose bytes do not match its shape: rejected before anything is written.
    file.tensors["broken"] = .init(dtype: "F32", shape: [3], bytes: [0, 0, 0, 0])
    #expect(
      throws: SafetensorsError.sizeMismatch(
        file: url.path, tensor: "broken", dtype: "F32", shape: [3], byteCount: 4, expected: 12)
    ) {
      try file.write(to: url)
    }
    #expect(try Data(contentsOf: url) == good)
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["checkpoint.safetensors"]
    )

    // A folder that does not exist: an error naming the file, and nothing created.
    let missingFolder = folder.appendingPathComponent("no-such-folder")
    let target = missingFolder.appendingPathComponent("checkpoint.safetensors")
    let error = #expect(throws: SafetensorsError.self) { try SafetensorsFile().write(to: target) }
    #expect(error?.description.contains(target.path) == true)
    #expect(!FileManager.default.fileExists(atPath: missingFolder.path))
    #expect(
      try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["checkpoint.safetensors"]
    )
  }

  @Test func reservedMetadataNameCannotHoldATensor() throws {
    var file = SafetensorsFile()
    file.set("__metadata__", Matrix<Float>(rows: 1, cols: 1))
    let url = FileManager.default.temporaryDirectory.appendingPathComponent(
      "reserved-\(UUID().uuidString).safetensors")
    #expect(throws: SafetensorsError.self) { try file.write(to: url) }
    #expect(!FileManager.default.fileExists(atPath: url.path))
  }
}

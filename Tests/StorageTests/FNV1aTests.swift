import Foundation
import SeededRandom
import Storage
import Testing

/// FNV-1a against values computed without GradLab (Reference/fnv1a_reference.py), and the
/// incremental `add` against the byte-at-a-time definition on random bytes, lengths and
/// offsets: the checksums already stored in checkpoints stay valid.
@Suite struct FNV1aTests {
  /// h = (h XOR byte) * prime, one byte at a time: the definition.
  static func byteAtATime(_ bytes: ArraySlice<UInt8>, from start: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    bytes.reduce(start) { ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3 }
  }

  static let data = [UInt8]((0..<4).flatMap { _ in 0...255 }) + Array("GradLab".utf8)

  /// Printed by `python3 Reference/fnv1a_reference.py`: (prefix length, FNV-1a 64).
  static let reference: [(Int, UInt64)] = [
    (0, 0xcbf29ce484222325), (1, 0xaf63bd4c8601b7df), (7, 0x841bdba5e4298608), (8, 0xa4dc49e2b28ecb7d),
    (9, 0xb11d013568a3b7cf), (15, 0xb6b4c29669075e38), (16, 0x7c84dc9477851775), (17, 0x1ada35471726c09f),
    (1031, 0xfe2d987408e1e3f8),
  ]

  @Test func prefixesMatchTheReference() {
    #expect(Self.data.count == 1031)
    for (length, expected) in Self.reference {
      var hash = FNV1a()
      hash.add(Array(Self.data[..<length]))
      #expect(hash.value == expected, "prefix of \(length) bytes: \(hash.hex)")
    }
  }

  /// The published test vector of "a" (FNV-1a 64), through `add(String)`'s bytes and its 0 byte.
  @Test func theLetterAMatchesThePublishedVector() {
    var hash = FNV1a()
    hash.add(Array("a".utf8))
    #expect(hash.hex == "af63dc4c8601ec8c")
    var text = FNV1a()
    text.add("a")
    #expect(text.value == Self.byteAtATime([0x61, 0]))
  }

  /// Checkpoints committed before this loop: a whole-file checksum and an older tensor-only one.
  @Test(arguments: ["plots/data/tasks/modern/first-1000-rnn-seed2/checkpoint.safetensors", "Tests/ModelFilesTests/Fixtures/gradlab_checkpoint.safetensors"])
  func committedCheckpointsMatchTheirStoredChecksums(path: String) throws {
    let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    let file = try SafetensorsFile.read(from: repository.appendingPathComponent(path))
    #expect(file.metadata[SafetensorsFile.checksumKey] != nil || file.metadata["tensor_checksum"] != nil)
    #expect(file.checksumProblem == nil, "\(file.checksumProblem ?? "")")
  }

  @Test func randomBytesMatchTheByteAtATimeDefinition() {
    var rng = SeededGenerator(seed: 17)
    for _ in 0..<200 {
      let count = Int(rng.next() % 300)
      let bytes = (0..<count).map { _ in UInt8(truncatingIfNeeded: rng.next()) }
      // Unaligned starts and several pieces: the value depends on the bytes alone.
      let cut = count == 0 ? 0 : Int(rng.next() % UInt64(count + 1))
      var hash = FNV1a()
      bytes[..<cut].withUnsafeBytes { hash.add($0) }
      bytes[cut...].withUnsafeBytes { hash.add($0) }
      #expect(hash.value == Self.byteAtATime(bytes[...]), "\(count) bytes cut at \(cut)")
    }
  }
}

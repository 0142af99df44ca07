import CZlib
import Foundation
import Storage

/// A binary cache of encoded `IMDBData`, one file per (source, options) pair.
///
/// Layout (little-endian): the magic "GLIMDB\r\n", the format version (UInt32), the payload
/// length (UInt64) and its CRC-32 (UInt32), then the payload: the key string, the
/// vocabulary (count, then length-prefixed UTF-8 words) and the train, validation and test
/// splits (count N, length T, N*T Int32 tokens, N Float labels as bit patterns, N Int32
/// lengths). A file that fails any check is treated as absent.
struct IMDBCache {
  /// Bump whenever the file layout or the meaning of the encoded data changes.
  // 2: shuffles drawn with SeededGenerator's own bounded integers.
  static let formatVersion: UInt32 = 2
  private static let magic = Array("GLIMDB\r\n".utf8)

  /// What a cache lookup found.
  enum Lookup {
    case hit(IMDBData)
    case missing
    case invalid
  }

  let file: URL
  /// Everything the cached data depends on, stored in the file and compared on reading.
  private let key: String

  init(directory: URL, source: SourceInfo, options: IMDBOptions) {
    key = [
      "format \(Self.formatVersion)", "source \(source.path)", "size \(source.size)",
      "modified \(source.modified.bitPattern)", "vocabularySize \(options.vocabularySize)",
      "sequenceLength \(options.sequenceLength)", "padding \(options.padding.rawValue)",
      "validationFraction \(options.validationFraction.bitPattern)",
      "shuffleSeed \(options.shuffleSeed)",
    ].joined(separator: "\n")
    file = directory.appendingPathComponent("imdb-\(Self.fnv1a(key)).bin")
  }

  /// The cached data if the file exists, is intact and was written for this key.
  func read() -> Lookup {
    guard let data = FileManager.default.contents(atPath: file.path) else { return .missing }
    let bytes = [UInt8](data)
    let headerSize = Self.magic.count + 4 + 8 + 4
    var header = ByteReader(bytes, from: Self.magic.count)
    guard bytes.starts(with: Self.magic),
      header.read(UInt32.self) == Self.formatVersion,
      header.read(UInt64.self) == UInt64(bytes.count - headerSize),
      header.read(UInt32.self) == Self.crc32(bytes[headerSize...])
    else { return .invalid }
    var payload = ByteReader(bytes, from: headerSize)
    guard payload.readString() == key,
      let vocabulary = Self.readVocabulary(&payload),
      let train = Self.readSplit(&payload),
      let validation = Self.readSplit(&payload),
      let test = Self.readSplit(&payload),
      payload.isAtEnd
    else { return .invalid }
    return .hit(IMDBData(train: train, validation: validation, test: test, vocabulary: vocabulary))
  }

  /// Writes `data` to a temporary file in the cache folder and renames it into place, so a
  /// reader never sees a half-written cache.
  func write(_ data: IMDBData) throws {
    var payload = ByteWriter()
    payload.append(key)
    payload.append(UInt32(data.vocabulary.count))
    for word in data.vocabulary { payload.append(word) }
    for split in [data.train, data.validation, data.test] {
      payload.append(UInt32(split.count))
      payload.append(UInt32(split.length))
      payload.append(split.tokens)
      payload.append(split.labels.map(\.bitPattern))
      payload.append(split.lengths)
    }
    var file = ByteWriter()
    file.append(Self.magic)
    file.append(Self.formatVersion)
    file.append(UInt64(payload.bytes.count))
    file.append(Self.crc32(payload.bytes[...]))
    let directory = self.file.deletingLastPathComponent()
    _ = try OutputFolder.createMissing(directory)
    try AtomicFile.write(Data(file.bytes + payload.bytes), to: self.file)
  }

  private static func readVocabulary(_ reader: inout ByteReader) -> [String]? {
    guard let count = reader.read(UInt32.self) else { return nil }
    var words: [String] = []
    for _ in 0..<count {
      guard let word = reader.readString() else { return nil }
      words.append(word)
    }
    return words
  }

  private static func readSplit(_ reader: inout ByteReader) -> EncodedSplit? {
    guard let count = reader.read(UInt32.self).map(Int.init),
      let length = reader.read(UInt32.self).map(Int.init), length > 0,
      let tokens = reader.readArray(Int32.self, count: count * length),
      let labels = reader.readArray(UInt32.self, count: count),
      let lengths = reader.readArray(Int32.self, count: count)
    else { return nil }
    return EncodedSplit(
      tokens: tokens, labels: labels.map(Float.init(bitPattern:)), lengths: lengths,
      length: length)
  }

  /// zlib's CRC-32 of `bytes`.
  private static func crc32(_ bytes: ArraySlice<UInt8>) -> UInt32 {
    bytes.withUnsafeBufferPointer { buffer in
      UInt32(CZlib.crc32(0, buffer.baseAddress, UInt32(buffer.count)))
    }
  }

  /// 64-bit FNV-1a of `text` in hex: a stable file name for a key.
  private static func fnv1a(_ text: String) -> String {
    let hash = text.utf8.reduce(UInt64(0xcbf2_9ce4_8422_2325)) {
      ($0 ^ UInt64($1)) &* 0x0000_0100_0000_01b3
    }
    return String(hash, radix: 16)
  }
}

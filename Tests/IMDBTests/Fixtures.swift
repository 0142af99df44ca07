import CSystemZlib
import Foundation
import IMDB

/// One file of a test archive.
struct TarEntry {
  enum Kind { case file, directory }
  var path: String
  var contents: [UInt8]
  var kind: Kind = .file

  init(_ path: String, _ text: String, kind: Kind = .file) {
    self.path = path
    self.contents = Array(text.utf8)
    self.kind = kind
  }
}

/// A minimal tar writer: ustar headers, with a GNU 'L' entry for names over 100 bytes, or a
/// pax 'x' entry instead when `pax` is set.
enum TarWriter {
  static func archive(_ entries: [TarEntry], pax: Bool = false) -> [UInt8] {
    var out: [UInt8] = []
    for entry in entries {
      let type: UInt8 = entry.kind == .file ? UInt8(ascii: "0") : UInt8(ascii: "5")
      if entry.path.utf8.count > 100 {
        if pax {
          let record = paxRecord("path", entry.path)
          out += header(name: "PaxHeaders/long", size: record.count, type: UInt8(ascii: "x"))
          out += padded(record)
        } else {
          let name = Array(entry.path.utf8) + [0]
          out += header(name: "././@LongLink", size: name.count, type: UInt8(ascii: "L"))
          out += padded(name)
        }
      }
      out += header(name: entry.path, size: entry.contents.count, type: type)
      out += padded(entry.contents)
    }
    return out + [UInt8](repeating: 0, count: 1024)
  }

  /// A 512-byte ustar header with a valid checksum.
  static func header(name: String, size: Int, type: UInt8) -> [UInt8] {
    var block = [UInt8](repeating: 0, count: 512)
    func put(_ text: String, at offset: Int) {
      for (i, byte) in text.utf8.prefix(100).enumerated() { block[offset + i] = byte }
    }
    put(name, at: 0)
    put("0000644", at: 100)
    put("0000000", at: 108)
    put("0000000", at: 116)
    put(String(format: "%011o", size), at: 124)
    put("00000000000", at: 136)
    block[156] = type
    put("ustar", at: 257)
    put("00", at: 263)
    put("        ", at: 148)
    let sum = block.reduce(0) { $0 + Int($1) }
    put(String(format: "%06o", sum), at: 148)
    block[154] = 0
    return block
  }

  static func padded(_ bytes: [UInt8]) -> [UInt8] {
    bytes + [UInt8](repeating: 0, count: (512 - bytes.count % 512) % 512)
  }

  /// "<length> key=value\n", where length counts itself.
  static func paxRecord(_ key: String, _ value: String) -> [UInt8] {
    let body = " \(key)=\(value)\n"
    var length = body.utf8.count + 1
    while String(length).utf8.count + body.utf8.count != length { length += 1 }
    return Array("\(length)\(body)".utf8)
  }
}

/// gzip (RFC 1952) through zlib's deflate, as `gzip -9` would write it.
func gzip(_ bytes: [UInt8]) -> [UInt8] {
  var stream = z_stream()
  // 15 + 16: a 32 KiB window with a gzip header and trailer.
  guard
    deflateInit2_(
      &stream, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
      Int32(MemoryLayout<z_stream>.size)) == Z_OK
  else { fatalError("deflateInit2_ failed") }
  defer { deflateEnd(&stream) }
  var input = bytes
  var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(bytes.count))) + 64)
  let written = input.withUnsafeMutableBufferPointer { inBuffer in
    output.withUnsafeMutableBufferPointer { outBuffer in
      stream.next_in = inBuffer.baseAddress
      stream.avail_in = UInt32(inBuffer.count)
      stream.next_out = outBuffer.baseAddress
      stream.avail_out = UInt32(outBuffer.count)
      guard deflate(&stream, Z_FINISH) == Z_STREAM_END else { fatalError("deflate failed") }
      return outBuffer.count - Int(stream.avail_out)
    }
  }
  return Array(output[..<written])
}

/// A fresh temporary folder, removed by the caller with `cleanUp`.
struct TemporaryFolder {
  let url: URL

  init() throws {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("imdb-tests-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  func write(_ bytes: [UInt8], to name: String) throws -> URL {
    let file = url.appendingPathComponent(name)
    try FileManager.default.createDirectory(
      at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: file)
    return file
  }

  /// Unpacks `entries` below `name`.
  func unpack(_ entries: [TarEntry], into name: String) throws -> URL {
    for entry in entries {
      let path = name + "/" + entry.path
      if entry.kind == .directory {
        try FileManager.default.createDirectory(
          at: url.appendingPathComponent(path), withIntermediateDirectories: true)
      } else {
        _ = try write(entry.contents, to: path)
      }
    }
    return url.appendingPathComponent(name)
  }

  func cleanUp() {
    try? FileManager.default.removeItem(at: url)
  }
}

/// A small aclImdb tree: 6 training and 4 test reviews plus every kind of file the official
/// release adds, which the loader must ignore.
enum Sample {
  static let reviews: [TarEntry] = [
    TarEntry("aclImdb/train/pos/0_9.txt", "Great film.<br /><br />Great acting, great story!"),
    TarEntry("aclImdb/train/pos/1_8.txt", "A great, moving story."),
    TarEntry("aclImdb/train/pos/10_10.txt", "Loved it. Loved the story."),
    TarEntry("aclImdb/train/neg/0_1.txt", "Awful film; awful acting."),
    TarEntry("aclImdb/train/neg/2_3.txt", "Boring story, boring film."),
    TarEntry("aclImdb/train/neg/11_2.txt", "Don't watch it."),
    TarEntry("aclImdb/test/pos/0_10.txt", "Great story."),
    TarEntry("aclImdb/test/pos/3_7.txt", "Wonderful, unseen word."),
    TarEntry("aclImdb/test/neg/0_2.txt", "Awful."),
    TarEntry("aclImdb/test/neg/5_4.txt", "Boring and awful."),
  ]

  static let officialExtras: [TarEntry] = [
    TarEntry("aclImdb", "", kind: .directory),
    TarEntry("aclImdb/README", "Large Movie Review Dataset v1.0"),
    TarEntry("aclImdb/imdb.vocab", "the\nand\n"),
    TarEntry("aclImdb/train/labeledBow.feat", "9 0:9 1:1"),
    TarEntry("aclImdb/train/urls_pos.txt", "http://www.imdb.com/title/tt0453418/usercomments"),
    TarEntry("aclImdb/train/unsup/0_0.txt", "unsupervised unsupervised unsupervised"),
    TarEntry("aclImdb/train/pos/notes.txt", "stray file"),
    TarEntry("aclImdb/test/neg/7_x.txt", "not a review name"),
  ]

  /// Extras first, reviews in reverse order: the loader must sort them itself.
  static var official: [TarEntry] { officialExtras + reviews.reversed() }

  /// Options small enough that padding and the split are visible.
  static let options = IMDBOptions(
    vocabularySize: 8, sequenceLength: 6, padding: .pre, validationFraction: 0.5, shuffleSeed: 7)
}

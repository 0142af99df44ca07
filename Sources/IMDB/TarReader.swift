/// Reads a tar stream (ustar, GNU and pax) from a `GzipReader`, one 512-byte block at a time.
///
/// Understood: regular files (type '0' and NUL), GNU long names ('L'), pax extended headers
/// ('x', only `path=` is used), the ustar name prefix, octal and base-256 sizes. Every other
/// entry type (folders, links, pax globals...) is skipped. The archive ends at the first
/// all-zero block or when the stream ends between entries; the rest of the gzip stream is
/// then read to its end so that zlib verifies the CRC.
///
/// Sizes come from the archive, so none is trusted before it is read: an entry is read in
/// chunks of at most 1 MiB, so memory grows only with the bytes the archive really holds,
/// and a selected entry may not declare more than `maxSelectedEntryBytes`, a GNU long name
/// or pax header not more than `maxHeaderEntryBytes`.
struct TarReader {
  private static let blockSize = 512
  private static let chunkSize = 1 << 20
  /// The largest selected entry (a review: the longest IMDB review is under 14 KB).
  static let maxSelectedEntryBytes = 16 << 20
  /// The largest GNU long-name or pax header entry.
  static let maxHeaderEntryBytes = 1 << 20

  private let source: GzipReader
  private let path: String
  /// Bytes of the tar stream consumed so far, for error messages.
  private var offset = 0

  init(source: GzipReader, path: String) {
    self.source = source
    self.path = path
  }

  /// Calls `body` with the contents of every regular file whose path `select` accepts, in
  /// archive order; the contents of the others are skipped without copying them out.
  mutating func forEachFile<Selected>(
    select: (String) -> Selected?, _ body: (Selected, inout [UInt8]) throws -> Void
  ) throws {
    var longName: String?  // from a GNU 'L' or pax 'x' entry, for the next entry only
    while let header = try readHeader() {
      let size = try entrySize(header)
      switch header[156] {
      case UInt8(ascii: "L"):
        longName = Self.string(try readContents(size, limit: Self.maxHeaderEntryBytes, of: "a GNU long name"))
      case UInt8(ascii: "x"):
        longName = try paxPath(try readContents(size, limit: Self.maxHeaderEntryBytes, of: "a pax header")) ?? longName
      case UInt8(ascii: "0"), 0:
        let name = longName ?? Self.headerName(header)
        longName = nil
        if let selected = select(name) {
          var contents = try readContents(size, limit: Self.maxSelectedEntryBytes, of: "entry '\(name)'")
          try body(selected, &contents)
        } else {
          try skip(Self.padded(size))
        }
      default:
        longName = nil
        try skip(Self.padded(size))
      }
    }
    try skip(Int.max)  // drain, so zlib reaches the end of the stream and checks the CRC
  }

  /// The next header block, or nil at the end of the archive.
  private mutating func readHeader() throws -> [UInt8]? {
    let block = try read(Self.blockSize)
    if block.isEmpty || block.allSatisfy({ $0 == 0 }) { return nil }
    guard block.count == Self.blockSize else {
      throw IMDBError.truncated(path: path, reason: "the tar stream ends inside a header")
    }
    let stored = Self.octal(block[148..<156])
    let unsigned = block.indices.reduce(0) { sum, i in
      sum + ((148..<156).contains(i) ? 32 : Int(block[i]))
    }
    let signed = block.indices.reduce(0) { sum, i in
      sum + ((148..<156).contains(i) ? 32 : Int(Int8(bitPattern: block[i])))
    }
    guard stored == unsigned || stored == signed else {
      throw IMDBError.corrupt(
        path: path,
        reason: "bad tar header checksum at byte \(offset - Self.blockSize) of the tar stream")
    }
    return block
  }

  /// The size field: octal ASCII, or base-256 when the high bit of its first byte is set.
  private func entrySize(_ header: [UInt8]) throws -> Int {
    let field = header[124..<136]
    guard let first = field.first, first & 0x80 != 0 else {
      if let size = Self.octal(field) { return size }
      throw IMDBError.corrupt(path: path, reason: "unreadable tar entry size at byte \(offset)")
    }
    // Positive and below 2^56 so that it fits in Int.
    guard first == 0x80, field.dropFirst().prefix(4).allSatisfy({ $0 == 0 }) else {
      throw IMDBError.corrupt(path: path, reason: "tar entry size out of range at byte \(offset)")
    }
    return field.dropFirst(5).reduce(0) { $0 << 8 | Int($1) }
  }

  /// The `size` bytes of an entry's contents, skipping the padding to the next block;
  /// `what` names the entry when `size` is above `limit`.
  private mutating func readContents(_ size: Int, limit: Int, of what: String) throws -> [UInt8] {
    guard size <= limit else {
      throw IMDBError.corrupt(
        path: path, reason: "\(what) declares \(size) bytes, more than the limit of \(limit) bytes (at byte \(offset) of the tar stream)")
    }
    var contents: [UInt8] = []
    while contents.count < size {
      let wanted = min(size - contents.count, Self.chunkSize)
      let chunk = try read(wanted)
      guard chunk.count == wanted else {
        throw IMDBError.truncated(path: path, reason: "the tar stream ends inside \(what), which declares \(size) bytes")
      }
      contents += chunk
    }
    try skip(Self.padded(size) - size)
    return contents
  }

  /// Up to `count` bytes: fewer only at the end of the stream.
  private mutating func read(_ count: Int) throws -> [UInt8] {
    let bytes = try [UInt8](unsafeUninitializedCapacity: count) { buffer, initialized in
      initialized = try source.read(into: UnsafeMutableRawBufferPointer(buffer))
    }
    offset += bytes.count
    return bytes
  }

  /// Discards `count` bytes (or everything, for `Int.max`); throws if the stream ends first.
  private mutating func skip(_ count: Int) throws {
    var scratch = [UInt8](repeating: 0, count: 1 << 16)
    var remaining = count
    while remaining > 0 {
      let wanted = min(remaining, scratch.count)
      let got = try scratch.withUnsafeMutableBytes {
        try source.read(into: UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted]))
      }
      offset += got
      remaining -= got
      if got < wanted {
        guard count == Int.max else {
          throw IMDBError.truncated(path: path, reason: "the tar stream ends inside an entry")
        }
        return
      }
    }
  }

  /// The `path` record of a pax extended header (records are "<length> <key>=<value>\n").
  private func paxPath(_ records: [UInt8]) throws -> String? {
    var path: String?
    var start = 0
    while start < records.count {
      guard let space = records[start...].firstIndex(of: UInt8(ascii: " ")),
        let length = Int(Self.string(records[start..<space])), length > 0,
        start + length <= records.count
      else {
        throw IMDBError.corrupt(path: self.path, reason: "malformed pax header at byte \(offset)")
      }
      let record = records[(space + 1)..<(start + length - 1)]  // drop the newline
      if let equals = record.firstIndex(of: UInt8(ascii: "=")),
        Self.string(record[..<equals]) == "path"
      {
        path = Self.string(record[(equals + 1)...])
      }
      start += length
    }
    return path
  }

  /// `size` rounded up to whole blocks.
  private static func padded(_ size: Int) -> Int {
    (size + blockSize - 1) / blockSize * blockSize
  }

  /// The name field, joined to the ustar prefix field when the header is POSIX ustar.
  private static func headerName(_ header: [UInt8]) -> String {
    let name = string(header[0..<100])
    let isUstar = header[257..<263].elementsEqual("ustar\0".utf8)
    let prefix = isUstar ? string(header[345..<500]) : ""
    return prefix.isEmpty ? name : prefix + "/" + name
  }

  /// The bytes up to the first NUL, as UTF-8.
  private static func string(_ bytes: some Collection<UInt8>) -> String {
    String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self)
  }

  /// An octal number padded with spaces or NULs; nil if other bytes appear.
  private static func octal(_ field: ArraySlice<UInt8>) -> Int? {
    let digits = field.drop { $0 == UInt8(ascii: " ") }.prefix {
      $0 != 0 && $0 != UInt8(ascii: " ")
    }
    guard !digits.isEmpty,
      digits.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "7") })
    else { return digits.isEmpty ? 0 : nil }
    return digits.reduce(0) { $0 * 8 + Int($1 - UInt8(ascii: "0")) }
  }
}

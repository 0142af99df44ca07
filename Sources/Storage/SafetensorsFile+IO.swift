import Foundation


extension SafetensorsFile {
  /// Reads and validates a whole file: the header length, the JSON header, every tensor's
  /// dtype, and offsets that stay inside the data section, match dtype size × element count
  /// and do not overlap.
  public static func read(from url: URL) throws -> SafetensorsFile {
    let file = url.path
    guard FileManager.default.fileExists(atPath: file) else {
      throw SafetensorsError.fileMissing(file: file)
    }
    let bytes: [UInt8]
    do {
      bytes = [UInt8](try FileContents.read(url))
    } catch {
      throw SafetensorsError.ioFailed(
        file: file, reason: "cannot read: \(FileSystemError.explain(error))")
    }
    guard bytes.count >= 8 else {
      throw SafetensorsError.tooShort(file: file, byteCount: bytes.count)
    }
    let headerLength = bytes[0..<8].reversed().reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    guard headerLength <= UInt64(bytes.count - 8) else {
      throw SafetensorsError.headerLengthBeyondFile(
        file: file, headerLength: headerLength, available: bytes.count - 8)
    }
    let dataStart = 8 + Int(headerLength)
    let entries: [String: SafetensorsHeaderEntry]
    do {
      entries = try JSONDecoder().decode(
        [String: SafetensorsHeaderEntry].self, from: Data(bytes[8..<dataStart]))
    } catch let error as DecodingError {
      throw headerError(error, file: file)
    }

    var result = SafetensorsFile()
    result.source = file
    let dataByteCount = bytes.count - dataStart
    var spans: [(name: String, range: Range<Int>)] = []
    for (name, entry) in entries.sorted(by: { $0.key < $1.key }) {
      switch entry {
      case .metadata(let metadata):
        result.metadata = metadata
      case .tensor(let header):
        guard header.dataOffsets.count == 2 else {
          throw SafetensorsError.malformedEntry(
            file: file, tensor: name,
            reason: "data_offsets \(header.dataOffsets) must be two numbers [begin, end]")
        }
        let (begin, end) = (header.dataOffsets[0], header.dataOffsets[1])
        guard 0 <= begin, begin <= end, end <= dataByteCount else {
          throw SafetensorsError.offsetsOutOfRange(
            file: file, tensor: name, offsets: header.dataOffsets, dataByteCount: dataByteCount)
        }
        let tensor = Tensor(
          dtype: header.dtype, shape: header.shape,
          bytes: Array(bytes[(dataStart + begin)..<(dataStart + end)]))
        try result.check(name, tensor)
        result.tensors[name] = tensor
        spans.append((name, begin..<end))
      }
    }
    spans.sort {
      ($0.range.lowerBound, $0.range.upperBound) < ($1.range.lowerBound, $1.range.upperBound)
    }
    for (a, b) in zip(spans, spans.dropFirst()) where b.range.lowerBound < a.range.upperBound {
      throw SafetensorsError.overlappingTensors(file: file, first: a.name, second: b.name)
    }
    return result
  }

  /// Writes every tensor atomically: the bytes go to a temporary file in the same folder,
  /// which is flushed and then renamed over `url`, so a failed write leaves any existing file
  /// untouched. Tensors are laid out sorted by name and the header is padded with spaces to a
  /// multiple of 8 bytes, so equal contents give identical files.
  public func write(to url: URL) throws {
    try Self.writeAtomically(serialized(naming: url.path), to: url)
  }

  /// The bytes `write(to:)` writes (tensors sorted by name, header padded to 8 bytes); `file`
  /// names the destination in error messages.
  public func serialized(naming file: String) throws -> Data {
    var target = self
    target.source = file
    let sorted = tensors.sorted { $0.key < $1.key }
    var entries: [String: SafetensorsHeaderEntry] = [:]
    var offset = 0
    for (name, tensor) in sorted {
      guard name != SafetensorsHeaderEntry.metadataKey else {
        throw SafetensorsError.malformedEntry(
          file: file, tensor: name, reason: "the name is reserved for the metadata table")
      }
      try target.check(name, tensor)
      entries[name] = .tensor(
        SafetensorsTensorHeader(
          dtype: tensor.dtype, shape: tensor.shape,
          dataOffsets: [offset, offset + tensor.bytes.count]))
      offset += tensor.bytes.count
    }
    if !metadata.isEmpty { entries[SafetensorsHeaderEntry.metadataKey] = .metadata(metadata) }

    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    var header: [UInt8]
    do {
      header = [UInt8](try encoder.encode(entries))
    } catch {
      throw SafetensorsError.ioFailed(file: file, reason: "cannot encode the header: \(error)")
    }
    header += [UInt8](repeating: UInt8(ascii: " "), count: (8 - header.count % 8) % 8)
    var bytes: [UInt8] = []
    bytes.reserveCapacity(8 + header.count + offset)
    withUnsafeBytes(of: UInt64(header.count).littleEndian) { bytes += $0 }
    bytes += header
    for (_, tensor) in sorted { bytes += tensor.bytes }
    return Data(bytes)
  }

  /// Writes `data` through `AtomicFile` (temporary file, flush, rename over `url`).
  private static func writeAtomically(_ data: Data, to url: URL) throws {
    let folder = url.deletingLastPathComponent()
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isFolder),
      isFolder.boolValue
    else {
      throw SafetensorsError.ioFailed(
        file: url.path, reason: "cannot write: folder \(folder.path) does not exist")
    }
    do {
      try AtomicFile.write(data, to: url)
    } catch {
      throw SafetensorsError.ioFailed(
        file: url.path, reason: "cannot write: \(FileSystemError.explain(error))")
    }
  }

  /// A JSON decoding failure as a message that names the header entry when there is one.
  private static func headerError(_ error: DecodingError, file: String) -> SafetensorsError {
    let context: DecodingError.Context
    let problem: String
    switch error {
    case .keyNotFound(let key, let c):
      (context, problem) = (c, "no '\(key.stringValue)' field")
    case .typeMismatch(let type, let c), .valueNotFound(let type, let c):
      (context, problem) = (c, "expected \(type)")
    case .dataCorrupted(let c):
      (context, problem) = (c, c.underlyingError.map { "\($0)" } ?? c.debugDescription)
    @unknown default:
      return .headerNotJSON(file: file, reason: "\(error)")
    }
    guard let entry = context.codingPath.first?.stringValue else {
      return .headerNotJSON(file: file, reason: problem)
    }
    let field = context.codingPath.dropFirst().map(\.stringValue).joined(separator: ".")
    return .malformedEntry(
      file: file, tensor: entry, reason: field.isEmpty ? problem : "\(field): \(problem)")
  }
}

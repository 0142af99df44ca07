import Foundation

/// Appends little-endian values to a growing byte buffer.
struct ByteWriter {
  private(set) var bytes: [UInt8] = []

  mutating func append<T: FixedWidthInteger>(_ value: T) {
    withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
  }

  mutating func append(_ string: String) {
    append(UInt32(string.utf8.count))
    bytes.append(contentsOf: string.utf8)
  }

  mutating func append<T: FixedWidthInteger>(_ values: [T]) {
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: values.count * MemoryLayout<T>.size))
    bytes.withUnsafeMutableBytes { buffer in
      for (i, value) in values.enumerated() {
        buffer.storeBytes(
          of: value.littleEndian, toByteOffset: start + i * MemoryLayout<T>.size, as: T.self)
      }
    }
  }
}

/// Reads little-endian values back; every read returns nil instead of running past the end.
struct ByteReader {
  private let bytes: [UInt8]
  private var offset: Int

  init(_ bytes: [UInt8], from offset: Int = 0) {
    self.bytes = bytes
    self.offset = offset
  }

  var isAtEnd: Bool { offset == bytes.count }

  mutating func read<T: FixedWidthInteger>(_: T.Type) -> T? {
    guard bytes.count - offset >= MemoryLayout<T>.size else { return nil }
    let value = bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: T.self) }
    offset += MemoryLayout<T>.size
    return T(littleEndian: value)
  }

  mutating func readString() -> String? {
    guard let count = read(UInt32.self).map(Int.init), bytes.count - offset >= count else {
      return nil
    }
    defer { offset += count }
    return String(decoding: bytes[offset..<(offset + count)], as: UTF8.self)
  }

  mutating func readArray<T: FixedWidthInteger>(_: T.Type, count: Int) -> [T]? {
    let size = MemoryLayout<T>.size
    guard count >= 0, (bytes.count - offset) / size >= count else { return nil }
    let values = bytes.withUnsafeBytes { buffer in
      (0..<count).map {
        T(littleEndian: buffer.loadUnaligned(fromByteOffset: offset + $0 * size, as: T.self))
      }
    }
    offset += count * size
    return values
  }
}

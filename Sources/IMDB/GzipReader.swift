import CZlib
import Foundation
import Storage

/// Streams the decompressed bytes of a gzip file: reads the file with `FileHandle` in 1 MiB
/// chunks and inflates them with zlib, so the archive is never unpacked to disk or held
/// whole in memory. zlib checks the gzip CRC-32 and length at the end of every member.
/// A file of several members (`cat a.gz b.gz`) is read whole, as `gzip -d` does; zero bytes
/// after the last member are ignored, as gzip ignores them.
final class GzipReader {
  private static let chunkSize = 1 << 20

  private let path: String
  private let file: FileHandle
  /// zlib keeps a pointer back to its stream, so the stream lives at a fixed address.
  private let stream: UnsafeMutablePointer<z_stream>
  private let input: UnsafeMutableBufferPointer<UInt8>
  private var inputEnded = false
  private var streamEnded = false
  /// gzip members started so far (for error messages).
  private var members = 1

  /// Opens `path` and checks the gzip magic bytes.
  init(path: String) throws {
    let descriptor = open(path, O_RDONLY)
    guard descriptor >= 0 else {
      throw IMDBError.unreadable(path: path, reason: FileSystemError.explain(errno: errno))
    }
    self.path = path
    self.file = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
    stream = .allocate(capacity: 1)
    stream.initialize(to: z_stream())
    input = .allocate(capacity: Self.chunkSize)
    // 15 + 32: a 32 KiB window, and accept a gzip (or zlib) header.
    let status = inflateInit2_(stream, 15 + 32, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    guard status == Z_OK else {
      throw IMDBError.unreadable(path: path, reason: "zlib could not start (status \(status))")
    }
    try refill()
    guard stream.pointee.avail_in >= 2, input[0] == 0x1f, input[1] == 0x8b else {
      throw IMDBError.notGzip(path: path)
    }
  }

  deinit {
    inflateEnd(stream)
    stream.deallocate()
    input.deallocate()
    try? file.close()
  }

  /// Fills `buffer` with decompressed bytes and returns how many it wrote: fewer than
  /// `buffer.count` only at the end of the gzip stream, 0 after it.
  func read(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
    guard let base = buffer.baseAddress, !streamEnded else { return 0 }
    stream.pointee.next_out = base.assumingMemoryBound(to: Bytef.self)
    stream.pointee.avail_out = UInt32(buffer.count)
    while stream.pointee.avail_out > 0, !streamEnded {
      if stream.pointee.avail_in == 0, !inputEnded { try refill() }
      let status = inflate(stream, Z_NO_FLUSH)
      switch status {
      case Z_OK:
        continue
      case Z_STREAM_END:
        try startNextMember()
      case Z_BUF_ERROR where stream.pointee.avail_in == 0 && inputEnded:
        throw IMDBError.truncated(path: path, reason: "the gzip stream ends early")
      case Z_DATA_ERROR, Z_NEED_DICT:
        let message = stream.pointee.msg.map { String(cString: $0) } ?? "invalid deflate data"
        let member = members > 1 ? " in gzip member \(members)" : ""
        throw IMDBError.corrupt(path: path, reason: "gzip data error\(member) (\(message))")
      case Z_MEM_ERROR:
        throw IMDBError.unreadable(path: path, reason: "zlib ran out of memory")
      default:
        throw IMDBError.corrupt(path: path, reason: "zlib status \(status)")
      }
    }
    return buffer.count - Int(stream.pointee.avail_out)
  }

  /// After a member's end: skips zero padding, then starts inflating the next member, or
  /// marks the stream ended when the file holds no more.
  private func startNextMember() throws {
    while true {
      if stream.pointee.avail_in == 0 {
        guard !inputEnded else { break }
        try refill()
        continue
      }
      guard let next = stream.pointee.next_in, next.pointee == 0 else {
        members += 1
        inflateReset(stream)
        return
      }
      stream.pointee.next_in = next + 1
      stream.pointee.avail_in -= 1
    }
    streamEnded = true
  }

  /// Reads the next chunk of the file into `input`.
  private func refill() throws {
    let data: Data?
    do {
      data = try file.read(upToCount: Self.chunkSize)
    } catch {
      throw IMDBError.unreadable(path: path, reason: FileSystemError.explain(error))
    }
    guard let data, !data.isEmpty, let base = input.baseAddress else {
      inputEnded = true
      return
    }
    let count = data.copyBytes(to: input)
    stream.pointee.next_in = base
    stream.pointee.avail_in = UInt32(count)
  }
}

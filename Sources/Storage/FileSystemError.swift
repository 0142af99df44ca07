import Foundation
import StopSignals

#if canImport(Glibc)
  import Glibc
#endif

/// A file-system failure in plain words: what could not be done to which path, the cause,
/// and what to do about it ("cannot write runs/x/metrics.tsv: the disk is full; free some
/// space and run again"), instead of Foundation's `NSCocoaErrorDomain Code=640 ...` dump.
public struct FileSystemError: Error, CustomStringConvertible, Equatable {
  /// "write", "read", "create the folder"...
  public let action: String
  public let path: String
  /// The cause and what to do, from `explain`.
  public let reason: String

  public init(_ action: String, _ path: String, reason: String) {
    self.action = action
    self.path = path
    self.reason = reason
  }

  /// The failure of a POSIX call, from its `errno`.
  public init(_ action: String, _ path: String, errno code: Int32) {
    self.init(action, path, reason: Self.explain(errno: code))
  }

  /// The failure of a Foundation call.
  public init(_ action: String, _ path: String, error: Error) {
    self.init(action, path, reason: Self.explain(error))
  }

  public var description: String { "cannot \(action) \(path): \(reason)" }

  /// The cause of an `errno` and what to do about it.
  public static func explain(errno code: Int32) -> String {
    switch code {
    case ENOSPC, EDQUOT: return "the disk is full; free some space (or choose a folder on another disk) and run again"
    case EACCES, EPERM: return "permission denied; check the permissions of the file and its folders, or choose another path"
    case ENOENT: return "no such file or folder; check the path"
    case ENOTDIR: return "a part of the path is a file, not a folder; check the path"
    case EISDIR: return "it is a folder; give a file path"
    case EROFS: return "the file system is read-only; choose a path on a writable disk"
    case EEXIST: return "a file of that name exists already"
    case ENAMETOOLONG: return "the path is too long; choose a shorter one"
    case EMFILE, ENFILE: return "too many open files; close some programs and run again"
    case EIO: return "input/output error: it is no plain file (a device or a /proc file?) or the disk is failing; give a regular file"
    default: return "\(String(cString: strerror(code))) (errno \(code))"
    }
  }

  /// The cause of a Foundation error: its POSIX code when it carries one, else the meaning
  /// of its Cocoa code.
  public static func explain(_ error: Error) -> String {
    if let known = error as? FileSystemError { return known.reason }
    let ns = error as NSError
    if ns.domain == NSPOSIXErrorDomain { return explain(errno: Int32(ns.code)) }
    if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, underlying.domain == NSPOSIXErrorDomain {
      return explain(errno: Int32(underlying.code))
    }
    guard ns.domain == NSCocoaErrorDomain else { return ns.localizedDescription }
    switch ns.code {
    case NSFileWriteOutOfSpaceError: return explain(errno: ENOSPC)
    case NSFileWriteNoPermissionError, NSFileReadNoPermissionError: return explain(errno: EACCES)
    case NSFileNoSuchFileError, NSFileReadNoSuchFileError: return explain(errno: ENOENT)
    case NSFileWriteVolumeReadOnlyError: return explain(errno: EROFS)
    case NSFileWriteFileExistsError: return explain(errno: EEXIST)
    case NSFileReadTooLargeError: return "the file is too large to read"
    case NSFileReadCorruptFileError, NSFileReadInapplicableStringEncodingError: return "the file is not valid UTF-8 text"
    default: return "the operating system reported an unknown error (\(ns.domain) \(ns.code)); check that the path is a regular file on a working disk"
    }
  }
}

/// Reads whole files with plain-language errors (Foundation's `Data(contentsOf:)` reports
/// some failures only as "NSCocoaErrorDomain 256").
public enum FileContents {
  public static func read(_ url: URL) throws -> Data {
    let descriptor = open(url.path, O_RDONLY)
    guard descriptor >= 0 else { throw FileSystemError("read", url.path, errno: errno) }
    defer { close(descriptor) }
    var data = Data()
    var chunk = [UInt8](repeating: 0, count: 1 << 20)
    while true {
      let count = chunk.withUnsafeMutableBytes { readSome(descriptor, into: $0) }
      if count == 0 { return data }
      if count < 0 {
        if errno == EINTR { continue }
        throw FileSystemError("read", url.path, errno: errno)
      }
      data.append(contentsOf: chunk[..<count])
    }
  }
}

/// Writes files atomically with plain-language errors: the bytes go to a temporary file
/// `.<name>.<random>.tmp` beside the target, are flushed to disk, and the temporary file is
/// renamed over the target (rename(2) within one folder is atomic). On any failure the
/// temporary file is removed and the old target stays as it was. A stop signal waits until
/// the write is over (`StopSignals.uninterruptible`), so none leaves a temporary file.
public enum AtomicFile {
  /// The suffix of every temporary file; a run that owns a folder removes stale ones.
  public static let temporarySuffix = ".tmp"

  public static func write(_ data: Data, to url: URL) throws {
    try StopSignals.uninterruptible {
      let temporary = try writeTemporary(data, beside: url)
      try commit(temporary, to: url)
    }
  }

  /// Writes `data` to a new flushed temporary file in `url`'s folder and returns its URL.
  public static func writeTemporary(_ data: Data, beside url: URL) throws -> URL {
    let temporary = url.deletingLastPathComponent().appendingPathComponent(
      ".\(url.lastPathComponent).\(UInt64.random(in: 0...UInt64.max))\(temporarySuffix)")
    let descriptor = open(temporary.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
    guard descriptor >= 0 else { throw FileSystemError("write", url.path, errno: errno) }
    var failure = writeAll(data, to: descriptor)
    if failure == 0, fsync(descriptor) != 0 { failure = errno }
    if close(descriptor) != 0, failure == 0 { failure = errno }
    guard failure == 0 else {
      unlink(temporary.path)
      throw FileSystemError("write", url.path, errno: failure)
    }
    return temporary
  }

  /// Writes several files into `folder` (created if missing) so that none is ever seen
  /// half-written: every file goes to a temporary name first; only when all of them are
  /// complete are they renamed over their targets. On any failure the temporary files are
  /// removed and the old files stay as they were. Returns the files' URLs.
  @discardableResult
  public static func write(_ files: [(name: String, data: Data)], into folder: URL) throws -> [URL] {
    try StopSignals.uninterruptible {
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw FileSystemError("create the output folder", folder.path, error: error)
      }
      // A target that is a folder would fail to be replaced half-way through: refuse up front.
      for (name, _) in files {
        var isDirectory: ObjCBool = false
        let target = folder.appendingPathComponent(name).path
        if FileManager.default.fileExists(atPath: target, isDirectory: &isDirectory), isDirectory.boolValue {
          throw FileSystemError("write", target, reason: "a folder of that name exists")
        }
      }
      var temporary: [(URL, URL)] = []
      for (name, data) in files {
        precondition(!name.contains("/"), "AtomicFile.write(_:into:): '\(name)' must be a plain file name")
        let target = folder.appendingPathComponent(name)
        do {
          temporary.append((try writeTemporary(data, beside: target), target))
        } catch {
          for (tmp, _) in temporary { unlink(tmp.path) }
          throw error
        }
      }
      for (index, (tmp, target)) in temporary.enumerated() {
        do {
          try commit(tmp, to: target)
        } catch {
          for (rest, _) in temporary[(index + 1)...] { unlink(rest.path) }
          throw error
        }
      }
      return temporary.map(\.1)
    }
  }

  /// Renames a temporary file from `writeTemporary` over `url`; removes it if that fails.
  public static func commit(_ temporary: URL, to url: URL) throws {
    guard rename(temporary.path, url.path) == 0 else {
      let code = errno
      unlink(temporary.path)
      throw FileSystemError("write", url.path, errno: code)
    }
  }
}

/// Writes every byte of `data` to `descriptor`; returns 0 or the `errno` of the failure.
private func writeAll(_ data: Data, to descriptor: Int32) -> Int32 {
  data.withUnsafeBytes { buffer in
    var offset = 0
    while offset < buffer.count, let base = buffer.baseAddress {
      let written = write(descriptor, base + offset, buffer.count - offset)
      if written < 0 {
        if errno != EINTR { return errno }
      } else {
        offset += written
      }
    }
    return 0
  }
}

/// One read(2) into `buffer`: the byte count, 0 at the end, -1 on failure (see `errno`).
private func readSome(_ descriptor: Int32, into buffer: UnsafeMutableRawBufferPointer) -> Int {
  read(descriptor, buffer.baseAddress, buffer.count)
}

import Foundation
import StopSignals

/// Checks on an output folder made before any work starts, and the lock a run holds on it.
public enum OutputFolder {
  /// Fails unless files can be created in `folder`: it must be a folder, or not exist yet
  /// below folders where it can be created. The check makes nothing but a probe file in the
  /// deepest folder of the path that exists, removed at once: a folder a check made and
  /// removed again could vanish under another run that had just made sure it exists.
  public static func checkWritable(_ folder: URL) throws {
    // A folder that a finishing run removed meanwhile (its lock made it, the run left it empty): look again.
    for attempt in 1...10 {
      let probe = try existingPart(of: folder).existing.appendingPathComponent(".gradlab-write-test-\(getpid())-\(UUID().uuidString)")
      let descriptor = open(probe.path, O_WRONLY | O_CREAT | O_EXCL, 0o644)
      if descriptor < 0 && errno == ENOENT && attempt < 10 { continue }
      guard descriptor >= 0 else { throw FileSystemError("write into the output folder", folder.path, errno: errno) }
      close(descriptor)
      unlink(probe.path)
      return
    }
  }

  /// Creates `folder` and its missing parents; returns the folders it created, outermost
  /// first. Fails when a part of the path is a file.
  public static func createMissing(_ folder: URL) throws -> [URL] {
    // A parent that another run removed meanwhile (one its lock made and left empty) is made again.
    for _ in 1..<10 {
      if let created = try createMissingOnce(folder, lastTry: false) { return created }
    }
    return try createMissingOnce(folder, lastTry: true) ?? []
  }

  /// The deepest folder of `folder`'s path that exists, and the parts below it that do not,
  /// outermost first. Fails when that deepest part is a file.
  static func existingPart(of folder: URL) throws -> (existing: URL, missing: [URL]) {
    var existing = folder.standardizedFileURL
    var missing: [URL] = []
    var isDirectory: ObjCBool = false
    while !FileManager.default.fileExists(atPath: existing.path, isDirectory: &isDirectory) {
      missing.insert(existing, at: 0)
      let parent = existing.deletingLastPathComponent()
      guard parent.path != existing.path else { break }
      existing = parent
    }
    guard isDirectory.boolValue else {
      throw FileSystemError("use the folder", folder.path, reason: "\(existing.path) is a file, not a folder; choose another path")
    }
    return (existing, missing)
  }

  /// nil when a parent vanished under it (unless `lastTry`, which throws then).
  private static func createMissingOnce(_ folder: URL, lastTry: Bool) throws -> [URL]? {
    var created: [URL] = []
    for url in try existingPart(of: folder).missing {
      guard mkdir(url.path, 0o755) == 0 else {
        let code = errno
        // Another run made it meanwhile: it is theirs to remove, not ours.
        var isFolder: ObjCBool = false
        if code == EEXIST, FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), isFolder.boolValue { continue }
        removeIfEmpty(created)
        if code == ENOENT && !lastTry { return nil }
        throw FileSystemError("create the folder", url.path, errno: code)
      }
      created.append(url)
    }
    return created
  }

  /// Removes the folders `createMissing` made, innermost first, as long as they are empty.
  static func removeIfEmpty(_ created: [URL]) {
    for url in created.reversed() where rmdir(url.path) != 0 { return }
  }

  /// Removes the temporary files (`.<name>...tmp`, `.<name>.tmp-<token>`) that a run stopped
  /// mid-write left behind; call it only while holding the folder's lock. Returns their names.
  @discardableResult
  /// With `prefix`, only the temporaries whose names start with it (one unit's, while other
  /// jobs write theirs).
  public static func removeStaleTemporaries(in folder: URL, prefix: String = ".") -> [String] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    let stale = names.filter { $0.hasPrefix(prefix) && ($0.hasSuffix(AtomicFile.temporarySuffix) || $0.contains(".tmp-")) }
    for name in stale { unlink(folder.appendingPathComponent(name).path) }
    return stale.sorted()
  }
}

/// A run's exclusive claim on its output folder: the file `.gradlab.lock` there holds the
/// PID of the run and an flock(2) lock, which the kernel drops when the process ends however
/// it ends. A second run is refused, naming the first one's PID; a lock file left by a run
/// that was killed is taken over. A stop signal releases the lock (`StopSignals`). Folders
/// the lock had to create are removed again on release if the run left them empty.
public final class OutputFolderLock: @unchecked Sendable {
  public static let fileName = ".gradlab.lock"
  public let folder: URL
  /// The lock file's name in `folder` (`fileName` unless a part of the folder is locked).
  public let name: String
  private let guardian = NSLock()
  private var descriptor: Int32 = -1
  private var stopAction: StopSignals.Registration?
  private var created: [URL] = []

  /// Locks `folder`, creating it (and its parents) if needed; `fileName` names the lock
  /// file (another name locks one part of the folder, such as one unit of a sweep).
  public init(_ folder: URL, fileName: String = OutputFolderLock.fileName) throws {
    self.folder = folder
    self.name = fileName
    created = try OutputFolder.createMissing(folder)
    do {
      try lock()
    } catch {
      OutputFolder.removeIfEmpty(created)
      throw error
    }
  }

  private func lock() throws {
    let path = folder.appendingPathComponent(name).path
    // Retry when another run removed the lock file between our open and our flock.
    for _ in 0..<100 {
      let descriptor = open(path, O_RDWR | O_CREAT, 0o644)
      guard descriptor >= 0 else { throw FileSystemError("create the lock file", path, errno: errno) }
      guard flock(descriptor, LOCK_EX | LOCK_NB) == 0 else {
        let holder = Self.pid(in: descriptor)
        close(descriptor)
        throw OutputFolderInUse(folder: folder.path, pid: holder, lockFile: name)
      }
      var opened = stat()
      var named = stat()
      guard fstat(descriptor, &opened) == 0, stat(path, &named) == 0, opened.st_ino == named.st_ino else {
        close(descriptor)
        continue
      }
      let text = Array("\(getpid())\n".utf8)
      guard ftruncate(descriptor, 0) == 0, pwrite(descriptor, text, text.count, 0) == text.count else {
        let code = errno
        close(descriptor)
        throw FileSystemError("write the lock file", path, errno: code)
      }
      self.descriptor = descriptor
      stopAction = StopSignals.onStop { [unowned self] _ in self.release() }
      return
    }
    throw FileSystemError("lock the output folder", folder.path, reason: "another process keeps replacing \(name); stop it and run again")
  }

  /// Throws `OutputFolderInUse` when a live run holds `folder`'s lock; takes nothing.
  public static func checkFree(_ folder: URL) throws {
    let descriptor = open(folder.appendingPathComponent(fileName).path, O_RDONLY)
    guard descriptor >= 0 else { return }
    defer { close(descriptor) }
    guard flock(descriptor, LOCK_SH | LOCK_NB) != 0 else { return }
    throw OutputFolderInUse(folder: folder.path, pid: pid(in: descriptor))
  }

  /// Removes the lock file and drops the lock; later calls do nothing.
  public func release() {
    guardian.withLock {
      guard descriptor >= 0 else { return }
      stopAction?.remove()
      unlink(folder.appendingPathComponent(name).path)
      close(descriptor)
      descriptor = -1
      OutputFolder.removeIfEmpty(created)
    }
  }

  deinit { release() }

  private static func pid(in descriptor: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = pread(descriptor, &buffer, buffer.count, 0)
    guard count > 0 else { return nil }
    return Int32(String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

/// Another live run holds the output folder.
public struct OutputFolderInUse: Error, CustomStringConvertible, Equatable {
  public let folder: String
  /// The PID written in the lock file (nil when it could not be read).
  public let pid: Int32?
  public let lockFile: String

  public init(folder: String, pid: Int32?, lockFile: String = OutputFolderLock.fileName) {
    self.folder = folder
    self.pid = pid
    self.lockFile = lockFile
  }

  public var description: String {
    "output folder \(folder) is in use by another gradlab run (PID \(pid.map(String.init) ?? "unknown"), lock file \(lockFile)); wait for it to finish, stop it, or choose another --output"
  }
}

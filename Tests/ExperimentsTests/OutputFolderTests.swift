import Foundation
import Linalg
import Storage
import Testing

/// The output folder's lock, its stale temporary files and the check made before any work.
@Suite struct OutputFolderTests {
  func newFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-folder-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  var lockPath: (URL) -> String { { $0.appendingPathComponent(OutputFolderLock.fileName).path } }

  @Test func aSecondLockIsRefusedNamingTheFirstPID() throws {
    let folder = try newFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let first = try OutputFolderLock(folder)
    #expect(throws: OutputFolderInUse(folder: folder.path, pid: getpid())) { _ = try OutputFolderLock(folder) }
    #expect(throws: OutputFolderInUse(folder: folder.path, pid: getpid())) { try OutputFolderLock.checkFree(folder) }
    first.release()
    #expect(!FileManager.default.fileExists(atPath: lockPath(folder)))
    try OutputFolderLock.checkFree(folder)
    _ = try OutputFolderLock(folder)
  }

  @Test func aLockLeftByADeadProcessIsTakenOver() throws {
    let folder = try newFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let finished = Process()
    finished.executableURL = URL(fileURLWithPath: "/bin/true")
    try finished.run()
    finished.waitUntilExit()
    try Data("\(finished.processIdentifier)\n".utf8).write(to: URL(fileURLWithPath: lockPath(folder)))
    try OutputFolderLock.checkFree(folder)
    let lock = try OutputFolderLock(folder)
    #expect(try String(contentsOfFile: lockPath(folder), encoding: .utf8) == "\(getpid())\n")
    lock.release()
  }

  @Test func staleTemporaryFilesAreRemovedAndNothingElse() throws {
    let folder = try newFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let stale = [".checkpoint.safetensors.1E2A.tmp", ".metrics.tsv.123.tmp", ".decay.tsv.tmp-77-88"]
    let kept = ["metrics.tsv", "notes.tmp", ".hidden", "checkpoint.safetensors"]
    for name in stale + kept { try Data("x".utf8).write(to: folder.appendingPathComponent(name)) }
    #expect(OutputFolder.removeStaleTemporaries(in: folder) == stale.sorted())
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == kept.sorted())
  }

  @Test func theWritableCheckLeavesNothingBehind() throws {
    let folder = try newFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    try OutputFolder.checkWritable(folder.appendingPathComponent("a/b/c"))
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    let file = folder.appendingPathComponent("file")
    try Data("x".utf8).write(to: file)
    do {
      try OutputFolder.checkWritable(file.appendingPathComponent("run"))
      Issue.record("a folder below a file cannot be created")
    } catch let error as FileSystemError {
      #expect(error.description.contains(file.path) && error.description.contains("is a file"), "\(error)")
    }
  }

  @Test func foldersTheLockCreatedGoAgainWhenTheRunLeftThemEmpty() throws {
    let folder = try newFolder()
    defer { try? FileManager.default.removeItem(at: folder) }
    let empty = folder.appendingPathComponent("a/b")
    try OutputFolderLock(empty).release()
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    let used = folder.appendingPathComponent("c/d")
    let lock = try OutputFolderLock(used)
    try Data("x".utf8).write(to: used.appendingPathComponent("decay.tsv"))
    lock.release()
    #expect(try FileManager.default.contentsOfDirectory(atPath: used.path) == ["decay.tsv"])
  }

  /// Other runs check the same new folder over and over while this one locks it, and while
  /// it makes sure of a folder and writes into it (the data cache): no check may take a folder
  /// away from under them.
  @Test func checksOfANewFolderNeverTakeItFromUnderAnotherRun() throws {
    let root = try newFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    final class Flag: @unchecked Sendable {
      private let lock = NSLock()
      private var raised = false
      var isRaised: Bool { lock.withLock { raised } }
      func raise() { lock.withLock { raised = true } }
    }
    for trial in 0..<100 {
      let folder = root.appendingPathComponent("run-\(trial)/nested")
      let cache = root.appendingPathComponent("cache-\(trial)/data")
      let stop = Flag(), stopped = DispatchSemaphore(value: 0)
      Thread.detachNewThread {
        while !stop.isRaised {
          try? OutputFolder.checkWritable(folder)
          try? OutputFolder.checkWritable(cache)
        }
        stopped.signal()
      }
      defer {
        stop.raise()
        stopped.wait()
      }
      let lock = try OutputFolderLock(folder)
      lock.release()
      try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
      try AtomicFile.write(Data("x".utf8), to: cache.appendingPathComponent("cache.bin"))
    }
  }
}

import Foundation
import Linalg
import Storage
import Testing

/// File-system failures in plain words: cause, path, what to do; nothing left behind.
@Suite struct FileSystemErrorTests {
  @Test func foundationErrorsBecomeTheirCause() {
    let diskFull = NSError(domain: NSCocoaErrorDomain, code: NSFileWriteOutOfSpaceError)
    #expect(FileSystemError("write", "/x/metrics.tsv", error: diskFull).description
      == "cannot write /x/metrics.tsv: the disk is full; free some space (or choose a folder on another disk) and run again")
    let underlying = NSError(
      domain: NSCocoaErrorDomain, code: 256, userInfo: [NSUnderlyingErrorKey: NSError(domain: NSPOSIXErrorDomain, code: Int(EACCES))])
    #expect(FileSystemError.explain(underlying).hasPrefix("permission denied"))
    #expect(FileSystemError.explain(NSError(domain: NSCocoaErrorDomain, code: 256)).contains("unknown error (NSCocoaErrorDomain 256)"))
  }

  @Test func readingAFolderOrAProcFileSaysWhy() throws {
    let folder = FileManager.default.temporaryDirectory
    #expect(throws: FileSystemError("read", folder.path, errno: EISDIR)) { _ = try FileContents.read(folder) }
    #if os(Linux)
      #expect(throws: FileSystemError("read", "/proc/self/mem", errno: EIO)) { _ = try FileContents.read(URL(fileURLWithPath: "/proc/self/mem")) }
    #endif
  }

  @Test func aFailedAtomicWriteLeavesNoTemporaryFile() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-atomic-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("taken"), withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    // The target is a non-empty folder: the rename fails after the temporary file was written.
    try Data("x".utf8).write(to: folder.appendingPathComponent("taken/inside"))
    #expect(throws: FileSystemError.self) { try AtomicFile.write(Data("table".utf8), to: folder.appendingPathComponent("taken")) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["taken"])
    try AtomicFile.write(Data("table".utf8), to: folder.appendingPathComponent("t.tsv"))
    #expect(try String(contentsOf: folder.appendingPathComponent("t.tsv"), encoding: .utf8) == "table")
  }
}

import DecayLab
import Foundation
import Storage
import Testing

/// The output folder is checked before the sweep, and files appear whole or not at all.
@Suite struct DecayOutputTests {
  func scratchFolder() throws -> URL {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("gradlab-decay-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url
  }

  func contents(_ folder: URL) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
  }

  @Test func unwritableFoldersAreRefusedUpFront() throws {
    let root = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let file = root.appendingPathComponent("plain.txt")
    try Data("x".utf8).write(to: file)
    // A folder below a regular file can never be created, even by root.
    #expect(throws: DecayOutputError.self) { try DecayOutput.checkFolder(file) }
    #expect(throws: DecayOutputError.self) { try DecayOutput.checkFolder(file.appendingPathComponent("data")) }
    // A missing folder below a writable one is fine (it is created when writing).
    try DecayOutput.checkFolder(root.appendingPathComponent("new/nested"))
    try DecayOutput.checkFolder(root)
    #expect(contents(root) == ["plain.txt"], "checking writes nothing")
  }

  @Test func filesAreWrittenWholeWithNoLeftovers() throws {
    let root = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    let folder = root.appendingPathComponent("out")
    try AtomicFile.write([("a.tsv", Data("old\n".utf8))], into: folder)
    let urls = try AtomicFile.write([("a.tsv", Data("x\t1\n".utf8)), ("b.json", Data("{}".utf8))], into: folder)
    #expect(urls.map(\.lastPathComponent) == ["a.tsv", "b.json"])
    #expect(contents(folder) == ["a.tsv", "b.json"], "no temporary files remain")
    #expect(try String(contentsOf: folder.appendingPathComponent("a.tsv"), encoding: .utf8) == "x\t1\n")
  }

  @Test func failedWritesLeaveNothingPartial() throws {
    let root = try scratchFolder()
    defer { try? FileManager.default.removeItem(at: root) }
    // The folder cannot be created: nothing at all appears.
    let file = root.appendingPathComponent("plain.txt")
    try Data("x".utf8).write(to: file)
    #expect(throws: FileSystemError.self) {
      try AtomicFile.write([("a.tsv", Data("1".utf8))], into: file.appendingPathComponent("out"))
    }
    #expect(contents(root) == ["plain.txt"])
    // A target that cannot be replaced: the old file stays as it was, no temporaries remain.
    let folder = root.appendingPathComponent("out")
    try AtomicFile.write([("a.tsv", Data("old".utf8))], into: folder)
    try FileManager.default.createDirectory(at: folder.appendingPathComponent("b.tsv"), withIntermediateDirectories: false)
    #expect(throws: FileSystemError.self) {
      try AtomicFile.write([("a.tsv", Data("new".utf8)), ("b.tsv", Data("new".utf8))], into: folder)
    }
    #expect(contents(folder) == ["a.tsv", "b.tsv"])
    #expect(try String(contentsOf: folder.appendingPathComponent("a.tsv"), encoding: .utf8) == "old")
  }
}

import Foundation
import IMDB
import Synchronization
import Testing

/// Collects progress lines from the loader.
final class ProgressLog: Sendable {
  private let lines = Mutex<[String]>([])

  var report: @Sendable (String) -> Void { { line in self.lines.withLock { $0.append(line) } } }

  /// Whether a line containing `text` arrived since the last call, which clears the log.
  func take(containing text: String) -> Bool {
    lines.withLock { lines in
      defer { lines.removeAll() }
      return lines.contains { $0.contains(text) }
    }
  }
}

@Suite struct CacheTests {
  /// An archive and an empty cache folder.
  struct Setup {
    let folder: TemporaryFolder
    let archive: URL
    let cache: URL

    init() throws {
      folder = try TemporaryFolder()
      archive = try folder.write(gzip(TarWriter.archive(Sample.official)), to: "set.tar.gz")
      cache = folder.url.appendingPathComponent("cache")
    }

    func cacheFiles() throws -> [URL] {
      try FileManager.default.contentsOfDirectory(at: cache, includingPropertiesForKeys: nil)
    }

    func load(_ log: ProgressLog, options: IMDBOptions = Sample.options) throws -> IMDBData {
      try IMDBLoader.load(
        from: archive, options: options, cacheDirectory: cache, progress: log.report)
    }
  }

  @Test func secondLoadIsACacheHitWithIdenticalData() throws {
    let setup = try Setup()
    defer { setup.folder.cleanUp() }
    let log = ProgressLog()
    let first = try setup.load(log)
    #expect(log.take(containing: "wrote cache"))
    #expect(try setup.cacheFiles().count == 1)
    let second = try setup.load(log)
    #expect(log.take(containing: "read cached"))
    #expect(first == second)
    #expect(
      first
        == (try IMDBLoader.load(from: setup.archive, options: Sample.options, cacheDirectory: nil)))
  }

  @Test func otherOptionsUseAnotherCacheFile() throws {
    let setup = try Setup()
    defer { setup.folder.cleanUp() }
    let log = ProgressLog()
    let pre = try setup.load(log)
    var options = Sample.options
    options.padding = .post
    let post = try setup.load(log, options: options)
    #expect(log.take(containing: "wrote cache"))
    #expect(pre.train.tokens != post.train.tokens)
    #expect(try setup.cacheFiles().count == 2)
  }

  @Test(arguments: ["flip", "truncate", "empty", "garbage"])
  func damagedCacheIsIgnoredAndRewritten(damage: String) throws {
    let setup = try Setup()
    defer { setup.folder.cleanUp() }
    let log = ProgressLog()
    let original = try setup.load(log)
    let file = try #require(try setup.cacheFiles().first)
    var bytes = [UInt8](try Data(contentsOf: file))
    switch damage {
    case "flip": bytes[bytes.count - 5] ^= 0x01  // inside the test labels
    case "truncate": bytes.removeLast(bytes.count / 2)
    case "empty": bytes.removeAll()
    default: bytes = Array(repeating: 0x41, count: 64)
    }
    try Data(bytes).write(to: file)

    let rebuilt = try setup.load(log)
    #expect(log.take(containing: "ignoring invalid cache"))
    #expect(rebuilt == original)
    #expect(try setup.load(log) == original)
    #expect(log.take(containing: "read cached"))
  }

  @Test func changedSourceMissesTheCache() throws {
    let setup = try Setup()
    defer { setup.folder.cleanUp() }
    let log = ProgressLog()
    let original = try setup.load(log)
    let fewer = Sample.official.filter { $0.path != "aclImdb/test/neg/0_2.txt" }
    try Data(gzip(TarWriter.archive(fewer))).write(to: setup.archive)
    let changed = try setup.load(log)
    #expect(log.take(containing: "wrote cache"))
    #expect(changed.test.count == original.test.count - 1)
  }
}

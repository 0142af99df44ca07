import Foundation
import IMDB
import Testing

@Suite struct LocatorTests {
  /// A working directory `work/` with a sibling `shared/data/imdb/` (like the project's).
  struct Layout {
    let folder: TemporaryFolder
    let work: URL
    let shared: URL
    let flag: URL
    let variable: URL

    init() throws {
      folder = try TemporaryFolder()
      work = folder.url.appendingPathComponent("work")
      try FileManager.default.createDirectory(at: work, withIntermediateDirectories: true)
      shared = try folder.write([1], to: "shared/data/imdb/aclImdb-labelled.tar.gz")
      flag = try folder.write([2], to: "flag.tar.gz")
      variable = try folder.write([3], to: "variable.tar.gz")
    }

    func resolve(_ flag: String?, _ environment: [String: String] = [:]) throws -> URL {
      try IMDBLocator.resolve(flag: flag, environment: environment, currentDirectory: work)
    }
  }

  @Test func flagBeatsEnvironmentBeatsDefault() throws {
    let layout = try Layout()
    defer { layout.folder.cleanUp() }
    let environment = ["GRADLAB_IMDB": layout.variable.path]
    #expect(try layout.resolve(layout.flag.path, environment) == layout.flag.standardizedFileURL)
    #expect(try layout.resolve("../flag.tar.gz", environment) == layout.flag.standardizedFileURL)
    #expect(try layout.resolve(nil, environment) == layout.variable.standardizedFileURL)
    #expect(try layout.resolve(nil) == layout.shared.standardizedFileURL)
  }

  @Test func missingFlagPathIsAnErrorEvenWhenOthersExist() throws {
    let layout = try Layout()
    defer { layout.folder.cleanUp() }
    #expect {
      try layout.resolve("nowhere.tar.gz", ["GRADLAB_IMDB": layout.variable.path])
    } throws: { error in
      (error as? IMDBError)?.description.contains("nowhere.tar.gz") == true
    }
  }

  @Test func missingEnvironmentPathFallsThroughToTheDefaults() throws {
    let layout = try Layout()
    defer { layout.folder.cleanUp() }
    let found = try layout.resolve(nil, ["GRADLAB_IMDB": "/nonexistent/imdb.tar.gz"])
    #expect(found == layout.shared.standardizedFileURL)
  }

  @Test func laterDefaultsAreTried() throws {
    let layout = try Layout()
    defer { layout.folder.cleanUp() }
    try FileManager.default.removeItem(at: layout.shared)
    let unpacked = layout.work.appendingPathComponent("data/aclImdb")
    try FileManager.default.createDirectory(at: unpacked, withIntermediateDirectories: true)
    #expect(try layout.resolve(nil).path == unpacked.standardizedFileURL.path)
  }

  @Test func notFoundListsEveryPathAndTheDownload() throws {
    let layout = try Layout()
    defer { layout.folder.cleanUp() }
    try FileManager.default.removeItem(at: layout.shared)
    do {
      _ = try layout.resolve(nil, ["GRADLAB_IMDB": "/nonexistent/imdb.tar.gz"])
      Issue.record("expected IMDBError.notFound")
    } catch let error as IMDBError {
      guard case .notFound(let tried) = error else {
        Issue.record("got \(error)")
        return
      }
      #expect(tried.count == 4)
      let message = error.description
      for text in [
        "/nonexistent/imdb.tar.gz", layout.shared.standardizedFileURL.path,
        "data/aclImdb_v1.tar.gz", "data/aclImdb",
        "http://ai.stanford.edu/~amaas/data/sentiment/aclImdb_v1.tar.gz",
        "7c2ac02c03563afcf9b574c7e56c153a",
      ] {
        #expect(message.contains(text), "\(text) missing from: \(message)")
      }
      // Errors are one plain line.
      #expect(!message.contains("\n"), "\(message)")
      #expect(!IMDBError.missing(path: "/nonexistent/imdb.tar.gz").description.contains("\n"))
    }
  }
}

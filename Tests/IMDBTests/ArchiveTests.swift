import Foundation
import IMDB
import Testing

@Suite struct ArchiveTests {
  /// Loads `entries` as a .tar.gz named `name`.
  func loadArchive(
    _ bytes: [UInt8], name: String = "reviews.tar.gz", in folder: TemporaryFolder
  ) throws -> IMDBData {
    try IMDBLoader.load(
      from: folder.write(bytes, to: name), options: Sample.options, cacheDirectory: nil)
  }

  /// The error `body` throws, or nil.
  func loadError(_ body: () throws -> IMDBData) -> IMDBError? {
    do {
      _ = try body()
      return nil
    } catch {
      return error as? IMDBError
    }
  }

  @Test func goodArchiveEncodesLikeKeras() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let data = try loadArchive(gzip(TarWriter.archive(Sample.official)), in: folder)

    #expect(data.train.count == 3 && data.validation.count == 3 && data.test.count == 4)
    // Training counts: great 4, story 4, film 3, then acting, awful, boring, it, loved 2 each.
    #expect(
      data.vocabulary == ["<pad>", "<start>", "<oov>", "great", "story", "film", "acting", "awful"])
    #expect(!data.vocabulary.contains("unsupervised"))
    #expect(data.train.lengths.count == 3 && data.train.tokens.count == 3 * 6)
    // test/neg/0_2 "Awful." is [1, 7], pre-padded to 6; test/pos/3_7 has only unknown words.
    let testRows = (0..<data.test.count).map { Array(data.test.row($0)) }
    #expect(testRows.contains([0, 0, 0, 0, 1, 7]))
    #expect(testRows.contains([0, 0, 1, 2, 2, 2]))
    let labels = data.train.labels + data.validation.labels
    #expect(labels.filter { $0 == 1 }.count == 3 && labels.filter { $0 == 0 }.count == 3)
  }

  @Test func folderAndArchiveInAnyOrderGiveIdenticalData() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let fromArchive = try loadArchive(gzip(TarWriter.archive(Sample.official)), in: folder)
    let fromSorted = try loadArchive(
      gzip(TarWriter.archive(Sample.reviews)), name: "sorted.tar.gz", in: folder)
    let parent = try folder.unpack(Sample.official, into: "unpacked")
    let fromParent = try IMDBLoader.load(from: parent, options: Sample.options, cacheDirectory: nil)
    let fromTree = try IMDBLoader.load(
      from: parent.appendingPathComponent("aclImdb"), options: Sample.options, cacheDirectory: nil)
    #expect(fromArchive == fromSorted)
    #expect(fromArchive == fromParent)
    #expect(fromArchive == fromTree)
  }

  @Test(arguments: [false, true]) func longNamesAndPrefixes(pax: Bool) throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let prefix = String(repeating: "deep/", count: 30)
    let long = Sample.reviews.map {
      TarEntry(prefix + $0.path, String(decoding: $0.contents, as: UTF8.self))
    }
    let fromLong = try loadArchive(gzip(TarWriter.archive(long, pax: pax)), in: folder)
    let fromShort = try loadArchive(
      gzip(TarWriter.archive(Sample.reviews)), name: "short.tar.gz", in: folder)
    #expect(fromLong == fromShort)
  }

  @Test func defaultSplitIsTheLastFifthOfTheShuffledTrainingSet() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let entries =
      (0..<10).map {
        TarEntry("aclImdb/train/\($0 % 2 == 0 ? "pos" : "neg")/\($0)_7.txt", "w\($0)")
      }
      + [TarEntry("aclImdb/test/pos/0_7.txt", "w0")]
    let url = try folder.write(gzip(TarWriter.archive(entries)), to: "ten.tar.gz")
    let data = try IMDBLoader.load(from: url, options: IMDBOptions(), cacheDirectory: nil)
    #expect(data.train.count == 8 && data.validation.count == 2 && data.test.count == 1)
    #expect(data.train.length == 200)
    let other = try IMDBLoader.load(
      from: url, options: IMDBOptions(shuffleSeed: 114), cacheDirectory: nil)
    #expect(
      other.train.tokens != data.train.tokens || other.validation.tokens != data.validation.tokens)
  }

  @Test func truncatedArchiveIsReported() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let whole = gzip(TarWriter.archive(Sample.official))
    for cut in [8, whole.count / 2] {
      let error = loadError {
        try loadArchive(Array(whole.dropLast(cut)), name: "cut.tar.gz", in: folder)
      }
      guard case .truncated = error else {
        Issue.record("cutting \(cut) bytes gave \(String(describing: error))")
        continue
      }
      #expect(error?.description.contains("cut.tar.gz") == true)
    }
  }

  @Test func tarEndingInsideAnEntryIsTruncated() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let tar = TarWriter.archive(Sample.reviews)
    let error = loadError {
      try loadArchive(gzip(Array(tar.prefix(512 + 10))), name: "short.tar.gz", in: folder)
    }
    guard case .truncated = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(error?.description.contains("short.tar.gz") == true)
  }

  @Test func corruptDeflateDataIsReported() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    var bytes = gzip(TarWriter.archive(Sample.official))
    for i in stride(from: bytes.count / 3, to: bytes.count / 3 + 16, by: 1) { bytes[i] ^= 0x5A }
    let error = loadError { try loadArchive(bytes, name: "flipped.tar.gz", in: folder) }
    guard case .corrupt = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(error?.description.contains("flipped.tar.gz") == true)
  }

  @Test func gzipOfSomethingElseIsNotATar() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let error = loadError {
      try loadArchive(
        gzip(Array(String(repeating: "plain text\n", count: 100).utf8)), name: "text.gz", in: folder
      )
    }
    guard case .corrupt = error else {
      Issue.record("got \(String(describing: error))")
      return
    }
    #expect(error?.description.contains("text.gz") == true)
  }

  @Test(arguments: [[UInt8](), Array("aclImdb/train/pos/0_9.txt".utf8)])
  func nonGzipFileIsReported(bytes: [UInt8]) throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let error = loadError { try loadArchive(bytes, name: "plain.tar.gz", in: folder) }
    #expect(
      error
        == .notGzip(
          path: folder.url.appendingPathComponent("plain.tar.gz").standardizedFileURL.path))
    #expect(error?.description.contains("plain.tar.gz") == true)
  }

  @Test func wrongLayoutIsReported() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let renamed = Sample.reviews.map {
      TarEntry($0.path.replacingOccurrences(of: "aclImdb/", with: "reviews/"), "text")
    }
    let trainOnly = Sample.official.filter { !$0.path.hasPrefix("aclImdb/test/") }
    for (name, entries) in [("renamed.tar.gz", renamed), ("trainonly.tar.gz", trainOnly)] {
      let error = loadError {
        try loadArchive(gzip(TarWriter.archive(entries)), name: name, in: folder)
      }
      guard case .wrongLayout = error else {
        Issue.record("\(name) gave \(String(describing: error))")
        continue
      }
      #expect(error?.description.contains(name) == true)
    }
    let emptyFolder = try folder.unpack(
      [TarEntry("aclImdb/train", "", kind: .directory)], into: "empty")
    let error = loadError {
      try IMDBLoader.load(from: emptyFolder, options: Sample.options, cacheDirectory: nil)
    }
    guard case .wrongLayout = error else {
      Issue.record("empty folder gave \(String(describing: error))")
      return
    }
  }

  @Test func missingSourceIsReported() throws {
    let error = loadError {
      try IMDBLoader.load(
        from: URL(fileURLWithPath: "/nonexistent/gone.tar.gz"), options: Sample.options,
        cacheDirectory: nil)
    }
    #expect(error == .missing(path: "/nonexistent/gone.tar.gz"))
    #expect(error?.description.contains(IMDBRelease.downloadURL) == true)
  }

  @Test func invalidOptionsAreRejected() throws {
    let folder = try TemporaryFolder()
    defer { folder.cleanUp() }
    let url = try folder.write(gzip(TarWriter.archive(Sample.reviews)), to: "ok.tar.gz")
    for options in [
      IMDBOptions(vocabularySize: 3), IMDBOptions(sequenceLength: 0),
      IMDBOptions(validationFraction: 1),
    ] {
      let error = loadError {
        try IMDBLoader.load(from: url, options: options, cacheDirectory: nil)
      }
      guard case .invalidOptions = error else {
        Issue.record("\(options) gave \(String(describing: error))")
        continue
      }
    }
  }
}

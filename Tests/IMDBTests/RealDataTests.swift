import Foundation
import IMDB
import Testing

/// Loads the real 50,000 reviews. Opt in with GRADLAB_IMDB_REAL=1 (the data are found like the
/// command line finds them: GRADLAB_IMDB or the default locations). Prints the load times; run
/// it in a release build to measure: `GRADLAB_IMDB_REAL=1 swift test -c release --filter RealData`.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["GRADLAB_IMDB_REAL"] == "1"))
struct RealDataTests {
  @Test func loadsTheFullSetAndItsCache() throws {
    let source = try IMDBLocator.resolve(
      flag: nil, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    let cache = try TemporaryFolder()
    defer { cache.cleanUp() }
    let clock = ContinuousClock()
    var data: IMDBData?
    let cold = try clock.measure {
      data = try IMDBLoader.load(
        from: source, options: IMDBOptions(), cacheDirectory: cache.url, progress: { print($0) })
    }
    var cached: IMDBData?
    let warm = try clock.measure {
      cached = try IMDBLoader.load(from: source, options: IMDBOptions(), cacheDirectory: cache.url)
    }
    print("IMDB load from \(source.path): \(cold); cache hit: \(warm)")
    let loaded = try #require(data)
    #expect(cached == loaded)
    #expect(loaded.train.count == 20_000 && loaded.validation.count == 5_000)
    #expect(loaded.test.count == 25_000)
    #expect(loaded.vocabulary.count == 10_000)
    let positive = loaded.validation.labels.reduce(0, +) / Float(loaded.validation.count)
    #expect(abs(positive - 0.5) < 0.03, "validation is \(positive * 100)% positive")
  }

  /// train/pos/0_9.txt begins "Bromwell High is a cartoon comedy." (see the data's README).
  @Test func firstTrainingReviewIsPresent() throws {
    let source = try IMDBLocator.resolve(
      flag: nil, currentDirectory: URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    let data = try IMDBLoader.load(
      from: source, options: IMDBOptions(padding: .post), cacheDirectory: nil)
    let words = Tokenizer.tokens("Bromwell High is a cartoon comedy.")
    let prefix = [Vocabulary.start] + words.map { Int32(data.vocabulary.firstIndex(of: $0) ?? 2) }
    // "bromwell" is too rare for the top 10,000 words; the others are common.
    #expect(prefix.count == 7 && prefix[1] == Vocabulary.unknown)
    #expect(!prefix.dropFirst(2).contains(Vocabulary.unknown))
    let rows =
      (0..<data.train.count).map { Array(data.train.row($0)) }
      + (0..<data.validation.count).map { Array(data.validation.row($0)) }
    let matches = rows.filter { $0.starts(with: prefix) }
    #expect(!matches.isEmpty)
  }
}

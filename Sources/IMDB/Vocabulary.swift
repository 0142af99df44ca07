/// The words the model knows: the `size - 3` most frequent words of the training reviews,
/// ranked by count (descending) with ties broken by byte order of the word (ascending).
///
/// Indices follow Keras' `imdb.load_data`: 0 = padding, 1 = start of review,
/// 2 = out of vocabulary, and the word of rank r (0-based) at index 3 + r.
public struct Vocabulary: Sendable {
  public static let padding: Int32 = 0
  public static let start: Int32 = 1
  public static let unknown: Int32 = 2
  /// The index of the most frequent word.
  public static let firstWord: Int32 = 3

  /// Index -> word; entries 0...2 are "<pad>", "<start>" and "<oov>".
  public let words: [String]
  /// The ranked words; table id k is vocabulary index 3 + k.
  private let table: WordTable

  /// Counts the `Tokenizer` tokens of every text and keeps the `size - 3` most frequent.
  /// `size` counts the three reserved indices, like `IMDBOptions.vocabularySize`.
  public init<Texts: Sequence>(trainingTexts: Texts, size: Int)
  where Texts.Element: StringProtocol {
    var table = WordTable()
    var counts: [Int] = []
    for text in trainingTexts {
      var bytes = Array(text.utf8)
      Tokenizer.forEachToken(in: &bytes) { token in
        let id = Int(table.intern(token))
        if id == counts.count { counts.append(1) } else { counts[id] += 1 }
      }
    }
    self = Self.ranked(table, counts: counts, size: size).vocabulary
  }

  private init(table: WordTable) {
    self.table = table
    self.words =
      ["<pad>", "<start>", "<oov>"]
      + (0..<table.count).map { String(decoding: table.bytes(of: $0), as: UTF8.self) }
  }

  /// The number of indices in use (at most `size`).
  public var count: Int { words.count }

  /// The index of `word`, or `Vocabulary.unknown`.
  public func index(of word: some StringProtocol) -> Int32 {
    let id = Array(word.utf8).withUnsafeBufferPointer { table.find($0) }
    return id.map { Self.firstWord + $0 } ?? Self.unknown
  }

  /// `[start] + index(of:)` of each token, as Keras' loader encodes a review.
  public func encode(_ tokens: [some StringProtocol]) -> [Int32] {
    [Self.start] + tokens.map { index(of: $0) }
  }

  /// Ranks the words of `source` that have a positive count in `counts` (indexed by word id)
  /// and keeps the first `size - 3`. Also returns, for every word id of `source`, its
  /// vocabulary index (`unknown` for the words left out).
  ///
  /// - Complexity: O(W log W) for W distinct words.
  static func ranked(
    _ source: WordTable, counts: [Int], size: Int
  ) -> (vocabulary: Vocabulary, indices: [Int32]) {
    var ids = (0..<source.count).filter { counts[$0] > 0 }
    ids.sort { a, b in
      counts[a] != counts[b] ? counts[a] > counts[b] : source.precedes(a, b)
    }
    var kept = WordTable()
    var indices = [Int32](repeating: unknown, count: source.count)
    for id in ids.prefix(max(0, size - Int(firstWord))) {
      let rank = source.bytes(of: id).withUnsafeBufferPointer { kept.intern($0) }
      indices[id] = firstWord + rank
    }
    return (Vocabulary(table: kept), indices)
  }
}

import Foundation

/// Keras' IMDB word index (`imdb_word_index.json`: word -> frequency rank from 1), and the
/// encoding of `keras.datasets.imdb.load_data(num_words=V, index_from=3)`: a review is
/// `[start_char = 1] + (rank + index_from)` per word, and every id ≥ V (or a word the index
/// does not hold) becomes `oov_char = 2`.
public struct KerasWordIndex: Sendable {
  public let ranks: [String: Int]

  public static let start: Int32 = 1
  public static let outOfVocabulary: Int32 = 2

  public static func read(_ url: URL) throws -> KerasWordIndex {
    let data: Data
    do { data = try Data(contentsOf: url) } catch {
      throw ModelFileError("\(url.path): cannot read the word index (\(error.localizedDescription))")
    }
    guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any], !object.isEmpty else {
      throw ModelFileError("\(url.path): not a word index (a JSON object of word: rank, as keras.datasets.imdb.get_word_index() writes)")
    }
    var ranks: [String: Int] = [:]
    for (word, value) in object {
      guard let rank = (value as? NSNumber)?.intValue, rank >= 1 else {
        throw ModelFileError("\(url.path): the rank of '\(word)' is \(value), not a positive integer")
      }
      ranks[word] = rank
    }
    return KerasWordIndex(ranks: ranks)
  }

  /// The ids of one review's tokens.
  public func encode(_ tokens: [String], indexFrom: Int, vocabularySize: Int) -> [Int32] {
    [Self.start] + tokens.map { word in
      guard let rank = ranks[word], rank + indexFrom < vocabularySize else { return Self.outOfVocabulary }
      return Int32(rank + indexFrom)
    }
  }
}

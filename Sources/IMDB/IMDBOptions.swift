/// Which side of a review `pad_sequences` pads and truncates (Keras uses the same side for both).
///
/// - `pre`: keep the **last** `sequenceLength` tokens and pad with 0 on the left (Keras' default).
/// - `post`: keep the **first** `sequenceLength` tokens and pad with 0 on the right.
public enum Padding: String, Codable, Sendable, CaseIterable {
  case pre, post
}

/// How the IMDB reviews are turned into fixed-length integer sequences.
///
/// The defaults follow the original Keras run: `imdb.load_data(num_words: 10000, seed: 113)`,
/// `pad_sequences(maxlen: 200)` and `validation_split: 0.2`.
public struct IMDBOptions: Codable, Hashable, Sendable {
  /// Rows of the embedding: indices 0 (padding), 1 (start), 2 (out of vocabulary) and the
  /// `vocabularySize - 3` most frequent training words at 3..<vocabularySize.
  public var vocabularySize: Int
  /// Tokens per encoded review after padding or truncation (T).
  public var sequenceLength: Int
  /// The side that is padded and truncated.
  public var padding: Padding
  /// The fraction of the shuffled training reviews held out, taken from the end (Keras'
  /// `validation_split`): 0.2 gives 20,000 training and 5,000 validation reviews.
  public var validationFraction: Double
  /// Seed of the training shuffle; the test set is shuffled with `shuffleSeed + 1`.
  public var shuffleSeed: UInt64

  public init(
    vocabularySize: Int = 10_000, sequenceLength: Int = 200, padding: Padding = .pre,
    validationFraction: Double = 0.2, shuffleSeed: UInt64 = 113
  ) {
    self.vocabularySize = vocabularySize
    self.sequenceLength = sequenceLength
    self.padding = padding
    self.validationFraction = validationFraction
    self.shuffleSeed = shuffleSeed
  }

  /// Throws `IMDBError.invalidOptions` unless every field is in range.
  func validate() throws {
    guard vocabularySize > Vocabulary.firstWord else {
      throw IMDBError.invalidOptions("vocabularySize must be greater than 3, got \(vocabularySize)")
    }
    guard vocabularySize <= Int(Int32.max) else {
      throw IMDBError.invalidOptions("vocabularySize must fit in Int32, got \(vocabularySize)")
    }
    guard sequenceLength > 0 else {
      throw IMDBError.invalidOptions("sequenceLength must be positive, got \(sequenceLength)")
    }
    guard validationFraction >= 0, validationFraction < 1 else {
      throw IMDBError.invalidOptions(
        "validationFraction must be in [0, 1), got \(validationFraction)")
    }
  }
}

/// One split of encoded reviews as a row-major N x T matrix of token indices, where
/// N = `count` reviews and T = `length`: review i occupies `tokens[i*length ..< (i+1)*length]`.
public struct EncodedSplit: Sendable, Equatable {
  /// N x T token indices (0 = padding, 1 = start, 2 = out of vocabulary, words from 3).
  public var tokens: [Int32]
  /// N labels: 1 = positive, 0 = negative.
  public var labels: [Float]
  /// N token counts before padding or truncation, including the start token.
  public var lengths: [Int32]
  /// Tokens per review (T).
  public let length: Int

  /// The number of reviews (N).
  public var count: Int { labels.count }

  /// Wraps already padded data. `tokens` must hold `labels.count * length` values.
  init(tokens: [Int32], labels: [Float], lengths: [Int32], length: Int) {
    self.tokens = tokens
    self.labels = labels
    self.lengths = lengths
    self.length = length
  }

  /// Pads or truncates each sequence to `length` on the `padding` side, as Keras'
  /// `pad_sequences(maxlen: length, padding: side, truncating: side)` does.
  ///
  /// - Complexity: O(N * T).
  public init(sequences: [[Int32]], labels: [Float], length: Int, padding: Padding) {
    precondition(
      sequences.count == labels.count,
      "\(sequences.count) sequences but \(labels.count) labels")
    precondition(length > 0, "sequence length must be positive, got \(length)")
    var tokens = [Int32](repeating: Vocabulary.padding, count: sequences.count * length)
    for (i, sequence) in sequences.enumerated() {
      let kept = min(sequence.count, length)
      let row = i * length
      switch padding {
      case .pre:  // keep the last `kept` tokens, right-aligned
        tokens[(row + length - kept)..<(row + length)] = sequence[(sequence.count - kept)...]
      case .post:  // keep the first `kept` tokens, left-aligned
        tokens[row..<(row + kept)] = sequence[..<kept]
      }
    }
    self.init(
      tokens: tokens, labels: labels, lengths: sequences.map { Int32($0.count) }, length: length)
  }

  /// The T token indices of review `i`.
  public func row(_ i: Int) -> ArraySlice<Int32> {
    tokens[(i * length)..<((i + 1) * length)]
  }
}

/// The encoded IMDB set: shuffled training and validation reviews, the shuffled test set,
/// and the vocabulary that maps indices back to words.
public struct IMDBData: Sendable, Equatable {
  public var train: EncodedSplit
  public var validation: EncodedSplit
  public var test: EncodedSplit
  /// Index i -> word for i >= 3; 0 is "<pad>", 1 "<start>", 2 "<oov>". It has fewer than
  /// `vocabularySize` entries when the training reviews hold fewer distinct words.
  public var vocabulary: [String]

  /// Splits from elsewhere (a synthetic task, another tokeniser).
  public init(train: EncodedSplit, validation: EncodedSplit, test: EncodedSplit, vocabulary: [String]) {
    self.train = train
    self.validation = validation
    self.test = test
    self.vocabulary = vocabulary
  }
}

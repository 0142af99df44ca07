import Foundation
import IMDB

/// IMDB reviews as a model's own vocabulary encodes them: never with a vocabulary GradLab
/// would build from the reviews unless the model is GradLab's, trained on exactly that one.
public enum ReviewEncoding {
  /// `count` test reviews spread evenly over the test split (both labels, every rating),
  /// encoded with Keras' word index and `index_from`, padded or truncated to `length` on the
  /// `padding` side as Keras' `pad_sequences` does.
  public static func kerasTestReviews(
    _ reviews: [TokenizedReview], wordIndex: KerasWordIndex, indexFrom: Int, vocabularySize: Int, count: Int, length: Int, padding: Padding
  ) throws -> EncodedSplit {
    let test = reviews.filter(\.isTest)
    guard !test.isEmpty else { throw ModelFileError("the IMDB data holds no test reviews (aclImdb/test/{pos,neg})") }
    let n = min(count, test.count)
    let chosen = (0..<n).map { test[$0 * test.count / n] }
    let sequences = chosen.map { wordIndex.encode($0.tokens, indexFrom: indexFrom, vocabularySize: vocabularySize) }
    return EncodedSplit(sequences: sequences, labels: chosen.map(\.label), length: length, padding: padding)
  }
}

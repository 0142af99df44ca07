import Foundation

/// One review as GradLab's `Tokenizer` splits it, not encoded: for a model that brings its
/// own vocabulary (Keras' `imdb_word_index.json`).
public struct TokenizedReview: Sendable {
  public let tokens: [String]
  /// 1 positive, 0 negative.
  public let label: Float
  public let isTest: Bool
}

extension IMDBLoader {
  /// Every review of `source` (a `.tar.gz` or an unpacked folder, as `load` reads them):
  /// the training reviews, then the test reviews, each by label (negative first) and id.
  public static func tokenizedReviews(from source: URL, progress: (@Sendable (String) -> Void)? = nil) throws -> [TokenizedReview] {
    let info = try SourceInfo(source)
    let collector = try ReviewCollector.read(info, progress: progress)
    let words = (0..<collector.words.count).map { String(decoding: collector.words.bytes(of: $0), as: UTF8.self) }
    return collector.reviews.sorted { $0.path < $1.path }.map { review in
      TokenizedReview(tokens: review.words.map { words[Int($0)] }, label: review.path.label == .positive ? 1 : 0, isTest: review.path.split == .test)
    }
  }
}

/// One review: where it came from and its tokens as ids into `ReviewCollector.words`.
struct Review: Sendable {
  let path: ReviewPath
  let words: [Int32]
}

/// Tokenises reviews as a reader delivers them, interning every word, so each text is read
/// once and then dropped.
struct ReviewCollector {
  /// Every distinct token of every review (train and test).
  private(set) var words = WordTable()
  private(set) var reviews: [Review] = []
  /// Entries that looked like reviews but were skipped, for the loader's warning.
  var skipped = SkippedEntries()

  /// Tokenises `text` (lowercased in place) and stores the review.
  mutating func add(_ path: ReviewPath, text: inout [UInt8]) {
    var ids: [Int32] = []
    ids.reserveCapacity(text.count / 4)
    Tokenizer.forEachToken(in: &text) { ids.append(words.intern($0)) }
    reviews.append(Review(path: path, words: ids))
  }
}

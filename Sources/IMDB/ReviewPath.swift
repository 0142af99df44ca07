/// Where a review file sits in the aclImdb layout: `aclImdb/<split>/<label>/<id>_<rating>.txt`.
///
/// Sorting by (split: train first, label: negative first, id, rating) gives one canonical
/// order, so a folder and a tarball load identically whatever order their entries come in.
struct ReviewPath: Comparable, Sendable {
  enum Split: Int, Comparable, Sendable {
    case train, test
    static func < (a: Split, b: Split) -> Bool { a.rawValue < b.rawValue }
  }
  enum Label: Int, Comparable, Sendable {
    case negative, positive
    static func < (a: Label, b: Label) -> Bool { a.rawValue < b.rawValue }
  }

  let split: Split
  let label: Label
  let id: Int
  let rating: Int

  /// Parses a path that ends in `aclImdb/(train|test)/(pos|neg)/<digits>_<digits>.txt`, with
  /// any leading prefix before `aclImdb/`; nil for every other path (`train/unsup/`, `*.feat`,
  /// `urls_*.txt`, `imdb.vocab`, README...).
  init?(parsing path: String) {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true)
    guard parts.count >= 4 else { return nil }
    let tail = parts.suffix(4).map(String.init)
    guard tail[0] == "aclImdb" else { return nil }
    switch tail[1] {
    case "train": split = .train
    case "test": split = .test
    default: return nil
    }
    switch tail[2] {
    case "neg": label = .negative
    case "pos": label = .positive
    default: return nil
    }
    guard tail[3].hasSuffix(".txt") else { return nil }
    let numbers = tail[3].dropLast(4).split(separator: "_", omittingEmptySubsequences: false)
    guard numbers.count == 2,
      numbers.allSatisfy({ !$0.isEmpty && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
      let id = Int(numbers[0]), let rating = Int(numbers[1])
    else { return nil }
    self.id = id
    self.rating = rating
  }

  /// What an archive or folder entry is to the loader.
  enum Entry: Equatable {
    case review(ReviewPath)
    /// An absolute path or one with a `..` component: skipped.
    case unsafe
    /// A file in `aclImdb/(train|test)/(pos|neg)/` not named `<id>_<rating>.txt`: skipped.
    case malformed
    /// Anything else (`train/unsup/`, `imdb.vocab`, README...): ignored.
    case other
  }

  static func classify(_ path: String) -> Entry {
    let parts = path.split(separator: "/", omittingEmptySubsequences: true)
    if path.hasPrefix("/") || parts.contains("..") { return .unsafe }
    if let review = ReviewPath(parsing: path) { return .review(review) }
    let folders = parts.dropLast().suffix(3)
    let isReviewFolder =
      folders.count == 3 && folders.first == "aclImdb"
      && ["train", "test"].contains(folders.dropFirst().first) && ["pos", "neg"].contains(folders.last)
    return isReviewFolder ? .malformed : .other
  }

  static func < (a: ReviewPath, b: ReviewPath) -> Bool {
    (a.split, a.label, a.id, a.rating) < (b.split, b.label, b.id, b.rating)
  }
}

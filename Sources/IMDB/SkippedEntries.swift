/// Entries of an archive or folder that look like reviews but are skipped, counted so the
/// loader can warn about them instead of dropping them without a word.
struct SkippedEntries: Equatable {
  /// Absolute paths or paths with a `..` component, and the first of them.
  private(set) var unsafe = 0
  private(set) var firstUnsafe: String?
  /// Files in a review folder not named `<id>_<rating>.txt`, and the first of them.
  private(set) var malformed = 0
  private(set) var firstMalformed: String?

  /// The review at `path`, or nil after counting it when it is skipped.
  mutating func review(at path: String) -> ReviewPath? {
    switch ReviewPath.classify(path) {
    case .review(let review):
      return review
    case .unsafe:
      unsafe += 1
      if firstUnsafe == nil { firstUnsafe = path }
    case .malformed:
      malformed += 1
      if firstMalformed == nil { firstMalformed = path }
    case .other:
      break
    }
    return nil
  }

  /// One line for the user, or nil when nothing was skipped.
  func warning(source: String) -> String? {
    var parts: [String] = []
    if let firstUnsafe {
      parts.append("\(unsafe) entr\(unsafe == 1 ? "y" : "ies") with an absolute or '..' path (first: '\(firstUnsafe)')")
    }
    if let firstMalformed {
      parts.append("\(malformed) review file\(malformed == 1 ? "" : "s") not named <id>_<rating>.txt (first: '\(firstMalformed)')")
    }
    guard !parts.isEmpty else { return nil }
    return "warning: skipped \(parts.joined(separator: " and ")) in \(source)"
  }
}

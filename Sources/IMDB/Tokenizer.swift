/// Splits review text into lowercase words, working on UTF-8 bytes for speed.
///
/// The rules, applied in one pass over the bytes:
/// 1. The HTML line breaks `<br />`, `<br/>` and `<br>` (in any letter case) are separators,
///    like a space.
/// 2. A token is a maximal run of ASCII letters, ASCII digits, apostrophes (`'`) and non-ASCII
///    bytes (>= 0x80), so UTF-8 letters such as "é" stay inside their word. Everything else
///    (space, punctuation, `<`, `>`, control bytes) separates tokens. Non-ASCII punctuation
///    ("—", "’", a no-break space) is therefore part of a word too: a known simplification.
/// 3. ASCII letters are lowercased; non-ASCII bytes are kept as they are.
/// 4. Leading and trailing apostrophes are stripped ("'tis'" -> "tis"), inner ones kept
///    ("don't"); tokens that end up empty are dropped.
///
/// For example `"Great<br /><br />DON'T miss 'Amélie'!"` gives
/// `["great", "don't", "miss", "amélie"]`.
public enum Tokenizer {
  /// The tokens of `text`. Invalid UTF-8 inside a token is decoded with replacement
  /// characters; the loader itself never decodes and keys words by their bytes.
  public static func tokens(_ text: some StringProtocol) -> [String] {
    var bytes = Array(text.utf8)
    var result: [String] = []
    forEachToken(in: &bytes) { result.append(String(decoding: $0, as: UTF8.self)) }
    return result
  }

  /// Calls `body` with each token of `bytes` in order. Lowercases `bytes` in place; the
  /// buffer passed to `body` is only valid during the call.
  ///
  /// - Complexity: O(bytes.count).
  static func forEachToken(
    in bytes: inout [UInt8], _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    bytes.withUnsafeMutableBufferPointer { text in
      let view = UnsafeBufferPointer(text)
      var start = -1  // first byte of the current token, -1 outside a token
      var i = 0
      while i < text.count {
        let byte = text[i]
        let folded = wordByte(byte)
        if folded != 0 {
          if start < 0 { start = i }
          text[i] = folded
          i += 1
          continue
        }
        if start >= 0 {
          emit(view, start, i, body)
          start = -1
        }
        i += byte == UInt8(ascii: "<") ? lineBreakLength(view, at: i) : 1
      }
      if start >= 0 { emit(view, start, text.count, body) }
    }
  }

  /// The lowercased byte if `byte` belongs to a word, otherwise 0.
  @inline(__always)
  private static func wordByte(_ byte: UInt8) -> UInt8 {
    switch byte {
    case UInt8(ascii: "A")...UInt8(ascii: "Z"): return byte | 0x20
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
      UInt8(ascii: "'"), 0x80...0xFF:
      return byte
    default: return 0
    }
  }

  /// Strips apostrophes from both ends of `text[start..<end]` and passes it on if non-empty.
  @inline(__always)
  private static func emit(
    _ text: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int,
    _ body: (UnsafeBufferPointer<UInt8>) -> Void
  ) {
    var start = start
    var end = end
    while start < end, text[start] == UInt8(ascii: "'") { start += 1 }
    while end > start, text[end - 1] == UInt8(ascii: "'") { end -= 1 }
    if start < end { body(UnsafeBufferPointer(rebasing: text[start..<end])) }
  }

  /// The byte length of `<br>`, `<br/>` or `<br />` (any case) starting at `index`, or 1
  /// when the `<` there starts something else.
  private static func lineBreakLength(_ text: UnsafeBufferPointer<UInt8>, at index: Int) -> Int {
    func byte(_ offset: Int) -> UInt8 {
      index + offset < text.count ? text[index + offset] | 0x20 : 0
    }
    guard byte(1) == UInt8(ascii: "b"), byte(2) == UInt8(ascii: "r") else { return 1 }
    var length = 3
    if text.count > index + length, text[index + length] == UInt8(ascii: " ") { length += 1 }
    if text.count > index + length, text[index + length] == UInt8(ascii: "/") { length += 1 }
    guard text.count > index + length, text[index + length] == UInt8(ascii: ">") else { return 1 }
    return length + 1
  }
}

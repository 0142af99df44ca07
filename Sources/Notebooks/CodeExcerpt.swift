import Foundation

/// A fenced block whose info string is `swift excerpt PATH` quotes the file PATH (relative to
/// the Markdown file): its lines must occur contiguously in that file, ignoring indentation
/// common to all of the block's lines and trailing whitespace. When the source changes and
/// the excerpt does not, the check fails and names the first line that differs.
enum CodeExcerpt {
  /// nil when the block is no excerpt; else the path it quotes (nil inside when the info
  /// string names none: `swift excerpt` alone).
  static func path(of block: MarkdownDocument.CodeBlock) -> String?? {
    guard block.info.count >= 2, block.info[1] == "excerpt" else { return nil }
    return .some(block.info.count == 3 ? block.info[2] : nil)
  }

  /// nil when `excerpt` occurs in `source`; else the closest place and the first line that differs.
  static func mismatch(excerpt: String, source: String, shown: String) -> String? {
    let wanted = dedented(lines(excerpt))
    guard !wanted.isEmpty else { return "the excerpt of \(shown) is empty" }
    let file = lines(source)
    var best: (start: Int, matching: Int) = (0, -1)
    if file.count >= wanted.count {
      for start in 0...(file.count - wanted.count) {
        let window = dedented(Array(file[start..<start + wanted.count]))
        let matching = zip(window, wanted).prefix(while: { $0 == $1 }).count
        if matching == wanted.count { return nil }
        if matching > best.matching { best = (start, matching) }
      }
    }
    guard best.matching >= 0 else { return "the excerpt (\(wanted.count) lines) is longer than \(shown) (\(file.count) lines)" }
    let differing = best.start + best.matching
    let had = differing < file.count ? file[differing].trimmingCharacters(in: .whitespaces) : "(end of file)"
    return "the excerpt no longer matches \(shown): its line \(best.matching + 1) \"\(wanted[best.matching].trimmingCharacters(in: .whitespaces).prefix(80))\" against \(shown):\(differing + 1) \"\(had.prefix(80))\""
  }

  /// Lines without trailing whitespace (and without the final empty line of a file).
  private static func lines(_ text: String) -> [String] {
    var result = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { line in
      String(line.reversed().drop(while: \.isWhitespace).reversed())
    }
    while result.last == "" { result.removeLast() }
    return result
  }

  /// Drops the indentation all non-empty lines share.
  private static func dedented(_ lines: [String]) -> [String] {
    let indents = lines.filter { !$0.isEmpty }.map { $0.prefix(while: { $0 == " " || $0 == "\t" }).count }
    let common = indents.min() ?? 0
    return lines.map { $0.isEmpty ? $0 : String($0.dropFirst(common)) }
  }
}

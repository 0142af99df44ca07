import Foundation

/// Finds numbers in the prose that look measured but carry no marker: a decimal with three
/// or more significant digits (0.313, 2.31) or any number in e-notation with a decimal
/// point (1.66e-7). Integers (counts, sizes, years) and short decimals (σ = 0.5) pass, and so
/// does a value right after `σ = ` or `b_f = ` (a configuration, not a measurement). Code
/// spans, code blocks and link texts are not prose.
enum UnmarkedNumbers {
  static func find(in document: MarkdownDocument) -> [NotebookProblem] {
    var problems: [NotebookProblem] = []
    let bracket = pattern(#"\[[^\]]*\]"#)
    let number = pattern(#"(?<![\w.^⁰¹²³⁴⁵⁶⁷⁸⁹])[-−]?\d[\d,]*\.\d+(?:e[-+]?\d+)?(?![\w.])"#)
    for (line, text) in document.proseLines {
      let ns = text as NSString
      let unlinked = bracket.stringByReplacingMatches(in: text, range: NSRange(location: 0, length: ns.length), withTemplate: "[]")
      let u = unlinked as NSString
      for match in number.matches(in: unlinked, range: NSRange(location: 0, length: u.length)) {
        let found = u.substring(with: match.range)
        let before = u.substring(to: match.range.location)
        if before.hasSuffix("σ = ") || before.hasSuffix("b_f = ") || before.hasSuffix("σ=") { continue }
        if significantDigits(found) >= 3 || found.contains("e") {
          problems.append(NotebookProblem(file: document.path, line: line, message: "number \(found) carries no marker; link it to its table cell, or write it in `code` if it is not a measurement"))
        }
      }
    }
    return problems
  }

  static func significantDigits(_ text: String) -> Int {
    let mantissa = text.split(separator: "e").first.map(String.init) ?? text
    let digits = mantissa.filter(\.isNumber).drop(while: { $0 == "0" })
    return digits.count
  }

  private static func pattern(_ p: String) -> NSRegularExpression {
    guard let compiled = try? NSRegularExpression(pattern: p) else { preconditionFailure("bad pattern \(p)") }
    return compiled
  }
}

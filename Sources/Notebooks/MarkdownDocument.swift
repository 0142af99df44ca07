import Foundation

/// A Markdown file cut into what the notebook checker looks at: fenced code blocks, links and
/// images (inline, reference-style and HTML `<img>`), reference definitions, headings, and the
/// prose lines with code spans blanked out. Line numbers are 1-based.
public struct MarkdownDocument: Sendable {
  public struct CodeBlock: Sendable {
    public let line: Int
    /// The fence's info string split into words: `sh run` gives ["sh", "run"].
    public let info: [String]
    public let text: String
  }

  public struct Link: Sendable {
    public let line: Int
    public let text: String
    public let isImage: Bool
    /// The destination; for a reference link, the destination of its definition.
    public let url: String
    public let title: String?
  }

  public let path: String
  public let codeBlocks: [CodeBlock]
  public let links: [Link]
  /// Prose outside code blocks, code spans replaced by spaces and link destinations removed.
  public let proseLines: [(line: Int, text: String)]
  public let headings: [String]
  public let problems: [NotebookProblem]

  public init(path: String, text: String) {
    self.path = path
    var blocks: [CodeBlock] = []
    var prose: [(Int, String)] = []
    var headings: [String] = []
    var definitions: [String: (url: String, title: String?)] = [:]
    var problems: [NotebookProblem] = []
    var fence: (line: Int, marker: String, info: [String], body: [String])?
    for (index, raw) in text.replacingOccurrences(of: "\r\n", with: "\n").components(separatedBy: "\n").enumerated() {
      let line = index + 1
      let trimmed = raw.trimmingCharacters(in: .whitespaces)
      if var open = fence {
        if trimmed.hasPrefix(open.marker) && trimmed.allSatisfy({ $0 == open.marker.first }) {
          blocks.append(CodeBlock(line: open.line, info: open.info, text: open.body.joined(separator: "\n")))
          fence = nil
        } else {
          open.body.append(raw)
          fence = open
        }
        continue
      }
      if let marker = Self.fenceMarker(trimmed) {
        let info = trimmed.dropFirst(marker.count).split(separator: " ").map(String.init)
        fence = (line, marker, info, [])
        continue
      }
      if let definition = Self.referenceDefinition(raw) {
        definitions[definition.label.lowercased()] = (definition.url, definition.title)
        continue
      }
      if trimmed.hasPrefix("#") { headings.append(trimmed.drop(while: { $0 == "#" }).trimmingCharacters(in: .whitespaces)) }
      prose.append((line, Self.blankingCodeSpans(raw)))
    }
    if let open = fence {
      problems.append(NotebookProblem(file: path, line: open.line, message: "code fence is never closed"))
    }
    var links: [Link] = []
    for (line, text) in prose where Self.hasBrokenLink(text) {
      problems.append(NotebookProblem(file: path, line: line, message: "a link here is broken over two lines (its text or its title); keep each link on one line so the check can read it"))
    }
    for (line, text) in prose {
      for found in Self.inlineLinks(in: text) {
        links.append(Link(line: line, text: found.text, isImage: found.isImage, url: found.url, title: found.title))
      }
      for found in Self.referenceLinks(in: text) {
        guard let definition = definitions[found.label.lowercased()] else {
          problems.append(NotebookProblem(file: path, line: line, message: "reference [\(found.label)] has no definition"))
          continue
        }
        links.append(Link(line: line, text: found.text, isImage: found.isImage, url: definition.url, title: definition.title))
      }
      for source in Self.htmlImageSources(in: text) {
        links.append(Link(line: line, text: "", isImage: true, url: source, title: nil))
      }
    }
    self.codeBlocks = blocks
    self.links = links
    self.proseLines = prose.map { ($0.0, Self.removingLinkDestinations($0.1)) }
    self.headings = headings
    self.problems = problems
  }

  private static func fenceMarker(_ trimmed: String) -> String? {
    for marker in ["```", "~~~"] where trimmed.hasPrefix(marker) {
      return String(trimmed.prefix(while: { $0 == marker.first }))
    }
    return nil
  }

  private static func regex(_ pattern: String) -> NSRegularExpression {
    // The patterns in this file are constants; a typo is a programming error the tests catch.
    guard let compiled = try? NSRegularExpression(pattern: pattern) else { preconditionFailure("bad pattern \(pattern)") }
    return compiled
  }

  private static func matches(_ pattern: String, in text: String) -> [[String?]] {
    let ns = text as NSString
    return regex(pattern).matches(in: text, range: NSRange(location: 0, length: ns.length)).map { match in
      (0..<match.numberOfRanges).map { i in
        let range = match.range(at: i)
        return range.location == NSNotFound ? nil : ns.substring(with: range)
      }
    }
  }

  /// A link title in double or single quotes (a gnuplot command with "strings" takes '...').
  private static let title = #"(?:\s+(?:"([^"]*)"|'([^']*)'))?"#

  // [label]: destination "title"
  private static func referenceDefinition(_ line: String) -> (label: String, url: String, title: String?)? {
    guard let m = matches(#"^ {0,3}\[([^\]]+)\]:\s+(\S+)"# + title + #"\s*$"#, in: line).first,
      let label = m[1], let url = m[2]
    else { return nil }
    return (label, url, m[3] ?? m[4])
  }

  // ![text](destination "title") and [text](destination "title")
  private static func inlineLinks(in text: String) -> [(text: String, isImage: Bool, url: String, title: String?)] {
    matches(#"(!?)\[([^\]\[]*)\]\(([^)\s]*)"# + title + #"\)"#, in: text).map {
      ($0[2] ?? "", $0[1] == "!", $0[3] ?? "", $0[4] ?? $0[5])
    }
  }

  // [text][label] (the collapsed form [text][] uses the text as label)
  private static func referenceLinks(in text: String) -> [(text: String, isImage: Bool, label: String)] {
    matches(#"(!?)\[([^\]\[]+)\]\[([^\]\[]*)\]"#, in: text).map {
      let label = ($0[3] ?? "").isEmpty ? ($0[2] ?? "") : ($0[3] ?? "")
      return ($0[2] ?? "", $0[1] == "!", label)
    }
  }

  /// True when `](` or `][` remains after the links the patterns read are taken out: the
  /// rest of a link whose text or title began on another line.
  private static func hasBrokenLink(_ line: String) -> Bool {
    guard line.contains("](") || line.contains("][") else { return false }
    var rest = line
    for pattern in [#"!?\[[^\]\[]*\]\([^)\s]*"# + title + #"\)"#, #"!?\[[^\]\[]+\]\[[^\]\[]*\]"#] {
      rest = regex(pattern).stringByReplacingMatches(
        in: rest, range: NSRange(location: 0, length: (rest as NSString).length), withTemplate: " ")
    }
    return rest.contains("](") || rest.contains("][")
  }

  private static func htmlImageSources(in text: String) -> [String] {
    matches(#"<img\s[^>]*src="([^"]+)""#, in: text).compactMap { $0[1] }
  }

  /// `code` spans become spaces, so numbers and brackets inside them are not prose.
  static func blankingCodeSpans(_ line: String) -> String {
    var out = ""
    var inCode = false
    for ch in line {
      if ch == "`" {
        inCode.toggle()
        out.append(" ")
      } else {
        out.append(inCode ? " " : ch)
      }
    }
    return out
  }

  /// Keeps a link's text, drops its destination and label: `[1.2](x.tsv "t")` becomes `[1.2]`.
  private static func removingLinkDestinations(_ line: String) -> String {
    var s = regex(#"\]\([^)\s]*"# + title + #"\)"#).stringByReplacingMatches(
      in: line, range: NSRange(location: 0, length: (line as NSString).length), withTemplate: "]")
    s = regex(#"\]\[[^\]]*\]"#).stringByReplacingMatches(
      in: s, range: NSRange(location: 0, length: (s as NSString).length), withTemplate: "]")
    return regex(#"<[^>]*>"#).stringByReplacingMatches(
      in: s, range: NSRange(location: 0, length: (s as NSString).length), withTemplate: " ")
  }
}

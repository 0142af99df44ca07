import Foundation

/// A statement marker: a link whose title starts with `? ` claims something true or false
/// about the table (or gnuplot script) it links to. The link text is the prose claim.
///
///     "? {a @ k=1} > {a @ k=2}"                   a claim: comparisons joined by and, or, not
///     "? every model=rnn sigma>1: rate > 0"       every matching row (none matching: false)
///     "? some model=gru: solved == 1"             at least one matching row
///     "? none model=lstm: grad > 1"               no matching row
///     "? gp set yrange [1e-80:1]"                 the linked script has that command
///
/// In a quantifier's condition a bare column name is the row's cell; braces still read any cell.
enum Statement {
  enum Quantifier: String {
    case every, some, none
  }

  case claim(MarkerExpression)
  case rows(Quantifier, selectors: String, condition: MarkerExpression)
  case gnuplot(command: String)

  /// Reads a title that starts with `?`.
  init(title: String) throws {
    let body = title.dropFirst().trimmingCharacters(in: .whitespaces)
    let firstWord = body.prefix(while: { $0 != " " && $0 != ":" })
    if firstWord == "gp" {
      let command = body.dropFirst(2).trimmingCharacters(in: .whitespaces)
      guard !command.isEmpty else { throw NotebookError("\"\(title)\": write the gnuplot command after `? gp`") }
      self = .gnuplot(command: command)
    } else if let quantifier = Quantifier(rawValue: String(firstWord)) {
      let rest = body.dropFirst(firstWord.count)
      guard let colon = rest.firstIndex(of: ":") else {
        throw NotebookError("\"\(title)\": write `? \(quantifier) key=value ...: condition`")
      }
      let condition = rest[rest.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      guard !condition.isEmpty else { throw NotebookError("\"\(title)\": the condition after : is empty") }
      self = .rows(quantifier, selectors: rest[..<colon].trimmingCharacters(in: .whitespaces), condition: MarkerExpression(condition))
    } else {
      self = .claim(MarkerExpression(body))
    }
  }

  /// nil when the statement holds, else what was compared. `shown` names the linked file as
  /// the notebook writes it.
  func falsehood(
    cells: TableCells, file: String?, shown: String, resolve: MarkerExpression.Resolve
  ) throws -> String? {
    switch self {
    case .claim(let expression):
      let (holds, compared) = try expression.evaluateClaim(resolve: resolve)
      return holds ? nil : "compared \(compared.joined(separator: ", "))"
    case .rows(let quantifier, let selectors, let condition):
      guard let file, !file.hasSuffix(".json") else {
        throw NotebookError("`\(quantifier)` reads the rows of the linked table; link a .tsv file")
      }
      let rows = try cells.rows(matching: selectors, in: file)
      let keys = selectors.split(separator: " ").compactMap { selector in
        selector.firstIndex(where: { "=<>!".contains($0) }).map { String(selector[..<$0]) }
      }
      func describe(_ row: TableCells.Row, _ compared: [String]) -> String {
        let identity = keys.map { "\($0)=\(row.cells[$0] ?? "")" }.joined(separator: " ")
        return "line \(row.line) of \(shown)\(identity.isEmpty ? "" : " (\(identity))") compared \(compared.joined(separator: ", "))"
      }
      guard !rows.isEmpty else { return "no row of \(shown) matches \"\(selectors)\"" }
      for row in rows {
        let (holds, compared) = try condition.evaluateClaim(resolve: resolve) { name in
          guard let cell = row.cells[name] else {
            throw NotebookError("\(shown) has no column \"\(name)\"")
          }
          guard let value = Double(cell) else {
            throw NotebookError("line \(row.line) of \(shown): \(name) \"\(cell)\" is not a number")
          }
          return value
        }
        switch quantifier {
        case .every where !holds: return "fails at \(describe(row, compared))"
        case .some where holds: return nil
        case .none where holds: return "holds at \(describe(row, compared))"
        default: continue
        }
      }
      return quantifier == .some ? "none of the \(rows.count) matching rows of \(shown) holds it" : nil
    case .gnuplot(let command):
      guard let file, file.hasSuffix(".gp") else { throw NotebookError("`? gp` reads a gnuplot script; link a .gp file") }
      guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { throw NotebookError("cannot read \(shown)") }
      let script = GnuplotScript(text: text)
      guard !script.contains(command) else { return nil }
      let similar = script.commands(startingLike: command)
      return "\(shown) has no command \"\(GnuplotScript.collapsed(command))\""
        + (similar.isEmpty ? "" : " (it has: \(similar.joined(separator: "; ")))")
    }
  }
}

/// A gnuplot script as commands: comments stripped, continuation lines joined, one command
/// per line or `;`, whitespace collapsed to single spaces.
struct GnuplotScript {
  let commands: [String]

  init(text: String) {
    var commands: [String] = []
    var current = ""
    var quote: Character?
    var chars = Array(text.replacingOccurrences(of: "\r\n", with: "\n"))[...]
    func finish() {
      let command = Self.collapsed(current)
      if !command.isEmpty { commands.append(command) }
      current = ""
    }
    while let c = chars.popFirst() {
      if let q = quote {
        current.append(c)
        if c == "\\" && q == "\"", let next = chars.popFirst() {
          current.append(next)
        } else if c == q || c == "\n" {
          quote = nil
          if c == "\n" { finish() }
        }
        continue
      }
      switch c {
      case "\"", "'":
        quote = c
        current.append(c)
      case "\\" where chars.first == "\n":
        _ = chars.popFirst()
        current.append(" ")
      case "#":
        while let next = chars.first, next != "\n" { _ = chars.popFirst() }
      case "\n", ";":
        finish()
      default:
        current.append(c)
      }
    }
    finish()
    self.commands = commands
  }

  static func collapsed(_ text: String) -> String {
    text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
  }

  /// True when one command holds `command` (whitespace collapsed), starting and ending at
  /// word boundaries: `set logscale y` is in `set logscale y 10`, not in `set logscale yx`.
  func contains(_ command: String) -> Bool {
    let wanted = Array(Self.collapsed(command))
    guard !wanted.isEmpty else { return false }
    func isWord(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" || c == "." }
    return commands.contains { line in
      let chars = Array(line)
      guard chars.count >= wanted.count else { return false }
      for start in 0...(chars.count - wanted.count) where Array(chars[start..<start + wanted.count]) == wanted {
        let before = start == 0 || !isWord(chars[start - 1]) || !isWord(wanted[0])
        let end = start + wanted.count
        let after = end == chars.count || !isWord(chars[end]) || !isWord(wanted[wanted.count - 1])
        if before && after { return true }
      }
      return false
    }
  }

  /// The commands whose first two words are the claim's: what to show when it is missing.
  func commands(startingLike command: String) -> [String] {
    let head = Self.collapsed(command).split(separator: " ").prefix(2).joined(separator: " ")
    return commands.filter { $0.hasPrefix(head) }.prefix(4).map { String($0.prefix(120)) }
  }
}

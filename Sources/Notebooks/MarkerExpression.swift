import Foundation

/// What a number marker's title says the number is.
///
/// - a cell reference alone: `grad_median @ model=lstm sigma=0.5 lag=50` (see `TableCells`),
///   read from the file the marker links to;
/// - or `=` and an expression: numbers, `+ - * / ^`, parentheses, `log` (natural), `log10`,
///   `exp`, `abs`, `sqrt`, `min`, `max`, and cell references in braces, optionally naming
///   another file relative to the linked one:
///   `= {grad_median @ model=lstm lag=50} / {imdb-rnn/metrics.tsv: val_loss @ epoch=1}`.
public struct MarkerExpression: Sendable {
  public let source: String

  public init(_ source: String) { self.source = source }

  /// Evaluates the expression; `resolve(file, reference)` reads one cell, where `file` is
  /// nil for the linked file.
  public func evaluate(resolve: (String?, String) throws -> Double) throws -> Double {
    let trimmed = source.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix("=") else { return try Self.cell(trimmed, resolve) }
    return try withoutActuallyEscaping(resolve) { resolve in
      var parser = Parser(characters: Array(trimmed.dropFirst()), resolve: resolve)
      let value = try parser.expression()
      parser.skipSpaces()
      guard parser.position == parser.characters.count else {
        throw NotebookError("\"\(source)\": unexpected \"\(String(parser.characters[parser.position...]))\"")
      }
      return value
    }
  }

  /// `path: reference` names another file; a reference alone reads the linked one.
  static func cell(_ text: String, _ resolve: (String?, String) throws -> Double) throws -> Double {
    if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("@"), !text[..<colon].contains(" ") {
      return try resolve(String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
    return try resolve(nil, text)
  }

  private struct Parser {
    let characters: [Character]
    let resolve: (String?, String) throws -> Double
    var position = 0

    init(characters: [Character], resolve: @escaping (String?, String) throws -> Double) {
      self.characters = characters
      self.resolve = resolve
    }

    mutating func skipSpaces() {
      while position < characters.count, characters[position] == " " { position += 1 }
    }

    mutating func take(_ c: Character) -> Bool {
      skipSpaces()
      guard position < characters.count, characters[position] == c else { return false }
      position += 1
      return true
    }

    // expression = term (("+" | "-") term)*
    mutating func expression() throws -> Double {
      var value = try term()
      while true {
        if take("+") { value += try term() } else if take("-") { value -= try term() } else { return value }
      }
    }

    // term = unary (("*" | "/") unary)*
    mutating func term() throws -> Double {
      var value = try unary()
      while true {
        if take("*") { value *= try unary() } else if take("/") { value /= try unary() } else { return value }
      }
    }

    // unary = "-" unary | primary ("^" unary)?
    mutating func unary() throws -> Double {
      if take("-") { return -(try unary()) }
      let base = try primary()
      return take("^") ? pow(base, try unary()) : base
    }

    mutating func primary() throws -> Double {
      skipSpaces()
      guard position < characters.count else { throw NotebookError("expression ends too early") }
      let c = characters[position]
      if take("(") {
        let value = try expression()
        guard take(")") else { throw NotebookError("missing )") }
        return value
      }
      if take("{") {
        let start = position
        while position < characters.count, characters[position] != "}" { position += 1 }
        guard position < characters.count else { throw NotebookError("missing }") }
        let text = String(characters[start..<position]).trimmingCharacters(in: .whitespaces)
        position += 1
        return try MarkerExpression.cell(text, resolve)
      }
      if c.isNumber || c == "." { return try number() }
      if c.isLetter { return try function() }
      throw NotebookError("unexpected \"\(c)\"")
    }

    mutating func number() throws -> Double {
      let start = position
      while position < characters.count, characters[position].isNumber || characters[position] == "." {
        position += 1
      }
      if position < characters.count, characters[position] == "e" || characters[position] == "E" {
        position += 1
        if position < characters.count, characters[position] == "-" || characters[position] == "+" { position += 1 }
        while position < characters.count, characters[position].isNumber { position += 1 }
      }
      let text = String(characters[start..<position])
      guard let value = Double(text) else { throw NotebookError("\"\(text)\" is not a number") }
      return value
    }

    mutating func function() throws -> Double {
      let start = position
      while position < characters.count, characters[position].isLetter || characters[position].isNumber {
        position += 1
      }
      let name = String(characters[start..<position])
      guard take("(") else { throw NotebookError("\(name) needs ( )") }
      var arguments = [try expression()]
      while take(",") { arguments.append(try expression()) }
      guard take(")") else { throw NotebookError("missing ) after \(name)") }
      switch (name, arguments.count) {
      case ("log", 1): return Foundation.log(arguments[0])
      case ("log10", 1): return Foundation.log10(arguments[0])
      case ("exp", 1): return Foundation.exp(arguments[0])
      case ("abs", 1): return Swift.abs(arguments[0])
      case ("sqrt", 1): return arguments[0].squareRoot()
      case ("min", _): return arguments.min() ?? .nan
      case ("max", _): return arguments.max() ?? .nan
      default: throw NotebookError("unknown function \(name) with \(arguments.count) arguments")
      }
    }
  }
}

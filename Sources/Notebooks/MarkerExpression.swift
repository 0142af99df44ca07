import Foundation

/// What a number marker's title says the number is, and what a statement marker's title
/// says is true.
///
/// - a cell reference alone: `grad_median @ model=lstm sigma=0.5 lag=50` (see `TableCells`),
///   read from the file the marker links to;
/// - or `=` and an expression: numbers, `+ - * / ^`, parentheses, `log` (natural), `log10`,
///   `exp`, `abs`, `sqrt`, `min`, `max`, and cell references in braces, optionally naming
///   another file relative to the linked one:
///   `= {grad_median @ model=lstm lag=50} / {imdb-rnn/metrics.tsv: val_loss @ epoch=1}`.
///
/// A claim (`evaluateClaim`) is the same arithmetic compared with `< <= > >= == !=`
/// (chains `a < b < c` mean `a < b and b < c`) and combined with `and`, `or`, `not` and
/// parentheses. Inside a quantifier's row condition a bare column name is that row's cell.
///
/// Nesting (parentheses, function calls, minus signs, `not`, `^`) is limited to `maximumDepth` levels, so a
/// hostile title gets a one-line error instead of overflowing the stack.
public struct MarkerExpression: Sendable {
  public let source: String
  public static let maximumDepth = 64

  public init(_ source: String) { self.source = source }

  /// Reads one cell: `file` is nil for the linked file.
  public typealias Resolve = (_ file: String?, _ reference: String) throws -> Double
  /// Reads a bare column name (a quantifier's row); nil outside a row.
  public typealias Column = (_ name: String) throws -> Double

  /// Evaluates a number marker's title.
  public func evaluate(resolve: Resolve) throws -> Double {
    let trimmed = source.trimmingCharacters(in: .whitespaces)
    guard trimmed.hasPrefix("=") else { return try Self.cell(trimmed, resolve) }
    let (value, _) = try Self.parse(String(trimmed.dropFirst()), resolve: resolve, column: nil)
    guard case .number(let number) = value else {
      throw NotebookError("\"\(source)\" is a comparison; a number marker's title computes a number")
    }
    return number
  }

  /// Evaluates a claim: whether it holds, and every comparison it made (`1.66e-07 > 1.72e-21`).
  public func evaluateClaim(resolve: Resolve, column: Column? = nil) throws -> (holds: Bool, compared: [String]) {
    let (value, compared) = try Self.parse(source, resolve: resolve, column: column)
    guard case .truth(let holds) = value else {
      throw NotebookError("\"\(source)\" computes a number, not a claim; compare it with < <= > >= == !=")
    }
    return (holds, compared)
  }

  /// `path: reference` names another file; a reference alone reads the linked one.
  static func cell(_ text: String, _ resolve: Resolve) throws -> Double {
    if let colon = text.firstIndex(of: ":"), !text[..<colon].contains("@"), !text[..<colon].contains(" ") {
      return try resolve(String(text[..<colon]), String(text[text.index(after: colon)...]))
    }
    return try resolve(nil, text)
  }

  private static func parse(_ text: String, resolve: Resolve, column: Column?) throws -> (Value, [String]) {
    try withoutActuallyEscaping(resolve) { resolve in
      var parser = Parser(characters: Array(text), resolve: resolve, column: column)
      let value = try parser.disjunction()
      parser.skipSpaces()
      guard parser.position == parser.characters.count else {
        let rest = String(parser.characters[parser.position...].prefix(40))
        throw NotebookError("\"\(text.prefix(80))\": unexpected \"\(rest)\"")
      }
      return (value, parser.compared)
    }
  }

  enum Value {
    case number(Double)
    case truth(Bool)
  }

  private struct Parser {
    let characters: [Character]
    let resolve: Resolve
    let column: Column?
    var position = 0
    var depth = 0
    /// Every comparison made, as `left op right`, for the message when a claim is false.
    var compared: [String] = []

    init(characters: [Character], resolve: @escaping Resolve, column: Column?) {
      self.characters = characters
      self.resolve = resolve
      self.column = column
    }

    mutating func skipSpaces() {
      while position < characters.count, characters[position] == " " { position += 1 }
    }

    mutating func take(_ symbol: String) -> Bool {
      skipSpaces()
      let chars = Array(symbol)
      guard position + chars.count <= characters.count, Array(characters[position..<position + chars.count]) == chars
      else { return false }
      position += chars.count
      return true
    }

    /// Takes `word` when it stands alone (not the start of a longer name).
    mutating func take(word: String) -> Bool {
      let start = position
      guard take(word) else { return false }
      if position < characters.count, Self.isNameCharacter(characters[position]) {
        position = start
        return false
      }
      return true
    }

    static func isNameCharacter(_ c: Character) -> Bool { c.isLetter || c.isNumber || c == "_" }

    /// Counts one level of nesting (a parenthesis, function call, minus sign, `not` or `^`:
    /// every way the grammar recurses passes one); refuses more than `maximumDepth`.
    mutating func descend() throws {
      depth += 1
      guard depth <= MarkerExpression.maximumDepth else {
        throw NotebookError("expression nests deeper than \(MarkerExpression.maximumDepth) levels (parentheses, calls, minus signs, not, ^); write it flatter")
      }
    }

    func number(_ value: Value, _ role: String) throws -> Double {
      guard case .number(let x) = value else { throw NotebookError("\(role) needs a number, not a true/false comparison") }
      return x
    }

    func truth(_ value: Value, _ role: String) throws -> Bool {
      guard case .truth(let b) = value else { throw NotebookError("\(role) needs a comparison, not a number") }
      return b
    }

    // disjunction = conjunction ("or" conjunction)*
    mutating func disjunction() throws -> Value { try chain("or", of: { try $0.conjunction() }) { $0 || $1 } }

    // conjunction = negation ("and" negation)*
    mutating func conjunction() throws -> Value { try chain("and", of: { try $0.negation() }) { $0 && $1 } }

    /// operand (`word` operand)*: comparisons joined left to right by `combine`.
    mutating func chain(_ word: String, of operand: (inout Self) throws -> Value, _ combine: (Bool, Bool) -> Bool) throws -> Value {
      var value = try operand(&self)
      while take(word: word) {
        let right = try operand(&self)
        value = .truth(combine(try truth(value, word), try truth(right, word)))
      }
      return value
    }

    // negation = "not" negation | comparison
    mutating func negation() throws -> Value {
      guard take(word: "not") else { return try comparison() }
      try descend()
      defer { depth -= 1 }
      return .truth(!(try truth(try negation(), "not")))
    }

    static let comparisons = ["<=", ">=", "==", "!=", "<", ">"]

    // comparison = sum (op sum)*, a chain a < b < c meaning a < b and b < c
    mutating func comparison() throws -> Value {
      let first = try sum()
      var holds = true
      var left = first
      var any = false
      while let op = Self.comparisons.first(where: { take($0) }) {
        let right = try sum()
        let a = try number(left, op)
        let b = try number(right, op)
        let result: Bool
        switch op {
        case "<": result = a < b
        case "<=": result = a <= b
        case ">": result = a > b
        case ">=": result = a >= b
        case "==": result = a == b
        default: result = a != b
        }
        compared.append("\(NotebookChecker.format(a)) \(op) \(NotebookChecker.format(b))")
        holds = holds && result
        left = right
        any = true
      }
      if !any, take("=") { throw NotebookError("write == to compare (= alone starts a number marker's expression)") }
      return any ? .truth(holds) : first
    }

    // sum = term (("+" | "-") term)*
    mutating func sum() throws -> Value {
      var value = try term()
      while true {
        if take("+") {
          value = .number(try number(value, "+") + number(try term(), "+"))
        } else if take("-") {
          value = .number(try number(value, "-") - number(try term(), "-"))
        } else {
          return value
        }
      }
    }

    // term = unary (("*" | "/") unary)*
    mutating func term() throws -> Value {
      var value = try unary()
      while true {
        if take("*") {
          value = .number(try number(value, "*") * number(try unary(), "*"))
        } else if take("/") {
          value = .number(try number(value, "/") / number(try unary(), "/"))
        } else {
          return value
        }
      }
    }

    // unary = "-" unary | primary ("^" unary)?
    mutating func unary() throws -> Value {
      if take("-") {
        try descend()
        defer { depth -= 1 }
        return .number(-(try number(try unary(), "-")))
      }
      let base = try primary()
      guard take("^") else { return base }
      try descend()
      defer { depth -= 1 }
      return .number(pow(try number(base, "^"), try number(try unary(), "^")))
    }

    mutating func primary() throws -> Value {
      skipSpaces()
      guard position < characters.count else { throw NotebookError("expression ends too early") }
      let c = characters[position]
      if take("(") {
        try descend()
        defer { depth -= 1 }
        let value = try disjunction()
        guard take(")") else { throw NotebookError("missing )") }
        return value
      }
      if take("{") {
        let start = position
        while position < characters.count, characters[position] != "}" { position += 1 }
        guard position < characters.count else { throw NotebookError("missing }") }
        let text = String(characters[start..<position]).trimmingCharacters(in: .whitespaces)
        position += 1
        return .number(try MarkerExpression.cell(text, resolve))
      }
      if c.isNumber || c == "." { return .number(try number()) }
      if c.isLetter || c == "_" { return .number(try name()) }
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

    /// A function call `name(arguments)`, or a bare column name of the row.
    mutating func name() throws -> Double {
      let start = position
      while position < characters.count, Self.isNameCharacter(characters[position]) { position += 1 }
      let name = String(characters[start..<position])
      guard take("(") else {
        guard let column else { throw NotebookError("\"\(name)\": write a cell in braces, {column @ key=value}") }
        return try column(name)
      }
      try descend()
      defer { depth -= 1 }
      var arguments = [try number(try disjunction(), name)]
      while take(",") { arguments.append(try number(try disjunction(), name)) }
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

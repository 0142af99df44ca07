import Foundation

/// The commands in a notebook's `sh` code block, split the way a POSIX shell splits simple
/// command lines: backslash continuations joined, `# comments` dropped, newlines, `&&` and
/// `;` separate commands, single and double quotes group words (across lines too).
public struct ShellCommand: Equatable, Sendable {
  public let words: [String]

  /// The arguments after the program when this runs `gradlab` (directly, as
  /// `.build/release/gradlab`, or through `swift run [-c release] gradlab`); nil otherwise.
  public var gradlabArguments: [String]? {
    guard let first = words.first else { return nil }
    if first == "gradlab" || first.hasSuffix("/gradlab") { return Array(words.dropFirst()) }
    if first == "swift", words.count > 1, words[1] == "run" {
      var rest = words.dropFirst(2)
      while let word = rest.first, word.hasPrefix("-") {
        rest = rest.dropFirst(word == "-c" || word == "--configuration" ? 2 : 1)
      }
      if rest.first == "gradlab" { return Array(rest.dropFirst()) }
    }
    return nil
  }

  /// Splits a block into commands; throws on an unclosed quote. A quoted word may span lines.
  public static func parse(block: String) throws -> [ShellCommand] {
    var commands: [ShellCommand] = []
    var words: [String] = []
    var word = ""
    var inWord = false
    var quote: Character?
    var previous: Character = " "
    func finishWord() {
      if inWord { words.append(word) }
      word = ""
      inWord = false
    }
    func finishCommand() {
      finishWord()
      if !words.isEmpty { commands.append(ShellCommand(words: words)) }
      words = []
    }
    var chars = Array(block)[...]
    while let c = chars.popFirst() {
      defer { previous = c }
      if let q = quote {
        if c == q { quote = nil } else { word.append(c) }
        continue
      }
      switch c {
      case "\\" where chars.first == "\n":
        _ = chars.popFirst()
        finishWord()
      case "'", "\"":
        quote = c
        inWord = true
      case " ", "\t":
        finishWord()
      case "#" where !inWord || previous == " " || previous == "\t":
        while let next = chars.first, next != "\n" { _ = chars.popFirst() }
      case ";", "\n":
        finishCommand()
      case "&" where chars.first == "&":
        _ = chars.popFirst()
        finishCommand()
      default:
        word.append(c)
        inWord = true
      }
    }
    if quote != nil { throw NotebookError("unclosed quote in \"\(block)\"") }
    finishCommand()
    return commands
  }
}

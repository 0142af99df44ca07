import Foundation
import Testing

@testable import Notebooks

/// Statement markers: each kind passes when true, and a planted false one fails the check
/// with one line naming the file, the line, the claim and the values compared.
struct StatementTests {
  static let table = """
    model\tsigma\tlag\tgrad_median\trate
    rnn\t0.5\t10\t1e-3\t-0.69
    rnn\t2\t10\t5e2\t0.69
    lstm\t0.5\t10\t0.2\t-0.29
    lstm\t2\t10\t0.3\t-0.1

    """

  static let script = """
    # decay figure
    set logscale y   # the gradient spans many decades
    set yrange [1e-80:1]; set xlabel "lag" \\
        font ",10"
    plot 'data/decay_summary.tsv' using 3:4 with lines
    """

  static let source = """
    struct Driver {
      func backward() {
        for t in stride(from: steps - 1, through: 0, by: -1) {
          dh = cell.backward(dh, at: t)   // dh_{t-1} = J_t^T dh_t
        }
      }
    }
    """

  /// A repository with a table, a gnuplot script, a Swift source and one notebook line.
  func check(_ line: String) throws -> [NotebookProblem] {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("st-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    let files = FileManager.default
    for folder in ["plots/data", "notebooks-md", "Sources/X"] {
      try files.createDirectory(at: root.appendingPathComponent(folder), withIntermediateDirectories: true)
    }
    try Self.table.write(to: root.appendingPathComponent("plots/data/decay_summary.tsv"), atomically: true, encoding: .utf8)
    try Self.table.replacingOccurrences(of: "\n", with: "\r\n")
      .write(to: root.appendingPathComponent("plots/data/crlf.tsv"), atomically: true, encoding: .utf8)
    try Self.script.write(to: root.appendingPathComponent("plots/decay.gp"), atomically: true, encoding: .utf8)
    try Self.source.write(to: root.appendingPathComponent("Sources/X/Driver.swift"), atomically: true, encoding: .utf8)
    let file = root.appendingPathComponent("notebooks-md/01.md").path
    try "# One\n\n\(line)\n".write(toFile: file, atomically: true, encoding: .utf8)
    return try NotebookChecker(options: NotebookCheckOptions(root: root)).check(files: [file])
  }

  func link(_ text: String, _ title: String, to target: String = "../plots/data/decay_summary.tsv") -> String {
    "[\(text)](\(target) \"\(title)\")"
  }

  /// The one problem a false statement gives, on line 3 of the notebook.
  func falsehood(_ line: String) throws -> String {
    let problems = try check(line)
    try #require(problems.count == 1, "expected one problem, got \(problems)")
    #expect(problems[0].line == 3)
    #expect(problems[0].description.hasPrefix(problems[0].file + ":3: "))
    return problems[0].message
  }

  @Test func aComparisonBetweenCells() throws {
    let lstm = "{grad_median @ model=lstm sigma=0.5}"
    let rnn = "{grad_median @ model=rnn sigma=0.5}"
    #expect(try check(link("keeps more", "? \(lstm) > \(rnn)")) == [])
    let message = try falsehood(link("keeps less", "? \(lstm) < \(rnn)"))
    #expect(message.contains("statement \"keeps less\" is false"))
    #expect(message.contains("? \(lstm) < \(rnn)"))
    #expect(message.contains("compared 0.2 < 0.001"))
  }

  @Test func arithmeticChainsAndLogic() throws {
    #expect(try check(link("ordered", "? {grad_median @ model=rnn sigma=0.5} < {grad_median @ model=lstm sigma=0.5} < {grad_median @ model=lstm sigma=2}")) == [])
    #expect(try falsehood(link("ordered", "? 1 < 3 < 2")).contains("compared 1 < 3, 3 < 2"))
    #expect(try check(link("either", "? 1 > 2 or not (2 > 3) and 10 * {rate @ model=lstm sigma=2} == -1")) == [])
    #expect(try falsehood(link("both", "? 1 < 2 and 2 >= 3")).contains("compared 1 < 2, 2 >= 3"))
    #expect(try check(link("ratio", "? log10({grad_median @ model=rnn sigma=2} / {grad_median @ model=rnn sigma=0.5}) >= 5.69")) == [])
  }

  @Test func everyRowOfATable() throws {
    #expect(try check(link("grows for σ > 1", "? every model=rnn sigma>1: rate > 0")) == [])
    #expect(try check(link("all positive", "? every : grad_median > 0")) == [])
    let message = try falsehood(link("all grow", "? every model=rnn: rate > 0"))
    #expect(message.contains("fails at line 2 of ../plots/data/decay_summary.tsv (model=rnn) compared -0.69 > 0"))
    let none = try falsehood(link("every GRU", "? every model=gru: rate > 0"))
    #expect(none.contains("no row of ../plots/data/decay_summary.tsv matches \"model=gru\""))
    for quantifier in ["some", "none"] {
      #expect(try falsehood(link("GRU", "? \(quantifier) model=gru: rate > 100")).contains("no row of"))
    }
  }

  @Test func someAndNone() throws {
    #expect(try check(link("one grows", "? some model=lstm: rate > -0.2")) == [])
    #expect(try falsehood(link("one grows", "? some model=lstm: rate > 0")).contains("none of the 2 matching rows"))
    #expect(try check(link("none explodes", "? none model=lstm: grad_median > 1")) == [])
    let message = try falsehood(link("none explodes", "? none sigma=2: grad_median > 1"))
    #expect(message.contains("holds at line 3 of ../plots/data/decay_summary.tsv (sigma=2) compared 500 > 1"))
  }

  @Test func aRowConditionReadsOtherCellsInBraces() throws {
    #expect(try check(link("below the RNN's", "? every model=lstm: grad_median < {grad_median @ model=rnn sigma=2}")) == [])
    let unknown = try check(link("x", "? every : speed > 0"))
    #expect(unknown.count == 1 && unknown[0].message.contains("no column \"speed\""))
  }

  @Test func aFigureSettingReadFromItsScript() throws {
    #expect(try check(link("stops at 1e-80", "? gp set yrange [1e-80:1]", to: "../plots/decay.gp")) == [])
    #expect(try check(link("log axis", "? gp set logscale y", to: "../plots/decay.gp")) == [])
    #expect(try check(link("labelled", "? gp set xlabel \"lag\"  font \",10\"", to: "../plots/decay.gp").replacingOccurrences(of: "\"? gp", with: "'? gp").replacingOccurrences(of: "\")", with: "')")) == [])
    let message = try falsehood(link("stops at 1e-75", "? gp set yrange [1e-75:1]", to: "../plots/decay.gp"))
    #expect(message.contains("../plots/decay.gp has no command \"set yrange [1e-75:1]\" (it has: set yrange [1e-80:1])"))
    // Whole words only, and comments are not commands.
    #expect(try check(link("x", "? gp set logscale", to: "../plots/decay.gp")) == [])
    #expect(try check(link("x", "? gp set logscale yx", to: "../plots/decay.gp")).count == 1)
    #expect(try check(link("x", "? gp decay figure", to: "../plots/decay.gp")).count == 1)
    #expect(try check(link("x", "? gp set logscale y", to: "../plots/data/decay_summary.tsv")).count == 1)
  }

  @Test func aTableWithWindowsLineEndings() throws {
    #expect(try check(link("all positive", "? every model=rnn: grad_median > 0", to: "../plots/data/crlf.tsv")) == [])
    #expect(try check("[-0.1](../plots/data/crlf.tsv \"rate @ model=lstm sigma=2\")") == [])
  }

  func excerpt(_ body: String, path: String = "../Sources/X/Driver.swift") -> String {
    "```swift excerpt \(path)\n\(body)\n```"
  }

  @Test func anExcerptHeldEqualToItsSource() throws {
    let quoted = """
      for t in stride(from: steps - 1, through: 0, by: -1) {
        dh = cell.backward(dh, at: t)   // dh_{t-1} = J_t^T dh_t
      }
      """
    #expect(try check(excerpt(quoted)) == [])
    #expect(try check(excerpt("    " + quoted.replacingOccurrences(of: "\n", with: "  \n    "))) == [])
    // The source changed (or the excerpt was edited): the check names the differing line.
    let drifted = quoted.replacingOccurrences(of: "at: t)", with: "at: t + 1)")
    let message = try falsehood(excerpt(drifted))
    #expect(message.contains("the excerpt no longer matches ../Sources/X/Driver.swift: its line 2"))
    #expect(message.contains("Driver.swift:4 \"dh = cell.backward(dh, at: t)"))
    // Lines that occur, but not contiguously, do not match.
    #expect(try check(excerpt("struct Driver {\n  func backward() {\n  }")).count == 1)
    #expect(try falsehood(excerpt(quoted, path: "../Sources/X/Gone.swift")).contains("does not exist"))
  }

  /// 30,000 levels of parentheses, minus signs or `not` once overflowed the parser's stack.
  @Test func deepNestingIsAnErrorNotACrash() throws {
    let depth = 30_000
    let titles = [
      "= " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth),
      "= " + String(repeating: "-", count: depth) + "1",
      "= " + Array(repeating: "2", count: depth).joined(separator: "^"),
      "? " + String(repeating: "not ", count: depth) + "1 < 2",
      "? every : " + String(repeating: "(", count: depth) + "grad_median > 0" + String(repeating: ")", count: depth),
    ]
    for title in titles {
      let problems = try check(link(title.hasPrefix("=") ? "1" : "claim", title))
      #expect(problems.count == 1)
      #expect(problems.first?.message.contains("nests deeper than 64 levels") == true, "\(problems.first?.message.prefix(200) ?? "")")
      #expect(problems.first.map { $0.message.count < 300 } == true)
    }
    // 64 levels are fine.
    let fine = "= " + String(repeating: "(", count: 30) + "1" + String(repeating: ")", count: 30)
    #expect(try check(link("1", fine)) == [])
  }

  /// The negation the course test applies to every statement turns each true kind false.
  @Test func negatedStatementsFail() throws {
    let table = "../plots/data/decay_summary.tsv"
    let holding = [
      ("? {grad_median @ model=lstm sigma=0.5} > {grad_median @ model=rnn sigma=0.5}", table),
      ("? every model=rnn sigma>1: rate > 0", table), ("? some model=lstm: rate > -0.2", table),
      ("? none model=lstm: grad_median > 1", table), ("? gp set logscale y", "../plots/decay.gp"),
    ]
    for (title, target) in holding {
      #expect(try check(link("claim", title, to: target)) == [], "\(title)")
      let negated = CourseNotebookTests.negated(title)
      #expect(try check(link("claim", negated, to: target)).count == 1, "\(negated)")
    }
  }

  @Test func malformedStatementsAreOneLineErrors() throws {
    for title in ["? {grad_median @ model=lstm sigma=0.5}", "? 1 = 1", "? every model=rnn rate > 0", "? 1 < ", "? 1 and 2", "? gp"] {
      let problems = try check(link("claim", title))
      #expect(problems.count == 1, "\(title)")
      #expect(problems.allSatisfy { $0.message.hasPrefix("statement \"claim\": ") && !$0.message.contains("\n") }, "\(title)")
    }
  }
}

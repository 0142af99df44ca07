import Foundation
import Testing

@testable import Notebooks

/// The checker passes a correct notebook and fails when a number, an image path or a command
/// is edited by hand; run blocks execute in a scratch copy and never touch the repository.
struct NotebookCheckerTests {
  /// A small repository: a table, a figure, a Makefile and a notebook quoting the table.
  func fixture(notebook: String) throws -> (root: URL, file: String) {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("nb-\(UUID().uuidString)")
    let files = FileManager.default
    try files.createDirectory(at: root.appendingPathComponent("plots/data"), withIntermediateDirectories: true)
    try files.createDirectory(at: root.appendingPathComponent("notebooks-md"), withIntermediateDirectories: true)
    try "model\tsigma\tlag\tgrad_median\nrnn\t0.5\t50\t1.718413e-21\nlstm\t0.5\t50\t1.662566e-07\n"
      .write(to: root.appendingPathComponent("plots/data/decay_summary.tsv"), atomically: true, encoding: .utf8)
    try Data([0x89, 0x50, 0x4E, 0x47]).write(to: root.appendingPathComponent("plots/decay.png"))
    try "figures:\n\tgradlab figures\n".write(to: root.appendingPathComponent("Makefile"), atomically: true, encoding: .utf8)
    let file = root.appendingPathComponent("notebooks-md/01.md").path
    try notebook.write(toFile: file, atomically: true, encoding: .utf8)
    return (root, file)
  }

  static let notebook = """
    # One

    ![decay](../plots/decay.png)

    At lag 50 the LSTM keeps [1.66e-7][lstm] of its gradient, the RNN [1.72e-21][rnn]: about
    [10¹⁴](../plots/data/decay_summary.tsv "= {grad_median @ model=lstm lag=50} / {grad_median @ model=rnn lag=50}")
    times as much. See [the table](#one).

    ```sh
    make figures
    ```

    [lstm]: ../plots/data/decay_summary.tsv "grad_median @ model=lstm sigma=0.5 lag=50"
    [rnn]: ../plots/data/decay_summary.tsv "grad_median @ model=rnn sigma=0.5 lag=50"
    """

  func problems(_ notebook: String, requireMarkers: Bool = false) throws -> [NotebookProblem] {
    let (root, file) = try fixture(notebook: notebook)
    defer { try? FileManager.default.removeItem(at: root) }
    var options = NotebookCheckOptions(root: root)
    options.requireMarkers = requireMarkers
    return try NotebookChecker(options: options).check(files: [file])
  }

  @Test func aCorrectNotebookPasses() throws {
    #expect(try problems(Self.notebook, requireMarkers: true) == [])
  }

  @Test func failsWhenANumberIsEditedByHand() throws {
    let edited = try problems(Self.notebook.replacingOccurrences(of: "[1.66e-7]", with: "[1.67e-7]"))
    #expect(edited.count == 1)
    #expect(edited.first?.line == 5)
    #expect(edited.first?.message.contains("1.67e-7") == true)
    let ratio = try problems(Self.notebook.replacingOccurrences(of: "[10¹⁴]", with: "[10¹⁵]"))
    #expect(ratio.count == 1)
  }

  @Test func failsWhenAnImagePathOrALinkIsEditedByHand() throws {
    let image = try problems(Self.notebook.replacingOccurrences(of: "decay.png", with: "decay_old.png"))
    #expect(image.count == 1)
    #expect(image.first?.message.contains("image ../plots/decay_old.png does not exist") == true)
    let anchor = try problems(Self.notebook.replacingOccurrences(of: "(#one)", with: "(#two)"))
    #expect(anchor.count == 1)
    let table = try problems(Self.notebook.replacingOccurrences(of: "model=rnn sigma", with: "model=gru sigma"))
    #expect(table.count == 1)
  }

  @Test func failsOnAMakeTargetThatDoesNotExist() throws {
    let made = try problems(Self.notebook.replacingOccurrences(of: "make figures", with: "make figure"))
    #expect(made.count == 1)
  }

  @Test func requiresMarkersOnMeasuredNumbers() throws {
    let unmarked = Self.notebook.replacingOccurrences(of: "[1.72e-21][rnn]", with: "1.72e-21")
    #expect(try problems(unmarked) == [])
    let found = try problems(unmarked + "\nThe loss was 0.313 at σ = 1.25 after 100 epochs; `0.5000` is code.\n", requireMarkers: true)
    #expect(found.map(\.message).count == 2)
    #expect(found.allSatisfy { $0.message.contains("1.72e-21") || $0.message.contains("0.313") })
  }

  @Test func runBlocksExecuteInAScratchCopy() throws {
    let notebook = Self.notebook + """

      ```sh run
      printf "model\\tlag\\tgrad_median\\nlstm\\t1\\t0.25\\n" > plots/data/decay_summary.tsv
      mkdir -p runs/a && printf 'x\\trate\\n1\\t-0.2231\\n' > runs/a/r.tsv
      ```

      Run result [−0.223](#run:runs/a/r.tsv "rate @ x=1").
      """
    let (root, file) = try fixture(notebook: notebook)
    defer { try? FileManager.default.removeItem(at: root) }
    let table = root.appendingPathComponent("plots/data/decay_summary.tsv")
    let before = try Data(contentsOf: table)
    var options = NotebookCheckOptions(root: root)
    options.runs = .quick
    options.executable = URL(fileURLWithPath: "/bin/echo")
    #expect(try NotebookChecker(options: options).check(files: [file]).map(\.description) == [])
    #expect(try Data(contentsOf: table) == before)

    let wrong = notebook.replacingOccurrences(of: "[−0.223]", with: "[−0.224]")
    try wrong.write(toFile: file, atomically: true, encoding: .utf8)
    #expect(try NotebookChecker(options: options).check(files: [file]).count == 1)

    let failing = notebook.replacingOccurrences(of: "mkdir -p runs/a", with: "exit 3; mkdir -p runs/a")
    try failing.write(toFile: file, atomically: true, encoding: .utf8)
    let failed = try NotebookChecker(options: options).check(files: [file])
    #expect(failed.count == 1)
    #expect(failed.first?.message.contains("exit code 3") == true)
  }
}

/// The committed notebooks: every link, image and marker resolves, and editing any marked
/// number by hand makes the checker fail.
struct CourseNotebookTests {
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

  static var notebooks: [String] {
    let folder = root.appendingPathComponent("notebooks-md")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    return names.filter { $0.hasSuffix(".md") }.sorted().map { folder.appendingPathComponent($0).path }
  }

  var checker: NotebookChecker {
    var options = NotebookCheckOptions(root: Self.root)
    options.requireMarkers = true
    return NotebookChecker(options: options)
  }

  @Test func theCourseNotebooksPass() throws {
    #expect(Self.notebooks.count >= 3)
    #expect(try checker.check(files: Self.notebooks).map(\.description) == [])
  }

  @Test(arguments: notebooks)
  func editingAMarkedNumberFails(path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let document = MarkdownDocument(path: path, text: text)
    let markers = document.links.filter {
      $0.title.map { !$0.hasPrefix("?") } == true && PrintedNumber($0.text) != nil && !$0.url.hasPrefix("#run:")
    }
    try #require(!markers.isEmpty, "\(path) has no number markers")
    for marker in [markers.first, markers.last].compactMap({ $0 }) {
      var lines = text.components(separatedBy: "\n")
      let original = "[\(marker.text)]"
      let edited = "[\(Self.changingLastDigit(marker.text))]"
      lines[marker.line - 1] = lines[marker.line - 1].replacingOccurrences(of: original, with: edited)
      let problems = try checker.check(documents: [MarkdownDocument(path: path, text: lines.joined(separator: "\n"))])
      #expect(problems.contains { $0.line == marker.line }, "editing \(original) on line \(marker.line) went unnoticed")
    }
  }

  @Test(arguments: notebooks)
  func editingAnImagePathFails(path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    guard let image = MarkdownDocument(path: path, text: text).links.first(where: \.isImage) else { return }
    let edited = text.replacingOccurrences(of: image.url, with: image.url.replacingOccurrences(of: ".png", with: "_v2.png"))
    let problems = try checker.check(documents: [MarkdownDocument(path: path, text: edited)])
    #expect(problems.contains { $0.message.contains("does not exist") })
  }

  /// Every statement in the course holds, and its negation fails on the same line.
  @Test(arguments: notebooks)
  func negatingAStatementFails(path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    // `#run:` statements are checked after the blocks run, which this check does not do.
    let statements = MarkdownDocument(path: path, text: text).links.filter {
      $0.title?.hasPrefix("?") == true && !$0.url.hasPrefix("#run:")
    }
    // One checker (its tables read once), one small document per negated statement, at the
    // notebook's path so the links resolve as in the notebook.
    let checker = self.checker
    for statement in statements {
      guard let title = statement.title else { continue }
      let negated = Self.negated(title)
      let quoted = negated.contains("\"") ? "'\(negated)'" : "\"\(negated)\""
      let edited = MarkdownDocument(path: path, text: "[claim](\(statement.url) \(quoted))\n")
      let problems = try checker.check(documents: [edited])
      #expect(problems.count == 1 && problems[0].message.contains("is false"), "negating \"\(title)\" on line \(statement.line): \(problems)")
    }
  }

  /// The statement that is false exactly when `title` holds (`? gp` gets a word the script lacks).
  static func negated(_ title: String) -> String {
    let body = title.dropFirst().trimmingCharacters(in: .whitespaces)
    if body.hasPrefix("gp ") { return "? \(body) negatedbythetest" }
    for (quantifier, opposite) in [("every", "some"), ("some", "none"), ("none", "some")]
    where body.hasPrefix(quantifier + " ") || body.hasPrefix(quantifier + ":") {
      guard let colon = body.firstIndex(of: ":") else { break }
      let keys = body[body.index(body.startIndex, offsetBy: quantifier.count)..<colon]
      let condition = body[body.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      return "? \(opposite)\(keys): " + (quantifier == "every" ? "not (\(condition))" : condition)
    }
    return "? not (\(body))"
  }

  /// 1.66e-7 -> 1.67e-7, 0.313 -> 0.314, 9 -> 8: the last digit of the mantissa, moved by one.
  static func changingLastDigit(_ text: String) -> String {
    var chars = Array(text)
    let end = chars.firstIndex(where: { $0 == "e" || $0 == "×" || $0 == "%" }) ?? chars.count
    guard let i = chars[..<end].lastIndex(where: \.isNumber), let digit = chars[i].wholeNumberValue else { return text }
    chars[i] = Character(String(digit == 9 ? 8 : digit + 1))
    return String(chars)
  }
}

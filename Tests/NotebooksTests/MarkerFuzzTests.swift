import Foundation
import SeededRandom
import TestSupport
import Testing

@testable import Notebooks

/// Seeded random marker titles: random nesting evaluates to the value it was built with (or,
/// nested deeper than the limit, to the depth error), random bytes give a one-line error or
/// a value, and damaged notebooks are checked without a trap.
struct MarkerFuzzTests {
  /// A random expression and its value, computed the way the parser computes it.
  struct Built {
    var text: String
    var value: Double
    var depth: Int
  }

  static func expression(_ rng: inout SeededGenerator, depth: Int) -> Built {
    let leaf = Double(rng.index(below: 9) + 1)
    guard depth > 0 else { return Built(text: String(format: "%g", leaf), value: leaf, depth: 0) }
    let inner = expression(&rng, depth: depth - 1)
    switch rng.index(below: 5) {
    case 0: return Built(text: "(\(inner.text))", value: inner.value, depth: inner.depth + 1)
    case 1: return Built(text: "-(\(inner.text))", value: -inner.value, depth: inner.depth + 2)
    case 2: return Built(text: "abs(\(inner.text))", value: abs(inner.value), depth: inner.depth + 1)
    case 3:
      let other = Double(rng.index(below: 9) + 1)
      return Built(text: "(\(inner.text)) * \(Int(other)) + {v @ k=1}", value: inner.value * other + 0.5, depth: inner.depth + 1)
    default: return Built(text: "(\(inner.text)) / 2", value: inner.value / 2, depth: inner.depth + 1)
    }
  }

  static func resolve(_ file: String?, _ reference: String) throws -> Double {
    guard file == nil, reference == "v @ k=1" else { throw NotebookError("no cell \(reference)") }
    return 0.5
  }

  @Test func randomNestingEvaluatesOrHitsTheDepthLimit() throws {
    var rng = SeededGenerator(seed: 24)
    var deep = 0
    for _ in 0..<300 {
      let built = Self.expression(&rng, depth: rng.index(below: 120))
      do {
        let value = try MarkerExpression("= " + built.text).evaluate(resolve: Self.resolve)
        #expect(value == built.value, "\(built.text.prefix(200))")
        #expect(built.depth <= MarkerExpression.maximumDepth)
        let claim = try MarkerExpression("\(built.text) == \(built.text)").evaluateClaim(resolve: Self.resolve)
        #expect(claim.holds)
      } catch let error as NotebookError {
        deep += 1
        #expect(built.depth > MarkerExpression.maximumDepth, "\(error) for \(built.text.prefix(200))")
        #expect(error.description.contains("nests deeper than"), "\(error)")
      }
    }
    // Both sides of the limit were tried.
    #expect(deep > 50 && deep < 250)
  }

  @Test func randomBytesAreAValueOrAOneLineError() {
    var rng = SeededGenerator(seed: 18)
    let alphabet = Array("0123456789.eE+-*/^(){}<>=!@:, abcdklnortvx_\"'?\\\t\n\r\u{0}é∞−")
    var errors = 0
    for _ in 0..<2_000 {
      let length = rng.index(below: 80)
      var title = String((0..<length).map { _ in alphabet[rng.index(below: alphabet.count)] })
      if rng.index(below: 2) == 0 { title = "= " + title }
      do {
        _ = try MarkerExpression(title).evaluate(resolve: Self.resolve)
        _ = try MarkerExpression(title).evaluateClaim(resolve: Self.resolve) { _ in 1 }
      } catch {
        errors += 1
        #expect(!"\(error)".contains("\n") || title.contains("\n"), "\(error)")
      }
      _ = try? Statement(title: "?" + title)
    }
    #expect(errors > 1_000)
  }

  @Test func damagedNotebooksAreCheckedWithoutATrap() throws {
    let root = FileManager.default.temporaryDirectory.appendingPathComponent("mf-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: root) }
    try FileManager.default.createDirectory(at: root.appendingPathComponent("plots/data"), withIntermediateDirectories: true)
    try "k\tv\n1\t0.5\n2\t0.25\n".write(to: root.appendingPathComponent("plots/data/t.tsv"), atomically: true, encoding: .utf8)
    try "set logscale y\n".write(to: root.appendingPathComponent("plots/t.gp"), atomically: true, encoding: .utf8)
    let notebook = """
      # T

      [0.5](plots/data/t.tsv "v @ k=1") and [halves](plots/data/t.tsv "? every : v <= 0.5 and not (v < 0)")
      [log](plots/t.gp "? gp set logscale y") [0.75](#computed "= {plots/data/t.tsv: v @ k=1} + {plots/data/t.tsv: v @ k=2}")

      ```swift excerpt plots/t.gp
      set logscale y
      ```
      """
    let checker = NotebookChecker(options: NotebookCheckOptions(root: root))
    let path = root.appendingPathComponent("t.md").path
    #expect(try checker.check(documents: [MarkdownDocument(path: path, text: notebook)]) == [])
    var found = 0
    for (what, bytes) in Damage.variants(of: Array(notebook.utf8), count: 400, seed: 11) {
      let problems = try checker.check(documents: [MarkdownDocument(path: path, text: String(decoding: bytes, as: UTF8.self))])
      found += problems.isEmpty ? 0 : 1
      #expect(problems.allSatisfy { !$0.message.contains("\n") }, "\(what): \(problems)")
    }
    #expect(found > 100)
  }

  /// The checker's table reader: a CRLF copy reads as the original; damaged copies (cut,
  /// flipped bits, NaN cells, binary bytes) give a value or a one-line error, never a trap.
  @Test func damagedTablesAreAValueOrAOneLineError() throws {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("tf-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: folder) }
    let table = "model\tsigma\tgrad\nrnn\t0.5\t1e-3\nrnn\t2\tNaN\nlstm\t0.5\t0.25\n"
    let references = ["grad @ model=lstm sigma=0.5", "count @ model=rnn", "max grad @ model=rnn", "sigma @ argmax grad"]
    func values(_ text: [UInt8], _ name: String) -> [String] {
      let path = folder.appendingPathComponent(name).path
      _ = FileManager.default.createFile(atPath: path, contents: Data(text))
      let cells = TableCells()
      return references.map { reference in
        do { return "\(try cells.value(of: reference, in: path))" } catch { return "error: \(error)" }
      }
    }
    let plain = values(Array(table.utf8), "plain.tsv")
    #expect(plain == ["0.25", "2.0", "0.001", "0.5"])
    #expect(values(Array(table.replacingOccurrences(of: "\n", with: "\r\n").utf8), "crlf.tsv") == plain)
    var rng = SeededGenerator(seed: 5)
    var variants = Damage.variants(of: Array(table.utf8), count: 300, seed: 13)
    variants += (0..<50).map { i in ("binary \(i)", (0..<rng.index(below: 200)).map { _ in UInt8(truncatingIfNeeded: rng.next()) }) }
    for (index, (what, bytes)) in variants.enumerated() {
      for value in values(bytes, "damaged-\(index).tsv") where value.hasPrefix("error: ") {
        #expect(!value.contains("\n") && value.count < 400, "\(what): \(value.prefix(400))")
      }
    }
  }
}

import Foundation
import Testing

@testable import Notebooks

/// A printed number is right when the true value rounds to it: half a unit of its last digit.
struct PrintedNumberTests {
  @Test func roundsToTheLastPrintedDigit() throws {
    let n = try #require(PrintedNumber("1.66e-7"))
    #expect(n.matches(1.662566e-7))
    #expect(n.matches(1.655e-7))
    #expect(!n.matches(1.666e-7))
    #expect(!n.matches(1.66e-8))
    let d = try #require(PrintedNumber("0.313"))
    #expect(d.matches(0.3134136902809143))
    #expect(!d.matches(0.3136))
  }

  @Test func readsSignsSuffixesAndPowersOfTen() throws {
    #expect(try #require(PrintedNumber("−0.2231")).matches(log(0.8)))
    #expect(try #require(PrintedNumber("62%")).matches(62.4))
    #expect(try #require(PrintedNumber("20×")).matches(20.14))
    #expect(try #require(PrintedNumber("4,000")).matches(3979.7))
    #expect(!(try #require(PrintedNumber("4,001")).matches(3979.7)))
    #expect(try #require(PrintedNumber("10¹⁴")).matches(9.675e13))
    #expect(try #require(PrintedNumber("10^13.99")).matches(9.675e13))
    #expect(!(try #require(PrintedNumber("10^13.9")).matches(9.675e13)))
    #expect(try #require(PrintedNumber("2.2 × 10⁻¹⁵")).matches(2.2e-15))
    #expect(PrintedNumber("notebook 2") == nil)
    #expect(PrintedNumber("0.5¹⁰⁰") == nil)
  }
}

/// Cells are addressed by column name and row keys, so added columns change nothing.
struct TableCellsTests {
  func table(_ text: String) throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("cells-\(UUID().uuidString).tsv")
    try text.write(to: url, atomically: true, encoding: .utf8)
    return url.path
  }

  @Test func findsACellByKeysWhateverTheColumnOrder() throws {
    let before = try table("model\tsigma\tlag\tgrad\nrnn\t0.5\t50\t1.7e-21\nlstm\t0.5\t50\t1.66e-7\nlstm\t1\t50\t0.01\n")
    let after = try table("extra\tmodel\tlag\tgrad\tsigma\n9\trnn\t50\t1.7e-21\t0.5\n9\tlstm\t50\t1.66e-7\t0.50\n9\tlstm\t50\t0.01\t1\n")
    for path in [before, after] {
      #expect(try TableCells().value(of: "grad @ model=lstm sigma=0.5 lag=50", in: path) == 1.66e-7)
      #expect(try TableCells().value(of: "max grad @ model=lstm", in: path) == 0.01)
      #expect(try TableCells().value(of: "count @ lag>=50", in: path) == 3)
      #expect(try TableCells().value(of: "sigma @ argmin grad", in: path) == 0.5)
    }
  }

  @Test func refusesAmbiguousOrMissingCells() throws {
    let path = try table("model\tsigma\tgrad\nlstm\t0.5\t1\nlstm\t1\t2\n")
    #expect(throws: NotebookError.self) { try TableCells().value(of: "grad @ model=lstm", in: path) }
    #expect(throws: NotebookError.self) { try TableCells().value(of: "grad @ model=gru", in: path) }
    #expect(throws: NotebookError.self) { try TableCells().value(of: "rate @ model=lstm sigma=1", in: path) }
  }

  @Test func expressionsCombineCells() throws {
    let path = try table("model\tgrad\nlstm\t1e-7\nrnn\t1e-21\n")
    let cells = TableCells()
    let value = try MarkerExpression("= log10({grad @ model=lstm} / {grad @ model=rnn}) + 2^-1 * (3 - 1)")
      .evaluate { file, reference in try cells.value(of: reference, in: file ?? path) }
    #expect(abs(value - 15) < 1e-12)
    #expect(throws: NotebookError.self) { try MarkerExpression("= 1 +").evaluate { _, _ in 0 } }
  }
}

/// Shell words as a POSIX shell splits simple commands, and the gradlab arguments in them.
struct ShellCommandTests {
  @Test func splitsContinuationsCommentsAndQuotes() throws {
    let commands = try ShellCommand.parse(block: """
      swift run -c release gradlab decay --sigmas 0.8 \\
        --output runs/x   # a comment
      gnuplot -e "set output 'a b.png'" plots/x.gp && make figures
      """)
    #expect(commands.count == 3)
    #expect(commands[0].gradlabArguments == ["decay", "--sigmas", "0.8", "--output", "runs/x"])
    #expect(commands[1].words == ["gnuplot", "-e", "set output 'a b.png'", "plots/x.gp"])
    #expect(commands[1].gradlabArguments == nil)
    #expect(commands[2].words == ["make", "figures"])
    #expect(throws: NotebookError.self) { try ShellCommand.parse(block: "gradlab 'open") }
  }
}

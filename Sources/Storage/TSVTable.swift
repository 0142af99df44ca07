import Foundation

/// A tidy table: a header line, then one observation per row, tab-separated, written
/// atomically (temporary file, then rename) so gnuplot, pandas and a spreadsheet all read it
/// and a crash never leaves half a table.
public struct TSVTable: Sendable, Equatable {
  public var header: [String]
  public var rows: [[String]]

  public init(header: [String], rows: [[String]] = []) {
    self.header = header
    self.rows = rows
  }

  public mutating func append(_ row: [String]) {
    precondition(row.count == header.count, "TSV row has \(row.count) fields, header has \(header.count): \(row)")
    rows.append(row)
  }

  public var text: String {
    ([header] + rows).map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n"
  }

  public func write(to url: URL) throws {
    try AtomicFile.write(Data(text.utf8), to: url)
  }

  /// Reads a table written by `write(to:)`. Lines may end in LF or CRLF; blank lines are
  /// skipped; binary data (a NUL byte, text that is not UTF-8) and ragged rows are refused
  /// with the line's number, never the line itself.
  public static func read(from url: URL) throws -> TSVTable {
    let bytes = try FileContents.read(url)
    if let nul = bytes.firstIndex(of: 0) {
      throw TSVError(path: url.path, problem: "holds a NUL byte on line \(bytes[..<nul].filter { $0 == 0x0A }.count + 1): binary data, not a tab-separated table")
    }
    guard let text = String(data: bytes, encoding: .utf8) else {
      throw TSVError(path: url.path, problem: "is not UTF-8 text")
    }
    // On unicode scalars: a Character would hold "\r\n" as one.
    var lines: [[String]] = []
    var numbers: [Int] = []
    for (index, raw) in text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      var scalars = String.UnicodeScalarView(raw)
      if scalars.last == "\r" { scalars.removeLast() }
      guard !scalars.isEmpty else { continue }
      let line = String(scalars)
      guard !scalars.contains("\r") else {
        throw TSVError(path: url.path, problem: "line \(index + 1) holds a carriage return inside it: lines must end in LF or CRLF")
      }
      lines.append(line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init))
      numbers.append(index + 1)
    }
    guard !lines.isEmpty else { throw TSVError(path: url.path, problem: "is empty (no header line)") }
    let header = lines.removeFirst()
    for (row, number) in zip(lines, numbers.dropFirst()) where row.count != header.count {
      throw TSVError(path: url.path, problem: "line \(number) has \(row.count) fields, the header has \(header.count)")
    }
    return TSVTable(header: header, rows: lines)
  }

  /// Fields for an error message: joined by spaces, cut after 80 characters, so a message
  /// stays one line whatever the file holds.
  public static func excerpt(_ fields: [String]) -> String {
    let text = fields.joined(separator: " ").map { $0.isNewline || $0 == "\t" ? " " : $0 }
    return text.count <= 80 ? String(text) : String(text.prefix(80)) + "…"
  }

  /// The values of one column.
  public func column(_ name: String) -> [String]? {
    guard let index = header.firstIndex(of: name) else { return nil }
    return rows.map { $0[index] }
  }
}

public struct TSVError: Error, CustomStringConvertible {
  public let path: String
  public let problem: String
  public init(path: String, problem: String) {
    self.path = path
    self.problem = problem
  }
  public var description: String { "table \(path) \(problem)" }
}

/// Formats a number for a table: shortest round-trip form, "NaN" for missing values.
public func tsvNumber(_ x: Double) -> String { x.isNaN ? "NaN" : "\(x)" }

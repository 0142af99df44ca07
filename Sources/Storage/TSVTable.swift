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

  /// Reads a table written by `write(to:)`.
  public static func read(from url: URL) throws -> TSVTable {
    guard let text = String(data: try FileContents.read(url), encoding: .utf8) else {
      throw TSVError(path: url.path, problem: "is not UTF-8 text")
    }
    var lines = text.split(separator: "\n", omittingEmptySubsequences: true).map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
    guard !lines.isEmpty else { throw TSVError(path: url.path, problem: "is empty (no header line)") }
    let header = lines.removeFirst()
    for (i, row) in lines.enumerated() where row.count != header.count {
      throw TSVError(path: url.path, problem: "line \(i + 2) has \(row.count) fields, the header has \(header.count)")
    }
    return TSVTable(header: header, rows: lines)
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

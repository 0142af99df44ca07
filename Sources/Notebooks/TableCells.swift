import Foundation

/// Reads cells of tidy TSV tables (by column name and row keys, so added columns change
/// nothing) and values of JSON files (by key path). Files are read once.
///
/// A cell reference, as a marker's title writes it:
///
///     grad_median @ model=lstm sigma=0.5 lag=50      the one row where all keys match
///     max grad_norm_max @ epoch>10                   min, max, mean, median, sum over rows
///     count @ epoch>10 train_loss>0.01               how many rows match
///     epoch @ argmax grad_norm_max                   the row where a column is largest
///     last.testAccuracy                              a key path, when the file is JSON
///
/// Keys compare as numbers when both sides are numbers (`sigma=1` matches `1.0`), else as text.
public final class TableCells: @unchecked Sendable {
  private var tables: [String: TSV] = [:]
  private var jsons: [String: Any] = [:]
  private let lock = NSLock()

  public init() {}

  struct TSV {
    struct Row {
      let line: Int
      let cells: [String]
    }
    let header: [String]
    let rows: [Row]
  }

  public func value(of reference: String, in path: String) throws -> Double {
    let ref = reference.trimmingCharacters(in: .whitespaces)
    if path.hasSuffix(".json") { return try jsonValue(keyPath: ref, in: path) }
    guard let at = ref.range(of: "@") else {
      throw NotebookError("\"\(ref)\": write a cell as `column @ key=value ...`")
    }
    let head = ref[..<at.lowerBound].split(separator: " ").map(String.init)
    let table = try tsv(path)
    let rows = try select(table.rows, String(ref[at.upperBound...]), table, path).map(\.cells)
    let aggregate = head.count == 2 ? head[0] : (head.first == "count" ? "count" : nil)
    if aggregate == "count" { return Double(rows.count) }
    guard let columnName = head.last, head.count <= 2 else {
      throw NotebookError("\"\(ref)\": write `[aggregate] column @ keys`")
    }
    let column = try columnIndex(columnName, table, path)
    let values = rows.compactMap { Double($0[column]) }
    guard let aggregate else {
      guard rows.count == 1 else {
        throw NotebookError("\"\(ref)\": \(rows.count) rows of \(path) match, not one; add keys")
      }
      guard let v = values.first else { throw NotebookError("\"\(ref)\": cell \"\(rows[0][column])\" is not a number") }
      return v
    }
    guard !values.isEmpty else { throw NotebookError("\"\(ref)\": no rows of \(path) match") }
    switch aggregate {
    case "min": return values.min() ?? .nan
    case "max": return values.max() ?? .nan
    case "sum": return values.reduce(0, +)
    case "mean": return values.reduce(0, +) / Double(values.count)
    case "median":
      let sorted = values.sorted()
      let mid = sorted.count / 2
      return sorted.count % 2 == 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
    default: throw NotebookError("\"\(ref)\": unknown aggregate \(aggregate); use min, max, mean, median, sum or count")
    }
  }

  /// One row of a table: its cells by column name, and its line in the file.
  public struct Row: Sendable {
    public let line: Int
    public let cells: [String: String]
  }

  /// The rows that match `selectors` (`model=rnn sigma>1`, `argmax col`; empty: every row).
  public func rows(matching selectors: String, in path: String) throws -> [Row] {
    let table = try tsv(path)
    return try select(table.rows, selectors, table, path).map { row in
      Row(line: row.line, cells: Dictionary(zip(table.header, row.cells), uniquingKeysWith: { first, _ in first }))
    }
  }

  private func select(_ rows: [TSV.Row], _ selectors: String, _ table: TSV, _ path: String) throws -> [TSV.Row] {
    let selectors = selectors.split(separator: " ").map(String.init)
    var rows = rows
    var index = 0
    while index < selectors.count {
      let selector = selectors[index]
      if selector == "argmax" || selector == "argmin" {
        guard index + 1 < selectors.count else { throw NotebookError("\"\(selector)\" needs a column") }
        let column = try columnIndex(selectors[index + 1], table, path)
        let valued = rows.compactMap { row in Double(row.cells[column]).map { (row, $0) } }.filter { !$0.1.isNaN }
        let best = selector == "argmax" ? valued.max(by: { $0.1 < $1.1 }) : valued.min(by: { $0.1 < $1.1 })
        rows = best.map { [$0.0] } ?? []
        index += 2
        continue
      }
      rows = try filter(rows, by: selector, table, path)
      index += 1
    }
    return rows
  }

  private func filter(_ rows: [TSV.Row], by selector: String, _ table: TSV, _ path: String) throws -> [TSV.Row] {
    for op in [">=", "<=", "!=", "=", ">", "<"] {
      guard let range = selector.range(of: op) else { continue }
      let key = String(selector[..<range.lowerBound])
      let wanted = String(selector[range.upperBound...])
      let column = try columnIndex(key, table, path)
      return rows.filter { row in Self.compare(row.cells[column], op, wanted) }
    }
    throw NotebookError("\"\(selector)\": a row key is written key=value (or >, <, >=, <=, !=)")
  }

  static func compare(_ cell: String, _ op: String, _ wanted: String) -> Bool {
    if let a = Double(cell), let b = Double(wanted) {
      switch op {
      case "=": return a == b
      case "!=": return a != b
      case ">": return a > b
      case "<": return a < b
      case ">=": return a >= b
      default: return a <= b
      }
    }
    switch op {
    case "=": return cell == wanted
    case "!=": return cell != wanted
    default: return false
    }
  }

  private func columnIndex(_ name: String, _ table: TSV, _ path: String) throws -> Int {
    guard let i = table.header.firstIndex(of: name) else {
      throw NotebookError("\(path) has no column \"\(name)\" (it has \(table.header.joined(separator: ", ")))")
    }
    return i
  }

  private func tsv(_ path: String) throws -> TSV {
    lock.lock()
    defer { lock.unlock() }
    if let cached = tables[path] { return cached }
    guard let text = try? String(contentsOfFile: path, encoding: .utf8) else {
      throw NotebookError("cannot read table \(path)")
    }
    // Lines end with \n or \r\n (a Character of its own in Swift, so split on isNewline).
    let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated()
      .filter { !$0.element.isEmpty }
      .map { (line: $0.offset + 1, cells: $0.element.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)) }
    guard let header = lines.first?.cells else { throw NotebookError("table \(path) is empty") }
    if let wrong = lines.first(where: { $0.cells.count != header.count }) {
      throw NotebookError("table \(path) line \(wrong.line) has \(wrong.cells.count) cells, its header \(header.count)")
    }
    let table = TSV(header: header, rows: lines.dropFirst().map { TSV.Row(line: $0.line, cells: $0.cells) })
    tables[path] = table
    return table
  }

  private func jsonValue(keyPath: String, in path: String) throws -> Double {
    lock.lock()
    let cached = jsons[path]
    lock.unlock()
    var node: Any
    if let cached {
      node = cached
    } else {
      guard let data = FileManager.default.contents(atPath: path),
        let parsed = try? JSONSerialization.jsonObject(with: data)
      else { throw NotebookError("cannot read JSON \(path)") }
      lock.lock()
      jsons[path] = parsed
      lock.unlock()
      node = parsed
    }
    for key in keyPath.split(separator: ".").map(String.init) {
      if let object = node as? [String: Any], let next = object[key] {
        node = next
      } else if let array = node as? [Any], let i = Int(key), array.indices.contains(i) {
        node = array[i]
      } else {
        throw NotebookError("\(path) has no key path \"\(keyPath)\"")
      }
    }
    guard let number = node as? NSNumber else { throw NotebookError("\(path): \"\(keyPath)\" is not a number") }
    return number.doubleValue
  }
}

/// One plain line: what is wrong and where.
public struct NotebookError: Error, CustomStringConvertible, Sendable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

/// A problem the checker found, as `file:line: message`.
public struct NotebookProblem: Sendable, CustomStringConvertible, Equatable {
  public let file: String
  public let line: Int
  public let message: String
  public init(file: String, line: Int, message: String) {
    self.file = file
    self.line = line
    self.message = message
  }
  public var description: String { "\(file):\(line): \(message)" }
}

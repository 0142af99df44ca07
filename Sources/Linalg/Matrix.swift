/// A dense row-major matrix: element (i, j) lives at `storage[i * cols + j]`.
///
/// Vectors are 1 x n matrices. Shapes are checked on every operation; a mismatch stops the
/// program with a message that prints both shapes.
public struct Matrix<Scalar: BLASScalar>: Equatable, Sendable {
  public let rows: Int
  public let cols: Int
  public var storage: [Scalar]

  @inlinable public init(rows: Int, cols: Int, repeating value: Scalar = 0) {
    precondition(rows >= 0 && cols >= 0, "Matrix shape must be non-negative, got \(rows)x\(cols)")
    self.rows = rows
    self.cols = cols
    self.storage = Array(repeating: value, count: rows * cols)
  }

  @inlinable public init(rows: Int, cols: Int, storage: [Scalar]) {
    precondition(
      storage.count == rows * cols,
      "Matrix \(rows)x\(cols) needs \(rows * cols) elements, got \(storage.count)")
    self.rows = rows
    self.cols = cols
    self.storage = storage
  }

  /// Builds a matrix from nested rows, e.g. `Matrix([[1, 2], [3, 4]])`.
  @inlinable public init(_ nested: [[Scalar]]) {
    let cols = nested.first?.count ?? 0
    precondition(nested.allSatisfy { $0.count == cols }, "Matrix rows have different lengths")
    self.init(rows: nested.count, cols: cols, storage: nested.flatMap { $0 })
  }

  @inlinable public static func identity(_ n: Int) -> Matrix {
    var m = Matrix(rows: n, cols: n)
    for i in 0..<n { m[i, i] = 1 }
    return m
  }

  @inlinable public var shape: String { "\(rows)x\(cols)" }
  @inlinable public var count: Int { storage.count }

  @inlinable public subscript(row: Int, col: Int) -> Scalar {
    get { storage[row * cols + col] }
    set { storage[row * cols + col] = newValue }
  }

  /// Rows `range` as a new matrix.
  @inlinable public func rows(_ range: Range<Int>) -> Matrix {
    precondition(range.lowerBound >= 0 && range.upperBound <= rows, "Rows \(range) out of \(shape)")
    return Matrix(rows: range.count, cols: cols, storage: Array(storage[(range.lowerBound * cols)..<(range.upperBound * cols)]))
  }

  /// A `rows` × cols matrix of zeros whose last rows are `last` (a gradient that enters at
  /// the last steps of a time-major sequence).
  @inlinable public static func zeros(rows: Int, endingWith last: Matrix) -> Matrix {
    precondition(last.rows <= rows, "zeros(rows: \(rows), endingWith: \(last.shape)): more rows given than the matrix holds")
    var out = Matrix(rows: rows, cols: last.cols)
    out.storage.replaceSubrange(((rows - last.rows) * last.cols)..<(rows * last.cols), with: last.storage)
    return out
  }

  /// Columns `range` as a new matrix.
  @inlinable public func columns(_ range: Range<Int>) -> Matrix {
    precondition(range.lowerBound >= 0 && range.upperBound <= cols, "Columns \(range) out of \(shape)")
    var out = Matrix(rows: rows, cols: range.count)
    for i in 0..<rows {
      for j in range { out[i, j - range.lowerBound] = self[i, j] }
    }
    return out
  }

  /// Writes `block` into columns starting at `col`.
  @inlinable public mutating func setColumns(_ col: Int, to block: Matrix) {
    precondition(block.rows == rows && col + block.cols <= cols, "Cannot place \(block.shape) at column \(col) of \(shape)")
    for i in 0..<rows {
      for j in 0..<block.cols { self[i, col + j] = block[i, j] }
    }
  }

  @inlinable public var transposed: Matrix {
    var out = Matrix(rows: cols, cols: rows)
    for i in 0..<rows {
      for j in 0..<cols { out[j, i] = self[i, j] }
    }
    return out
  }

  /// Converts every element to another scalar type (Float weights to Double for analysis).
  @inlinable public func converted<Other: BLASScalar>(to: Other.Type = Other.self) -> Matrix<Other> {
    Matrix<Other>(rows: rows, cols: cols, storage: storage.map { Other($0) })
  }
}

/// Stops with a message naming the operation and both shapes unless `condition` holds.
@inlinable @inline(__always)
public func checkShapes<S>(
  _ condition: Bool, _ operation: @autoclosure () -> String,
  _ a: Matrix<S>, _ b: Matrix<S>, file: StaticString = #file, line: UInt = #line
) {
  precondition(condition, "\(operation()): shapes \(a.shape) and \(b.shape) do not match", file: file, line: line)
}

extension Matrix {
  /// A matrix whose elements the caller overwrites before reading (skips zero-filling large
  /// training buffers). Elements start as whatever memory held; in debug they are NaN.
  @inlinable public init(uninitializedRows rows: Int, cols: Int) {
    precondition(rows >= 0 && cols >= 0, "Matrix shape must be non-negative, got \(rows)x\(cols)")
    self.rows = rows
    self.cols = cols
    self.storage = [Scalar](unsafeUninitializedCapacity: rows * cols) { buffer, count in
      #if DEBUG
        buffer.initialize(repeating: .nan)
      #endif
      count = rows * cols
    }
  }
}

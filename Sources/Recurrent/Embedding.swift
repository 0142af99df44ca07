import Linalg
import SeededRandom

/// Embedding lookup: token ids (B × T, row-major) to time-major vectors (T·B × E).
///
///     x[t·B + b] = W[tokens[b, t]]
///
/// Keras initialisation: U(-0.05, 0.05). Index 0 (padding) is an ordinary row, as in Keras
/// without mask_zero.
public struct Embedding<Scalar: BLASScalar>: Sendable {
  /// V × E.
  public var table: Matrix<Scalar>

  public init(vocabularySize: Int, dimension: Int, using rng: inout SeededGenerator) {
    table = Initializer.uniform(rows: vocabularySize, cols: dimension, limit: 0.05, using: &rng)
  }

  public init(table: Matrix<Scalar>) { self.table = table }

  public var vocabularySize: Int { table.rows }
  public var dimension: Int { table.cols }

  /// tokens: B·T ids, review b at tokens[b·T ..< (b+1)·T]. Returns T·B × E, time-major.
  public func forward(_ tokens: ArraySlice<Int32>, batch B: Int) -> Matrix<Scalar> {
    precondition(B > 0 && tokens.count % B == 0, "Embedding: \(tokens.count) tokens are not \(B) equal rows")
    let (T, E, V) = (tokens.count / B, dimension, vocabularySize)
    var out = Matrix<Scalar>(rows: T * B, cols: E)
    let base = tokens.startIndex
    table.storage.withUnsafeBufferPointer { w in
      out.storage.withUnsafeMutableBufferPointer { x in
        for b in 0..<B {
          for t in 0..<T {
            let id = Int(tokens[base + b * T + t])
            precondition(id >= 0 && id < V, "Embedding: token id \(id) outside the vocabulary 0..<\(V)")
            // x[t·B + b] = W[id]
            (x.baseAddress! + (t * B + b) * E).update(from: w.baseAddress! + id * E, count: E)
          }
        }
      }
    }
    return out
  }

  /// dW[tokens[b, t]] += dx[t·B + b]: the gradient scattered back onto the rows used.
  public func backward(_ tokens: ArraySlice<Int32>, batch B: Int, outputGradient dx: Matrix<Scalar>, into dTable: inout Matrix<Scalar>) {
    let (T, E) = (tokens.count / B, dimension)
    precondition(dx.rows == T * B && dx.cols == E, "Embedding backward: gradient \(dx.shape), expected \(T * B)x\(E)")
    precondition(dTable.rows == table.rows && dTable.cols == E, "Embedding backward: table gradient \(dTable.shape), expected \(table.shape)")
    let base = tokens.startIndex
    dx.storage.withUnsafeBufferPointer { g in
      dTable.storage.withUnsafeMutableBufferPointer { dw in
        for b in 0..<B {
          for t in 0..<T {
            let row = dw.baseAddress! + Int(tokens[base + b * T + t]) * E
            let src = g.baseAddress! + (t * B + b) * E
            for e in 0..<E { row[e] += src[e] }
          }
        }
      }
    }
  }

  /// W[ids]: the rows of the given ids (U × E).
  public func rows(_ ids: [Int32]) -> Matrix<Scalar> {
    let E = dimension
    var out = Matrix<Scalar>(uninitializedRows: ids.count, cols: E)
    table.storage.withUnsafeBufferPointer { w in
      out.storage.withUnsafeMutableBufferPointer { x in
        guard let w = w.baseAddress, let x = x.baseAddress else { return }
        for (s, id) in ids.enumerated() {
          precondition(id >= 0 && Int(id) < vocabularySize, "Embedding: token id \(id) outside the vocabulary 0..<\(vocabularySize)")
          (x + s * E).update(from: w + Int(id) * E, count: E)
        }
      }
    }
    return out
  }

  /// dW[ids[s]] += dRows[s]: the gradient of `rows(ids)` added onto the table's rows.
  public func backward(ids: [Int32], rowGradient dRows: Matrix<Scalar>, into dTable: inout Matrix<Scalar>) {
    let E = dimension
    precondition(dRows.rows == ids.count && dRows.cols == E, "Embedding backward: row gradient \(dRows.shape), expected \(ids.count)x\(E)")
    precondition(dTable.rows == table.rows && dTable.cols == E, "Embedding backward: table gradient \(dTable.shape), expected \(table.shape)")
    dRows.storage.withUnsafeBufferPointer { g in
      dTable.storage.withUnsafeMutableBufferPointer { dw in
        guard let g = g.baseAddress, let dw = dw.baseAddress else { return }
        for (s, id) in ids.enumerated() {
          let (row, src) = (dw + Int(id) * E, g + s * E)
          for e in 0..<E { row[e] += src[e] }
        }
      }
    }
  }
}

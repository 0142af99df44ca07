import Linalg

/// The distinct token ids of a batch, ascending, and for every time-major position the slot
/// of its id among them. A batch of 64 IMDB reviews × 200 positions holds about 2,200
/// distinct ids, so anything computed per id instead of per position is 5-6 times less work.
///
///     ids[slots[t·B + b]] = tokens[b, t]
public struct DistinctTokens: Sendable {
  /// U distinct ids, ascending.
  public let ids: [Int32]
  /// T·B slots into `ids`, time-major.
  public let slots: [Int32]

  /// tokens: B reviews of T ids each (row-major), every id in 0..<vocabularySize.
  public init(_ tokens: ArraySlice<Int32>, batch B: Int, vocabularySize V: Int) {
    precondition(B > 0 && tokens.count % B == 0, "DistinctTokens: \(tokens.count) tokens are not \(B) equal rows")
    let T = tokens.count / B
    // slotOf[id] = -1 until the id is seen; then ascending ids get ascending slots.
    var slotOf = [Int32](repeating: -1, count: V)
    for id in tokens {
      precondition(id >= 0 && Int(id) < V, "Embedding: token id \(id) outside the vocabulary 0..<\(V)")
      slotOf[Int(id)] = 0
    }
    var ids: [Int32] = []
    for id in 0..<V where slotOf[id] == 0 {
      slotOf[id] = Int32(ids.count)
      ids.append(Int32(id))
    }
    let base = tokens.startIndex
    self.ids = ids
    self.slots = [Int32](unsafeUninitializedCapacity: T * B) { out, count in
      for t in 0..<T {
        for b in 0..<B { out[t * B + b] = slotOf[Int(tokens[base + b * T + t])] }
      }
      count = T * B
    }
  }

  public var count: Int { ids.count }
  public var positions: Int { slots.count }

  /// out[p] = perID[slots[p]]: U × n rows spread to the T·B positions.
  public func gather<T>(_ perID: Matrix<T>) -> Matrix<T> {
    precondition(perID.rows == count, "gather: \(perID.shape) holds no row per each of the \(count) distinct ids")
    var out = Matrix<T>(uninitializedRows: positions, cols: perID.cols)
    out.storage.withUnsafeMutableBufferPointer { dst in
      guard let dst = dst.baseAddress else { return }
      gather(perID, step: 0, batch: positions, into: dst)
    }
    return out
  }

  /// a[b] = perID[slots[t·B + b]] for b in 0..<B: step t's rows of `gather(perID)`, written
  /// where the caller needs them (B × n at `a`).
  public func gather<T>(_ perID: Matrix<T>, step t: Int, batch B: Int, into a: UnsafeMutablePointer<T>) {
    precondition(perID.rows == count && t >= 0 && (t + 1) * B <= positions, "gather: step \(t) of batch \(B) from \(perID.shape) for \(count) ids and \(positions) positions")
    let n = perID.cols
    perID.storage.withUnsafeBufferPointer { src in
      guard let src = src.baseAddress else { return }
      for b in 0..<B { (a + b * n).update(from: src + Int(slots[t * B + b]) * n, count: n) }
    }
  }

  /// out[s] = Σ_{p: slots[p] = s} perPosition[p], added in position order (deterministic):
  /// T·B × n rows summed into U × n.
  public func sum<T>(_ perPosition: Matrix<T>) -> Matrix<T> {
    precondition(perPosition.rows == positions, "sum: \(perPosition.shape) holds no row per each of the \(positions) positions")
    let n = perPosition.cols
    var out = Matrix<T>(rows: count, cols: n)
    rowwise(perPosition, into: &out) { src, dst in
      for (p, slot) in slots.enumerated() {
        let (row, from) = (dst + Int(slot) * n, src + p * n)
        for k in 0..<n { row[k] += from[k] }
      }
    }
    return out
  }

  /// body(source, destination) on the two matrices' element buffers (skipped when empty).
  private func rowwise<T>(_ source: Matrix<T>, into destination: inout Matrix<T>, _ body: (UnsafePointer<T>, UnsafeMutablePointer<T>) -> Void) {
    source.storage.withUnsafeBufferPointer { src in
      destination.storage.withUnsafeMutableBufferPointer { dst in
        guard let src = src.baseAddress, let dst = dst.baseAddress else { return }
        body(src, dst)
      }
    }
  }
}

import Linalg

/// Runs `body` over 0..<count in one piece, or in two halves on two threads when count is at
/// least 2^16 (the embedding table): for element-wise updates, whose result does not depend
/// on the split. Subnormals are flushed on both threads as `flushDenormals` says.
func elementwiseChunks(count: Int, flushDenormals: Bool, _ body: @Sendable (Range<Int>) -> Void) {
  let chunks = count >= 1 << 16 ? 2 : 1
  parallelFor(chunks: chunks, flushDenormals: flushDenormals) { chunk in body((chunk * count / chunks)..<((chunk + 1) * count / chunks)) }
}

/// A raw pointer handed to worker threads that write disjoint ranges of it.
struct SendablePointer<T>: @unchecked Sendable {
  let pointer: UnsafeMutablePointer<T>?
  init(_ p: UnsafeMutablePointer<T>?) { pointer = p }
  init(_ p: UnsafePointer<T>?) { pointer = p.map { UnsafeMutablePointer(mutating: $0) } }
}

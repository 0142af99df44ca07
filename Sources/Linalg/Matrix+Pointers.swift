// Scoped pointers to several matrices' storage at once.

/// The storage of two or three matrices as pointers while `body` runs; nil for an empty
/// matrix (a cell state the cell does not have, a bias the layer does not have). For loops
/// that need many buffers at once without a pyramid of `withUnsafe…` closures.
public func withMutableStorage<T, R>(
  _ a: inout Matrix<T>, _ b: inout Matrix<T>, _ body: (UnsafeMutablePointer<T>?, UnsafeMutablePointer<T>?) -> R
) -> R {
  a.storage.withUnsafeMutableBufferPointer { pa in
    b.storage.withUnsafeMutableBufferPointer { pb in body(pa.count > 0 ? pa.baseAddress : nil, pb.count > 0 ? pb.baseAddress : nil) }
  }
}

public func withMutableStorage<T, R>(
  _ a: inout Matrix<T>, _ b: inout Matrix<T>, _ c: inout Matrix<T>,
  _ body: (UnsafeMutablePointer<T>?, UnsafeMutablePointer<T>?, UnsafeMutablePointer<T>?) -> R
) -> R {
  withMutableStorage(&a, &b) { pa, pb in
    c.storage.withUnsafeMutableBufferPointer { pc in body(pa, pb, pc.count > 0 ? pc.baseAddress : nil) }
  }
}

public func withStorage<T, R>(_ a: Matrix<T>, _ b: Matrix<T>, _ body: (UnsafePointer<T>?, UnsafePointer<T>?) -> R) -> R {
  a.storage.withUnsafeBufferPointer { pa in
    b.storage.withUnsafeBufferPointer { pb in body(pa.count > 0 ? pa.baseAddress : nil, pb.count > 0 ? pb.baseAddress : nil) }
  }
}

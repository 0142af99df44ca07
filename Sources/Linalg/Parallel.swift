import Dispatch

/// Runs `body(chunk)` for chunk in 0..<chunks on the calling thread and the dispatch pool,
/// each chunk with flush-to-zero set as asked and the thread's previous setting restored
/// afterwards, so training's FTZ never leaks into analysis code sharing the pool.
public func parallelFor(chunks: Int, flushDenormals: Bool, _ body: @Sendable (Int) -> Void) {
  DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
    let previous = BLASRuntime.flushesDenormals
    BLASRuntime.setFlushDenormals(flushDenormals)
    body(chunk)
    BLASRuntime.setFlushDenormals(previous)
  }
}

/// Fixed slots that parallel workers fill at distinct indices, read after they finish.
public final class ParallelResults<Element>: @unchecked Sendable {
  private let slots: UnsafeMutableBufferPointer<Element?>

  public init(count: Int) {
    slots = .allocate(capacity: count)
    slots.initialize(repeating: nil)
  }

  deinit {
    slots.deinitialize()
    slots.deallocate()
  }

  public var count: Int { slots.count }

  public subscript(i: Int) -> Element? {
    get { slots[i] }
    set { slots[i] = newValue }
  }
}

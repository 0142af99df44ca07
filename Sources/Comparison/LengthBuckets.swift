/// Buckets of reviews by unpadded length, cut at quantiles of the lengths given (the test
/// set's): bucket i holds lengths in (edge_{i-1}, edge_i], with edge_i the length at rank
/// i·N/k of the sorted lengths. Equal lengths always share a bucket, so with many ties a
/// bucket may hold more than N/k reviews, and an empty bucket is dropped. Every review lands
/// in exactly one bucket.
public struct LengthBuckets: Sendable, Equatable {
  /// Inclusive upper edges, increasing; the last is the longest length.
  public let upperEdges: [Int]

  public init(lengths: [Int], count k: Int) {
    precondition(!lengths.isEmpty && k >= 1, "length buckets need lengths and at least one bucket")
    let sorted = lengths.sorted()
    let n = sorted.count
    var edges = (1...k).map { sorted[max(0, $0 * n / k - 1)] }
    edges[k - 1] = sorted[n - 1]
    upperEdges = Array(Set(edges)).sorted()
  }

  /// The bucket index of a length (lengths beyond the last edge go to the last bucket).
  public func bucket(of length: Int) -> Int {
    upperEdges.firstIndex { length <= $0 } ?? upperEdges.count - 1
  }

  /// (shortest, longest) length bucket i can hold.
  public func range(_ i: Int) -> (low: Int, high: Int) {
    (i == 0 ? 0 : upperEdges[i - 1] + 1, upperEdges[i])
  }
}

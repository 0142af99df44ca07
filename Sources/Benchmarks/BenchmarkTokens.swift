import Foundation
import Linalg
import SeededRandom

/// Token ids for the speed benchmark, drawn so that a batch holds as many distinct ids as an
/// IMDB batch does (the distinct-token projection's work grows with that count, not with
/// the words): padding id 0 at 20% of positions, otherwise the word of frequency rank r
/// (id 3 + r) with probability ∝ 1 / (r + 1)^1.1, Zipf's law. Measured on the training
/// split: 2,033-2,451 distinct ids per 64-review batch, about 1,430 per 32-review shard;
/// this law gives about 2,200 and 1,380.
public enum BenchmarkTokens: String, CaseIterable, Sendable, Codable {
  /// Zipf-distributed words with padding, as in IMDB batches.
  case zipf
  /// Every id equally likely: the most distinct ids a batch can hold (about 7,200 of 12,800
  /// positions at V = 10,000), the distinct-token projection's worst case.
  case uniform

  /// B·T ids in 0..<vocabularySize (vocabularySize > 3 for `zipf`).
  public func draw(count: Int, vocabularySize V: Int, using rng: inout SeededGenerator) -> [Int32] {
    switch self {
    case .uniform:
      return (0..<count).map { _ in Int32(rng.index(below: V)) }
    case .zipf:
      precondition(V > 3, "Zipf tokens need a vocabulary beyond the 3 reserved ids, got \(V)")
      // Cumulative probabilities of the V - 3 word ranks, searched by bisection.
      var cumulative = [Double](repeating: 0, count: V - 3)
      var sum = 0.0
      for r in 0..<(V - 3) {
        sum += 1 / Foundation.pow(Double(r + 1), 1.1)
        cumulative[r] = sum
      }
      return (0..<count).map { _ in
        if rng.nextUniform() < 0.2 { return 0 }
        let u = rng.nextUniform() * sum
        var (lo, hi) = (0, V - 4)
        while lo < hi {
          let mid = (lo + hi) / 2
          if cumulative[mid] < u { lo = mid + 1 } else { hi = mid }
        }
        return Int32(3 + lo)
      }
    }
  }
}

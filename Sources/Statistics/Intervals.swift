import Foundation

/// The mean of a few measurements (one per seed) with a two-sided 95% Student-t interval:
///
///     mean ± t_{0.975, n-1} · s / √n,   s² = Σ (x - mean)² / (n - 1)
///
/// It covers the mean a run of this configuration reaches over seeds (the spread training
/// chaos gives), assuming roughly normal per-seed results. Undefined (NaN bounds) for n < 2.
public struct MeanInterval: Sendable, Equatable {
  public var count: Int
  public var mean: Double
  public var standardDeviation: Double
  public var low: Double
  public var high: Double

  public static let kind = "95% Student-t interval of the mean over seeds"

  public init(_ values: [Double]) {
    count = values.count
    mean = values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count)
    guard values.count >= 2 else {
      (standardDeviation, low, high) = (.nan, .nan, .nan)
      return
    }
    let m = mean
    standardDeviation = (values.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(values.count - 1)).squareRoot()
    let half = StudentT.quantile975(degreesOfFreedom: values.count - 1) * standardDeviation / Double(values.count).squareRoot()
    (low, high) = (mean - half, mean + half)
  }

  public func contains(_ x: Double) -> Bool { low <= x && x <= high }
}

/// The Wilson score 95% interval of a proportion k/n (a test accuracy on n reviews): the
/// sampling uncertainty of one run on a finite test set.
///
///     (p + z²/2n ± z √(p(1-p)/n + z²/4n²)) / (1 + z²/n),  z = 1.959964
public struct WilsonInterval: Sendable, Equatable {
  public var low: Double
  public var high: Double

  public init(successes k: Int, trials n: Int) {
    precondition(n >= 0 && k >= 0 && k <= n, "Wilson interval: \(k) successes of \(n) trials")
    guard n > 0 else {
      (low, high) = (.nan, .nan)
      return
    }
    let z = 1.959963984540054
    let (p, nn) = (Double(k) / Double(n), Double(n))
    let centre = p + z * z / (2 * nn)
    let half = z * (p * (1 - p) / nn + z * z / (4 * nn * nn)).squareRoot()
    let scale = 1 + z * z / nn
    (low, high) = ((centre - half) / scale, (centre + half) / scale)
  }
}

import Foundation
import Statistics
import TestSupport
import Testing

@Suite struct StatisticsTests {
  /// ν = 1, 2, 4 have closed forms for the quantile p of Student's t.
  @Test func tQuantilesMatchClosedForms() {
    let p = 0.975
    #expect(relativeError(StudentT.quantile975(degreesOfFreedom: 1), tan(Double.pi * (p - 0.5))) < 1e-6)
    #expect(relativeError(StudentT.quantile975(degreesOfFreedom: 2), (2 * p - 1) / (2 * p * (1 - p)).squareRoot()) < 1e-6)
    let alpha = 4 * p * (1 - p)
    let q = cos(acos(alpha.squareRoot()) / 3) / alpha.squareRoot()
    #expect(relativeError(StudentT.quantile975(degreesOfFreedom: 4), 2 * (q - 1).squareRoot()) < 1e-6)
  }

  /// Beyond the table, the expansion against published values (Abramowitz & Stegun 26.10).
  @Test func tQuantilesBeyondTheTable() {
    for (nu, t) in [(31, 2.039513), (40, 2.021075), (60, 2.000298), (120, 1.979930)] {
      #expect(abs(StudentT.quantile975(degreesOfFreedom: nu) - t) < 2e-5, "nu \(nu)")
    }
  }

  @Test func meanIntervalByHand() {
    let interval = MeanInterval([0.84, 0.85, 0.86])
    #expect(abs(interval.mean - 0.85) < 1e-15)
    #expect(abs(interval.standardDeviation - 0.01) < 1e-15)
    // half-width t_{0.975,2} · s / √3 = 4.302653 · 0.01 / 1.7320508
    #expect(abs(interval.high - 0.85 - 0.0248414) < 1e-6)
    #expect(interval.contains(0.87) && !interval.contains(0.88))
    let single = MeanInterval([0.8])
    #expect(single.mean == 0.8 && single.low.isNaN && single.high.isNaN && !single.contains(0.8))
  }

  /// Published Wilson intervals: 0/10 -> [0, 0.2775], 5/10 -> [0.2366, 0.7634].
  @Test func wilsonIntervalKnownValues() {
    let none = WilsonInterval(successes: 0, trials: 10)
    #expect(abs(none.low) < 1e-12 && abs(none.high - 0.2775) < 1e-4)
    let half = WilsonInterval(successes: 5, trials: 10)
    #expect(abs(half.low - 0.2366) < 1e-4 && abs(half.high - 0.7634) < 1e-4)
    #expect(WilsonInterval(successes: 0, trials: 0).low.isNaN)
  }
}

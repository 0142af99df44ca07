import Foundation
import Linalg
import Probes
import Recurrent
import TestSupport
import Testing

/// The Pascanu bound ||∂h_T/∂h_t|| ≤ (γ σ_max)^(T-t) and the decay rate it implies, on the
/// tanh RNN.
@Suite struct BoundTests {
  let T = 40, D = 4, H = 12

  @Test(arguments: [0.5, 1.0, 2.5])
  func productNormNeverExceedsBound(sigma: Double) {
    let layer = Fixture.scaledLayer(.rnn, sigma: sigma, input: D, hidden: H)
    let result = SequenceProbe().measure(layer, inputs: randomMatrix(T, D, seed: 12), direction: Fixture.direction(H))
    #expect(relativeError(result.recurrentNorms[0], sigma) < 1e-12)
    for p in result.probes {
      guard let product = p.productNorm, let bound = p.bound else {
        Issue.record("t=\(p.t): the tanh RNN must have a product norm and a bound")
        continue
      }
      #expect(product <= bound * (1 + 1e-12), "sigma \(sigma) t=\(p.t): \(product) > bound \(bound)")
      if let j = p.jacobianNorm { #expect(j <= sigma * (1 + 1e-12), "sigma \(sigma) t=\(p.t): one-step \(j) > \(sigma)") }
      // ||dL/dh_t|| = ||u ∂h_T/∂h_t|| ≤ ||∂h_T/∂h_t|| for a unit u.
      #expect(p.gradientNorm <= product * (1 + 1e-12), "sigma \(sigma) t=\(p.t)")
    }
  }

  @Test func boundIsLeftOutWhereItIsNoTheorem() {
    for kind in [CellKind.lstm, .gru] {
      let layer = Fixture.scaledLayer(kind, sigma: 0.5, input: D, hidden: 5)
      let result = SequenceProbe().measure(layer, inputs: randomMatrix(6, D, seed: 13), direction: Fixture.direction(5))
      #expect(result.probes.allSatisfy { $0.bound == nil }, "\(kind)")
      #expect(result.probes.allSatisfy { ($0.forgetProduct != nil) == (kind == .lstm) }, "\(kind)")
    }
  }

  /// In the contracting regime the fitted rate is at most log σ (tanh' ≤ 1 only adds decay)
  /// and, with inputs so small that tanh stays in its linear part, equal to it.
  @Test(arguments: [0.5, 0.8, 0.95])
  func fittedRateFollowsLogSigma(sigma: Double) throws {
    let layer = Fixture.scaledLayer(.rnn, sigma: sigma, input: D, hidden: H)
    let probe = SequenceProbe(jacobians: false, products: false)
    func rate(inputScale: Double) throws -> Double {
      let result = probe.measure(layer, inputs: randomMatrix(T, D, seed: 14, std: inputScale), direction: Fixture.direction(H))
      return try #require(DecayRate.fit(lags: result.probes.map(\.lag), values: result.probes.map(\.gradientNorm)))
    }
    let theory = PascanuBound.rate(gamma: 1, sigma: sigma)
    let typical = try rate(inputScale: 1)
    let small = try rate(inputScale: 1e-4)
    #expect(typical <= theory + 1e-12, "N(0,1) inputs: rate \(typical) above log sigma \(theory)")
    #expect(typical < theory - 0.05, "N(0,1) inputs saturate tanh and add decay: \(typical) vs \(theory)")
    #expect(small <= theory + 1e-12)
    #expect(abs(small - theory) < 1e-3, "small inputs: rate \(small) vs log sigma \(theory)")
  }

  @Test func rateFitRecoversASlopeAndSkipsUnderflow() {
    let lags = Array(0...10)
    let values = lags.map { exp(-0.3 * Double($0) + 2) }
    #expect(abs((DecayRate.fit(lags: lags, values: values) ?? .nan) + 0.3) < 1e-12)
    #expect(abs((DecayRate.fit(lags: lags + [11], values: values + [0]) ?? .nan) + 0.3) < 1e-12, "a zero is left out")
    #expect(DecayRate.fit(lags: [3], values: [1]) == nil)
  }
}

import DecayLab
import Foundation
import Linalg
import Probes
import Recurrent
import TestSupport
import Testing

/// A linear RNN with a fixed non-normal W_h (spectral radius 0.6, norm about 4.7): the probes
/// and the sweep's power_norm against W^k multiplied out here without BLAS and measured by
/// Jacobi SVD. An orthogonal W could not catch a transposed product or ρ mistaken for σ.
@Suite struct NonNormalDecayTests {
  let T = 60, D = 2, H = 4

  /// Upper triangular: eigenvalues 0.6, -0.5, 0.3, 0.1, with a large strictly upper part.
  let w = Matrix<Double>([
    [0.6, 4.0, -1.5, 0.5],
    [0, -0.5, 3.0, 1.0],
    [0, 0, 0.3, 2.5],
    [0, 0, 0, 0.1],
  ])

  var layer: RecurrentLayer<Double> {
    RecurrentLayer(kind: .linear, inputKernel: Matrix([[0.3, -0.2, 0.5, 0.1], [0.4, 0.1, -0.3, 0.2]]), recurrentKernel: w, bias: Matrix([[0.1, 0, -0.1, 0.2]]))
  }

  /// W^0 ... W^T, by the schoolbook product.
  var powers: [Matrix<Double>] {
    var out = [Matrix<Double>.identity(H)]
    for _ in 0..<T { out.append(Matrix.referenceProduct(out[out.count - 1], w)) }
    return out
  }

  @Test func productAndPowerNormsAreTheNormsOfExactPowers() throws {
    let spectrum = MatrixSpectrum(of: w)
    #expect(relativeError(spectrum.spectralRadius, 0.6) < 1e-14)
    #expect(spectrum.spectralNorm > 7 * spectrum.spectralRadius, "strongly non-normal")
    var c = DecayConfiguration()
    c.models = [.linear]
    c.sigmas = [spectrum.spectralNorm]
    c.steps = T
    c.hiddenSize = H
    c.inputSize = D
    c.seeds = 1
    c.forgetBiases = []
    let rows = try DecaySweep(c).measure(layer, job: DecayJob(model: .linear, sigma: spectrum.spectralNorm, seed: 1))
    let exact = powers.map { SingularValues.of($0)[0] }
    #expect(exact.max()! > 5 * exact[1], "||W^k|| first grows (transient growth) before it decays")
    #expect(exact[T] < 1e-6)
    for row in rows {
      let k = row.probe.lag
      #expect(relativeError(try #require(row.probe.productNorm), exact[k]) < 1e-10, "product_norm at lag \(k)")
      #expect(relativeError(try #require(row.powerNorm), exact[k]) < 1e-10, "power_norm at lag \(k)")
    }
  }

  /// h_t = h_{t-1} W (row vectors), so h_T = h_t W^k and dL/dh_t = u (W^k)ᵀ: its norm is
  /// ||W^k uᵀ||, not ||u W^k||, and for this W the two differ by orders of magnitude.
  @Test func gradientNormTellsWFromItsTranspose() {
    let u = unitVector(H)
    let result = SequenceProbe().measure(layer, inputs: Matrix(rows: T, cols: D, repeating: 0.5), direction: u)
    var differ = false
    for p in result.probes {
      let power = powers[p.lag]
      let right = Matrix.referenceProduct(power, u.transposed).scaledNorm
      let wrong = Matrix.referenceProduct(u, power).scaledNorm
      #expect(relativeError(p.gradientNorm, right) < 1e-10, "lag \(p.lag): \(p.gradientNorm) vs ||W^k u|| \(right)")
      if relativeError(right, wrong) > 0.5 { differ = true }
    }
    #expect(differ, "W and Wᵀ must give different gradient norms here, or this test proves nothing")
  }
}

/// A fixed unit vector (1 × n) with no zero entry.
private func unitVector(_ n: Int) -> Matrix<Double> {
  var entries = [Double](repeating: 1, count: n)
  for j in 0..<n {
    let sign: Double = j % 2 == 0 ? -1 : 1
    entries[j] += 0.37 * Double(j) * sign
  }
  var u = Matrix<Double>(rows: 1, cols: n, storage: entries)
  u.scale(by: 1 / u.frobeniusNorm)
  return u
}

import Linalg
import SeededRandom
import TestSupport
import Testing

@Suite struct SingularValueTests {
  /// U · diag(values) · Vᵀ with random orthogonal U (m x k) and V (n x k).
  func matrix(m: Int, n: Int, values: [Double], seed: UInt64) -> Matrix<Double> {
    var rng = SeededGenerator(seed: seed)
    let u: Matrix<Double> = Initializer.orthogonal(rows: m, cols: values.count, using: &rng)
    let v: Matrix<Double> = Initializer.orthogonal(rows: n, cols: values.count, using: &rng)
    var us = u
    for i in 0..<m { for j in 0..<values.count { us[i, j] *= values[j] } }
    return Matrix.product(us, v, transposeB: true)
  }

  @Test(arguments: [1.0, 1e-200, 1e200])
  func knownSingularValuesAreRecovered(scale: Double) {
    let values = [3.0, 2.0, 0.5, 0.25].map { $0 * scale }
    let a = matrix(m: 6, n: 4, values: values, seed: 1)
    #expect(relativeError(SingularValues.of(a), values) < 1e-12)
    #expect(relativeError(SingularValues.of(a.transposed), values) < 1e-12)
    #expect(relativeError(SingularValues.spectralNorm(a), values[0]) < 1e-10)
  }

  @Test func spectralNormAgreesWithJacobiOnRandomMatrices() {
    for seed in UInt64(0)..<5 {
      var rng = SeededGenerator(seed: seed)
      let a: Matrix<Double> = Initializer.scaledNormal(rows: 9, cols: 7, std: 1, using: &rng)
      let exact = SingularValues.of(a)[0]
      let power = SingularValues.spectralNorm(a)
      #expect(power <= exact * (1 + 1e-12))
      #expect(relativeError(power, exact) < 1e-8)
    }
  }
}

import Foundation
import Linalg
import SeededRandom
import TestSupport
import Testing

@Suite struct EigenvalueTests {
  /// Magnitudes of the eigenvalues, largest first.
  func magnitudes(_ m: Matrix<Double>) -> [Double] { Eigenvalues.of(m).map(\.magnitude).sorted(by: >) }

  /// Upper triangular: the diagonal is the spectrum, whatever lies above it. A large strictly
  /// upper part makes it strongly non-normal (σ_max far above ρ).
  @Test func triangularMatrixHasItsDiagonalAsSpectrum() {
    let a = Matrix<Double>([
      [0.6, 5.0, -2.0, 1.0],
      [0, -0.3, 4.0, 0.5],
      [0, 0, 0.1, -3.0],
      [0, 0, 0, 0.5],
    ])
    let values = Eigenvalues.of(a)
    #expect(values.allSatisfy { $0.imaginary == 0 })
    #expect(relativeError(values.map(\.real).sorted(), [-0.3, 0.1, 0.5, 0.6]) < 1e-14)
    #expect(relativeError(Eigenvalues.spectralRadius(a), 0.6) < 1e-14)
    let spectrum = MatrixSpectrum(of: a)
    #expect(relativeError(spectrum.spectralNorm, SingularValues.of(a)[0]) < 1e-12)
    #expect(spectrum.spectralNorm > 9 * spectrum.spectralRadius)
  }

  /// A rotation by θ scaled by r has the complex pair r e^{±iθ}: ρ = r, not the real part.
  @Test func scaledRotationHasAComplexPair() {
    let (r, theta) = (0.9, 1.2)
    let a = Matrix<Double>([[r * cos(theta), -r * sin(theta)], [r * sin(theta), r * cos(theta)]])
    let values = Eigenvalues.of(a)
    #expect(values.count == 2)
    #expect(relativeError(values.map(\.real), [r * cos(theta), r * cos(theta)]) < 1e-14)
    #expect(relativeError(values.map(\.imaginary).sorted(), [-r * sin(theta), r * sin(theta)]) < 1e-14)
    #expect(relativeError(Eigenvalues.spectralRadius(a), r) < 1e-14)
  }

  /// The companion matrix of (x - 2)(x + 1)(x - 0.5)(x + 0.25) = x⁴ - 1.25x³ - 1.875x² + 0.625x + 0.25
  /// (non-normal, not triangular): its eigenvalues are the roots.
  @Test func companionMatrixHasThePolynomialRoots() {
    let a = Matrix<Double>([
      [1.25, 1.875, -0.625, -0.25],
      [1, 0, 0, 0],
      [0, 1, 0, 0],
      [0, 0, 1, 0],
    ])
    #expect(relativeError(Eigenvalues.of(a).map(\.real).sorted(), [-1, -0.25, 0.5, 2]) < 1e-13)
    #expect(relativeError(Eigenvalues.spectralRadius(a), 2) < 1e-13)
  }

  /// Q · diag(λ) · Qᵀ with a random orthogonal Q hides the structure; the spectrum stays.
  /// Float input is widened to Double: the same values to Float's rounding of the matrix.
  @Test func similarityTransformKeepsTheSpectrum() {
    var rng = SeededGenerator(seed: 3)
    let n = 7
    let lambda = [1.5, -1.2, 0.8, 0.4, -0.2, 0.05, 0.0]
    let q: Matrix<Double> = Initializer.orthogonal(rows: n, cols: n, using: &rng)
    var d = Matrix<Double>(rows: n, cols: n)
    for i in 0..<n { d[i, i] = lambda[i] }
    let a = Matrix.product(Matrix.product(q, d), q, transposeB: true)
    #expect(relativeError(magnitudes(a), lambda.map(abs).sorted(by: >)) < 1e-13)
    #expect(relativeError(Eigenvalues.spectralRadius(a.converted(to: Float.self)), 1.5) < 1e-6)
  }

  /// The gate blocks of an H × 3H kernel are its column blocks [A | B | C]. A is non-normal
  /// (ρ 0.6, σ_max about 6.1), B = 2·I, C = Aᵀ: the same spectrum as A, and blocks cut from
  /// rows or from contiguous storage would give other numbers.
  @Test func columnBlocksAreTheGateBlocks() {
    let h = 3
    let a = Matrix<Double>([[0.6, 6.0, 0], [0, 0.5, 0.2], [0, 0, -0.4]])
    let b = 2 * Matrix<Double>.identity(h)
    var kernel = Matrix<Double>(rows: h, cols: 3 * h)
    kernel.setColumns(0, to: a)
    kernel.setColumns(h, to: b)
    kernel.setColumns(2 * h, to: a.transposed)
    let spectra = MatrixSpectrum.ofColumnBlocks(kernel, count: 3)
    #expect(relativeError(spectra.map(\.spectralRadius), [0.6, 2, 0.6]) < 1e-14)
    let normA = SingularValues.of(a)[0]
    #expect(relativeError(spectra.map(\.spectralNorm), [normA, 2, normA]) < 1e-12)
    #expect(normA > 6)
  }

  /// A Jordan block J = 0.9 I + N: ρ = 0.9 but ||Jᵏ|| first grows (about k 0.9^(k-1) for
  /// the superdiagonal entry). dgeev on a defective eigenvalue of multiplicity m is accurate
  /// to about ε^(1/m) only: 1e-3 for m = 4.
  @Test func jordanBlockRadiusAndTransientGrowth() {
    var j = 0.9 * Matrix<Double>.identity(4)
    for i in 0..<3 { j[i, i + 1] = 1 }
    #expect(abs(Eigenvalues.spectralRadius(j) - 0.9) < 1e-3)
    let norms = PowerNorms.of(j, upTo: 60)
    #expect(norms[0] == 1)
    #expect(relativeError(norms[1], SingularValues.of(j)[0]) < 1e-12)
    #expect(norms[10] > 50)
    // Asymptotically ||Jᵏ||^(1/k) → ρ (Gelfand): the ratio of successive norms tends to 0.9.
    #expect(abs(norms[60] / norms[59] - 0.9) < 0.06)
  }

  /// PowerNorms against powers multiplied out here and measured by Jacobi SVD, for a
  /// non-normal matrix whose powers span many decades.
  @Test func powerNormsMatchExplicitPowers() {
    var rng = SeededGenerator(seed: 11)
    let n = 5
    var a: Matrix<Double> = Initializer.scaledNormal(rows: n, cols: n, std: 1, using: &rng)
    for i in 0..<n { for k in 0..<i { a[i, k] = 0 } }
    for i in 0..<n { a[i, i] = 0.3 * Double(i + 1) / Double(n) }
    let norms = PowerNorms.of(a, upTo: 40)
    var power = Matrix<Double>.identity(n)
    for k in 0...40 {
      #expect(relativeError(norms[k], SingularValues.of(power)[0]) < 1e-11, "k = \(k)")
      power = Matrix.product(power, a)
    }
    #expect(norms[40] < 1e-10 && norms.max()! > 1)
  }

  /// The non-normal initialiser: norm 1 and the requested radius, far apart; radius 1 gives
  /// a normal (diagonal in a rotated basis) matrix.
  @Test(arguments: [0.1, 0.3, 1.0])
  func nonNormalInitialiserHasItsRadiusAtNormOne(radius: Double) {
    var rng = SeededGenerator(seed: 21)
    let a: Matrix<Double> = Initializer.nonNormal(size: 8, radius: radius, using: &rng)
    #expect(relativeError(SingularValues.of(a)[0], 1) < 1e-12)
    #expect(relativeError(Eigenvalues.spectralRadius(a), radius) < 1e-12)
  }

  @Test func nonFiniteAndEmptyMatrices() {
    #expect(Eigenvalues.spectralRadius(Matrix<Double>([[1, .nan], [0, 1]])).isNaN)
    #expect(Eigenvalues.spectralRadius(Matrix<Double>([[.infinity, 0], [0, 1]])).isNaN)
    #expect(Eigenvalues.of(Matrix<Double>(rows: 0, cols: 0)).isEmpty)
    #expect(PowerNorms.of(Matrix<Double>([[.nan]]), upTo: 2).allSatisfy { $0.isNaN })
    #expect(PowerNorms.of(Matrix<Double>([[0, 1], [0, 0]]), upTo: 3) == [1, 1, 0, 0])
  }
}

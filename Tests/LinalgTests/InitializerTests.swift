import Foundation
import Linalg
import SeededRandom
import TestSupport
import Testing

@Suite struct InitializerTests {
  @Test(arguments: [(6, 6), (4, 16), (16, 4)])
  func orthogonalIsOrthogonal(rows: Int, cols: Int) {
    var rng = SeededGenerator(seed: 7)
    let q: Matrix<Double> = Initializer.orthogonal(rows: rows, cols: cols, using: &rng)
    // The short side is orthonormal: QQᵀ = I (wide) or QᵀQ = I (tall).
    let gram = rows <= cols ? Matrix.product(q, q, transposeB: true) : Matrix.product(q, transposeA: true, q)
    let identity = Matrix<Double>.identity(min(rows, cols))
    #expect(relativeError(gram.storage, identity.storage) < 1e-13)
  }

  @Test func sameSeedSameWeightsBitForBit() {
    func draw(_ seed: UInt64) -> [Float] {
      var rng = SeededGenerator(seed: seed)
      let a: Matrix<Float> = Initializer.glorotUniform(rows: 5, cols: 7, using: &rng)
      let b: Matrix<Float> = Initializer.orthogonal(rows: 5, cols: 20, using: &rng)
      return a.storage + b.storage
    }
    #expect(draw(42).map(\.bitPattern) == draw(42).map(\.bitPattern))
    #expect(draw(42) != draw(43))
  }

  @Test func glorotStaysInsideItsLimit() {
    var rng = SeededGenerator(seed: 9)
    let w: Matrix<Double> = Initializer.glorotUniform(rows: 30, cols: 50, using: &rng)
    let limit = (6.0 / 80).squareRoot()
    #expect(w.maxAbs <= limit && w.maxAbs > 0.9 * limit)
  }

  @Test func normalHasUnitVariance() {
    var rng = SeededGenerator(seed: 11)
    let samples = (0..<20_000).map { _ in rng.nextNormal() }
    let mean = samples.reduce(0, +) / Double(samples.count)
    let variance = samples.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(samples.count)
    #expect(abs(mean) < 0.03 && abs(variance - 1) < 0.03)
  }
}

@Suite struct FastTanhTests {
  @Test func fastTanhIsWithinAFewUlpOfTanhEverywhere() {
    var worst: Float = 0
    for k in -20_000...20_000 {
      let x = Float(k) * 0.001
      worst = max(worst, abs(Float.fastTanh(x) - Float(Foundation.tanh(Double(x)))))
    }
    #expect(worst < 5e-7, "max |fastTanh - tanh| = \(worst)")
    #expect(Float.fastTanh(100) == Float.fastTanh(8) && abs(Float.fastTanh(100) - 1) < 1e-6)
    #expect(Float.fastTanh(0) == 0)
    #expect(Float.fastTanh(-3) == -Float.fastTanh(3))
  }

  @Test func inPlaceActivationsMatchTheDefinitions() {
    // 37 values: two full SIMD blocks and a tail.
    let xs = (0..<37).map { -30.0 + 1.63 * Double($0) }
    var f = xs.map { Float($0) }
    var d = xs
    f.withUnsafeMutableBufferPointer { Float.sigmoidInPlace($0.baseAddress!, count: $0.count) }
    d.withUnsafeMutableBufferPointer { Double.sigmoidInPlace($0.baseAddress!, count: $0.count) }
    for (k, x) in xs.enumerated() {
      let exact = 1 / (1 + Foundation.exp(-x))
      #expect(abs(Double(f[k]) - exact) < 3e-7)
      #expect(abs(d[k] - exact) <= 4e-16 * max(1, exact))
    }
    var t = xs.map { Float($0 / 10) }
    t.withUnsafeMutableBufferPointer { Float.tanhInPlace($0.baseAddress!, count: $0.count) }
    for (k, x) in xs.enumerated() { #expect(abs(Double(t[k]) - Foundation.tanh(x / 10)) < 3e-7) }
  }
}

import Linalg
import SeededRandom
import TestSupport
import Testing

@Suite struct MatrixTests {
  func random(_ r: Int, _ c: Int, seed: UInt64) -> Matrix<Double> {
    var rng = SeededGenerator(seed: seed)
    return Initializer.scaledNormal(rows: r, cols: c, std: 1, using: &rng)
  }

  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func gemmMatchesNaiveProductForEveryTranspose(transposeA: Bool, transposeB: Bool) {
    let (m, k, n) = (3, 5, 4)
    let a = random(transposeA ? k : m, transposeA ? m : k, seed: 1)
    let b = random(transposeB ? n : k, transposeB ? k : n, seed: 2)
    let blas = Matrix.product(a, transposeA: transposeA, b, transposeB: transposeB)
    let naive = Matrix.referenceProduct(transposeA ? a.transposed : a, transposeB ? b.transposed : b)
    #expect(blas.rows == m && blas.cols == n)
    #expect(relativeError(blas.storage, naive.storage) < 1e-14)
  }

  @Test func floatGemmMatchesDouble() {
    let a = random(7, 6, seed: 3), b = random(6, 2, seed: 4)
    let single = Matrix.product(a.converted(to: Float.self), b.converted(to: Float.self))
    let exact = Matrix.product(a, b)
    #expect(relativeError(single.converted(to: Double.self).storage, exact.storage) < 1e-6)
  }

  @Test func gemmAccumulatesWithBeta() {
    let a = random(2, 3, seed: 5), b = random(3, 2, seed: 6)
    var c = Matrix<Double>(rows: 2, cols: 2, repeating: 1)
    c.gemm(a, b, alpha: 2, beta: 0.5)
    let expected = Matrix.referenceProduct(a, b).map { 2 * $0 + 0.5 }
    #expect(relativeError(c.storage, expected.storage) < 1e-14)
  }

  @Test func columnSumsAndRowVector() {
    var m = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
    #expect(m.columnSums() == Matrix([[5, 7, 9]]))
    m.addRowVector(Matrix([[10, 20, 30]]))
    #expect(m == Matrix([[11, 22, 33], [14, 25, 36]]))
  }

  @Test func mismatchedShapesStopWithBothShapes() async {
    await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
      let a = Matrix<Double>(rows: 2, cols: 3), b = Matrix<Double>(rows: 4, cols: 5)
      _ = Matrix.product(a, b)
    }.map { result in
      let message = String(decoding: result.standardErrorContent, as: UTF8.self)
      #expect(message.contains("2x3") && message.contains("4x5"), "message was: \(message)")
    }
  }
}

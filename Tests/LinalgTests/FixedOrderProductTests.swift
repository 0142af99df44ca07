import Linalg
import SeededRandom
import TestSupport
import Testing

/// The Double product runs in one fixed order (the naive triple loop's, bit for bit), so the
/// analysis cannot depend on a BLAS kernel; Float products go through BLAS and are counted.
@Suite struct FixedOrderProductTests {
  func random(_ r: Int, _ c: Int, seed: UInt64) -> Matrix<Double> {
    var rng = SeededGenerator(seed: seed)
    return Initializer.scaledNormal(rows: r, cols: c, std: 1, using: &rng)
  }

  /// K = 300 sums many products of mixed sign: any other order (a BLAS kernel's blocking,
  /// fused multiply-adds, a split over threads) changes last bits of most elements. Shapes
  /// not multiples of 4 exercise the tails of both loops.
  @Test(arguments: [(false, false), (true, false), (false, true), (true, true)])
  func doubleProductIsTheNaiveLoopBitForBit(transposeA: Bool, transposeB: Bool) {
    let (m, k, n) = (7, 300, 13)
    let a = random(transposeA ? k : m, transposeA ? m : k, seed: 1)
    let b = random(transposeB ? n : k, transposeB ? k : n, seed: 2)
    let product = Matrix.product(a, transposeA: transposeA, b, transposeB: transposeB)
    let naive = Matrix.referenceProduct(transposeA ? a.transposed : a, transposeB ? b.transposed : b)
    #expect(product.storage == naive.storage)
  }

  /// c = α·s + β·c with the sum s rounded first, as documented.
  @Test func alphaAndBetaApplyAfterTheSum() {
    let a = random(5, 9, seed: 3), b = random(9, 6, seed: 4)
    let start = random(5, 6, seed: 5)
    var c = start
    c.gemm(a, b, alpha: 0.3, beta: -1.7)
    let s = Matrix.referenceProduct(a, b)
    #expect(c.storage == zip(s.storage, start.storage).map { 0.3 * $0 + -1.7 * $1 })
    // β = 0 never reads c, so a NaN there does not leak into the result.
    var fresh = Matrix<Double>(rows: 5, cols: 6, repeating: .nan)
    fresh.gemm(a, b)
    #expect(fresh.storage == s.storage)
  }

  @Test func onlyFloatProductsGoThroughBLAS() {
    let before = BLASRuntime.productsOnThisThread
    _ = Matrix.product(random(40, 40, seed: 6), random(40, 40, seed: 7))
    #expect(BLASRuntime.productsOnThisThread == before)
    _ = Matrix.product(random(4, 3, seed: 8).converted(to: Float.self), random(3, 2, seed: 9).converted(to: Float.self))
    #expect(BLASRuntime.productsOnThisThread == before + 1)
  }
}

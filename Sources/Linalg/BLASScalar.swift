#if canImport(Accelerate)
  import Accelerate
#else
  import CBLAS
#endif
import Foundation

/// A floating-point type GradLab multiplies: `Float` for training, through BLAS (fast, its
/// last bits depend on the kernel); `Double` for analysis, in a fixed order of operations
/// (`FixedOrderProduct`: the same bits on every CPU, kernel and thread count).
public protocol BLASScalar: BinaryFloatingPoint, SIMDScalar, Activations, Sendable, Codable
where Self.RawSignificand: FixedWidthInteger {
  /// C = alpha * op(A) * op(B) + beta * C on row-major buffers (the arguments of cblas_?gemm).
  static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Self,
    a: UnsafePointer<Self>, lda: Int, b: UnsafePointer<Self>, ldb: Int,
    beta: Self, c: UnsafeMutablePointer<Self>, ldc: Int)
  static func log(_ x: Self) -> Self
  static func log1p(_ x: Self) -> Self
  static func tanh(_ x: Self) -> Self
  static func sqrt(_ x: Self) -> Self
  /// The tensor dtype name used in safetensors headers ("F32", "F64").
  static var safetensorsDType: String { get }
}

@inline(__always)
private func cblasTranspose(_ t: Bool) -> CBLAS_TRANSPOSE { t ? CblasTrans : CblasNoTrans }

extension Float: BLASScalar {
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Float,
    a: UnsafePointer<Float>, lda: Int, b: UnsafePointer<Float>, ldb: Int,
    beta: Float, c: UnsafeMutablePointer<Float>, ldc: Int
  ) {
    BLASRuntime.countProduct()
    cblas_sgemm(
      CblasRowMajor, cblasTranspose(transposeA), cblasTranspose(transposeB),
      Int32(m), Int32(n), Int32(k), alpha, a, Int32(lda), b, Int32(ldb), beta, c, Int32(ldc))
  }
  @inlinable @inline(__always) public static func log(_ x: Float) -> Float { Foundation.log(x) }
  @inlinable @inline(__always) public static func log1p(_ x: Float) -> Float { Foundation.log1p(x) }
  @inlinable @inline(__always) public static func tanh(_ x: Float) -> Float { Foundation.tanh(x) }
  @inlinable @inline(__always) public static func sqrt(_ x: Float) -> Float { x.squareRoot() }
  public static var safetensorsDType: String { "F32" }
}

extension Double: BLASScalar {
  public static func gemm(
    transposeA: Bool, transposeB: Bool, m: Int, n: Int, k: Int, alpha: Double,
    a: UnsafePointer<Double>, lda: Int, b: UnsafePointer<Double>, ldb: Int,
    beta: Double, c: UnsafeMutablePointer<Double>, ldc: Int
  ) {
    FixedOrderProduct.gemm(
      transposeA: transposeA, transposeB: transposeB, m: m, n: n, k: k, alpha: alpha,
      a: a, lda: lda, b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
  }
  @inlinable @inline(__always) public static func log(_ x: Double) -> Double { Foundation.log(x) }
  @inlinable @inline(__always) public static func log1p(_ x: Double) -> Double { Foundation.log1p(x) }
  @inlinable @inline(__always) public static func tanh(_ x: Double) -> Double { Foundation.tanh(x) }
  @inlinable @inline(__always) public static func sqrt(_ x: Double) -> Double { x.squareRoot() }
  public static var safetensorsDType: String { "F64" }
}

import Foundation
import PointwiseKernels

/// The element functions of the cells and the loss. The in-place ones run over contiguous
/// runs of a buffer (the cells' gate blocks): Float uses the rational tanh of the pointwise
/// kernels (training speed, `KernelLevel`), Double is exact (libm: analysis and gradient checks).
public protocol Activations: BinaryFloatingPoint {
  static func exp(_ x: Self) -> Self
  /// x = tanh(x) for `count` values.
  static func tanhInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
  /// x = σ(x) = 1 / (1 + e^-x) for `count` values.
  static func sigmoidInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
}

/// Logistic sigmoid 1 / (1 + e^-x), computed without overflow for large |x|.
@inlinable @inline(__always)
public func sigmoid<T: Activations>(_ x: T) -> T {
  if x >= 0 { return 1 / (1 + T.exp(-x)) }
  let e = T.exp(x)
  return e / (1 + e)
}

extension Float: Activations {
  @inlinable @inline(__always) public static func exp(_ x: Float) -> Float { Foundation.exp(x) }

  /// tanh(x) ≈ x · P(x²) / Q(x²) on [-7.9988, 7.9988] (clamped outside, where tanh rounds to
  /// ±1 in Float): the odd rational minimax approximation Eigen uses for float tanh, no
  /// branches, max error below 5e-7 (`gradlab_tanh_f32`).
  public static func tanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) { gradlab_tanh_f32(x, count) }

  /// σ(x) = (1 + tanh(x/2)) / 2 with the same tanh.
  public static func sigmoidInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) { gradlab_sigmoid_f32(x, count) }

  /// The rational tanh of `tanhInPlace` on one value.
  public static func fastTanh(_ x: Float) -> Float {
    var y = x
    tanhInPlace(&y, count: 1)
    return y
  }
}

extension Double: Activations {
  @inlinable @inline(__always) public static func exp(_ x: Double) -> Double { Foundation.exp(x) }

  public static func tanhInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) {
    for k in 0..<count { x[k] = Foundation.tanh(x[k]) }
  }

  public static func sigmoidInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) {
    for k in 0..<count { x[k] = sigmoid(x[k]) }
  }
}

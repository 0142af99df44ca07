/// In-place activations over contiguous runs of a buffer: the cells call these on their gate
/// blocks. Float uses the vectorised rational tanh (training speed); Double is exact
/// (analysis and gradient checks).
public protocol Activations {
  /// x = tanh(x) for `count` values.
  static func tanhInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
  /// x = σ(x) = 1 / (1 + e^-x) for `count` values.
  static func sigmoidInPlace(_ x: UnsafeMutablePointer<Self>, count: Int)
}

extension Float: Activations {
  public static func tanhInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    var k = 0
    let raw = UnsafeMutableRawPointer(x)
    while k + 16 <= count {
      let v = raw.loadUnaligned(fromByteOffset: k * 4, as: SIMD16<Float>.self)
      raw.storeBytes(of: fastTanh(v), toByteOffset: k * 4, as: SIMD16<Float>.self)
      k += 16
    }
    while k < count {
      x[k] = fastTanh(x[k])
      k += 1
    }
  }

  /// σ(x) = (1 + tanh(x/2)) / 2.
  public static func sigmoidInPlace(_ x: UnsafeMutablePointer<Float>, count: Int) {
    var k = 0
    let raw = UnsafeMutableRawPointer(x)
    while k + 16 <= count {
      let v = raw.loadUnaligned(fromByteOffset: k * 4, as: SIMD16<Float>.self)
      raw.storeBytes(of: 0.5 + 0.5 * fastTanh(0.5 * v), toByteOffset: k * 4, as: SIMD16<Float>.self)
      k += 16
    }
    while k < count {
      x[k] = 0.5 + 0.5 * fastTanh(0.5 * x[k])
      k += 1
    }
  }
}

extension Double: Activations {
  public static func tanhInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) {
    for k in 0..<count { x[k] = Double.tanh(x[k]) }
  }

  public static func sigmoidInPlace(_ x: UnsafeMutablePointer<Double>, count: Int) {
    for k in 0..<count { x[k] = sigmoid(x[k]) }
  }
}

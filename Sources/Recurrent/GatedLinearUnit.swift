import Linalg
import SeededRandom

/// Gated linear unit, the position-wise layer the LRU's blocks put after the recurrence
/// (Orvieto et al. 2023; Dauphin et al. 2017): y = (x W_a + b_a) ⊙ σ(x W_g + b_g).
/// x: B × D, W_a, W_g: D × O, b_a, b_g: 1 × O; glorot-uniform kernels, zero biases.
public struct GatedLinearUnit<Scalar: BLASScalar>: Sendable {
  public var value: Dense<Scalar>
  public var gate: Dense<Scalar>

  public init(inputSize: Int, outputSize: Int, using rng: inout SeededGenerator) {
    value = Dense(inputSize: inputSize, outputSize: outputSize, using: &rng)
    gate = Dense(inputSize: inputSize, outputSize: outputSize, using: &rng)
  }

  public init(value: Dense<Scalar>, gate: Dense<Scalar>) {
    precondition(value.weight.rows == gate.weight.rows && value.weight.cols == gate.weight.cols, "GatedLinearUnit: value \(value.weight.shape) and gate \(gate.weight.shape) kernels differ")
    (self.value, self.gate) = (value, gate)
  }

  /// (v, s) with v = x W_a + b_a and s = σ(x W_g + b_g): what the backward pass needs.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func parts(_ x: Matrix<Scalar>) -> (value: Matrix<Scalar>, gate: Matrix<Scalar>) {
    var s = gate.forward(x)
    s.storage.withUnsafeMutableBufferPointer { Scalar.sigmoidInPlace($0.baseAddress!, count: $0.count) }
    return (value.forward(x), s)
  }

  // y = v ⊙ s
  public func forward(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
    let (v, s) = parts(x)
    return Matrix(rows: v.rows, cols: v.cols, storage: zip(v.storage, s.storage).map { $0 * $1 })
  }

  /// dv = dy ⊙ s, da_g = dy ⊙ v ⊙ s(1 - s), then each Dense back; dx is their sum.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backward(_ x: Matrix<Scalar>, outputGradient dy: Matrix<Scalar>) -> (parameters: GatedLinearUnit, input: Matrix<Scalar>) {
    let (v, s) = parts(x)
    checkShapes(dy.rows == v.rows && dy.cols == v.cols, "GatedLinearUnit backward (dy vs y)", dy, v)
    var (dv, dg) = (dy, dy)
    for k in 0..<dy.count {
      // y = v ⊙ s:  dv = dy ⊙ s;  s = σ(a_g):  da_g = dy ⊙ v ⊙ s ⊙ (1 - s)
      dv.storage[k] = dy.storage[k] * s.storage[k]
      dg.storage[k] = dy.storage[k] * v.storage[k] * s.storage[k] * (1 - s.storage[k])
    }
    let (a, g) = (value.backward(x, outputGradient: dv), gate.backward(x, outputGradient: dg))
    return (GatedLinearUnit(value: Dense(weight: a.weight, bias: a.bias), gate: Dense(weight: g.weight, bias: g.bias)), a.input + g.input)
  }
}

import Linalg
import SeededRandom

/// One LRU layer as the paper stacks it, read at the last step: a linear encoder to the
/// model width, the LRU, and the position-wise GLU with a residual connection
/// (Orvieto et al. 2023, section 2 and appendix D, without the normalisation, GELU and
/// dropout of their deep stacks):
///
///     v_t = x_t W_e + b_e               (D input → W width)
///     y_t = LRU(v)_t                    (N complex lanes)
///     h_T = v_T + GLU(y_T)
///
/// Only h_T is read, so the GLU runs at the last step alone (the same h_T as running it at
/// every step). Parameter gradients are summed over steps and rows.
public struct LRUBlock<Scalar: RealScalar>: ParameterSet, Sendable {
  public var encoder: Dense<Scalar>
  public var lru: LRULayer<Scalar>
  public var glu: GatedLinearUnit<Scalar>

  public var inputSize: Int { encoder.weight.rows }
  public var width: Int { encoder.weight.cols }

  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    let lru: WritableKeyPath<Self, LRULayer<Scalar>> = \.lru
    return [("encoder.kernel", \.encoder.weight), ("encoder.bias", \.encoder.bias)]
      + LRULayer<Scalar>.parameterPaths.map { (name: "lru." + $0.name, path: lru.appending(path: $0.path)) }
      + [
        ("glu.value.kernel", \.glu.value.weight), ("glu.value.bias", \.glu.value.bias),
        ("glu.gate.kernel", \.glu.gate.weight), ("glu.gate.bias", \.glu.gate.bias),
      ]
  }

  /// Glorot-uniform encoder and GLU, the LRU initialised on the ring r_min ≤ |λ| ≤ r_max.
  public init(inputSize D: Int, width W: Int, lanes N: Int, minRadius: Double = 0.9, maxRadius: Double = 0.999, using rng: inout SeededGenerator) {
    encoder = Dense(inputSize: D, outputSize: W, using: &rng)
    lru = LRULayer(width: W, lanes: N, minRadius: minRadius, maxRadius: maxRadius, using: &rng)
    glu = GatedLinearUnit(inputSize: W, outputSize: W, using: &rng)
  }

  public init(encoder: Dense<Scalar>, lru: LRULayer<Scalar>, glu: GatedLinearUnit<Scalar>) {
    precondition(encoder.weight.cols == lru.width && glu.value.weight.rows == lru.width && glu.value.weight.cols == lru.width, "LRUBlock: encoder \(encoder.weight.shape), LRU width \(lru.width), GLU \(glu.value.weight.shape) do not fit")
    (self.encoder, self.lru, self.glu) = (encoder, lru, glu)
  }

  /// h_T (B × W) for a time-major input (T·B × D), with what the backward pass needs.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(_ x: Matrix<Scalar>, batch B: Int) -> (last: Matrix<Scalar>, trace: LRUTrace<Scalar>) {
    // v = x W_e + b_e;  y = LRU(v)
    let trace = lru.forward(encoder.forward(x), batch: B)
    // h_T = v_T + GLU(y_T)
    let vT = trace.inputs.rows((x.rows - B)..<x.rows)
    return (vT + glu.forward(trace.lastOutput), trace)
  }

  /// Back from dL/dh_T (B × W); `record` sees dL/dx_t of the LRU's state (B × 2N).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backward(_ x: Matrix<Scalar>, trace: LRUTrace<Scalar>, lastGradient dh: Matrix<Scalar>, record: BPTTRecorder<Scalar>? = nil) -> (parameters: LRUBlock, inputs: Matrix<Scalar>) {
    let (B, rows) = (trace.batch, x.rows)
    // h_T = v_T + GLU(y_T):  dy_T = GLU'ᵀ dh,  dv_T += dh
    let gate = glu.backward(trace.lastOutput, outputGradient: dh)
    var dy = Matrix<Scalar>(rows: rows, cols: width)
    dy.storage.replaceSubrange(((rows - B) * width)..<(rows * width), with: gate.input.storage)
    var back = lru.backward(trace, outputGradient: dy, record: record)
    for k in 0..<dh.count { back.inputs.storage[(rows - B) * width + k] += dh.storage[k] }
    // v = x W_e + b_e
    let e = encoder.backward(x, outputGradient: back.inputs)
    return (LRUBlock(encoder: Dense(weight: e.weight, bias: e.bias), lru: back.parameters, glu: gate.parameters), e.input)
  }
}

import Linalg
import SeededRandom

/// One LRU layer as the paper stacks it, read at the last K steps: a linear encoder to the
/// model width, the LRU, and the position-wise GLU with a residual connection
/// (Orvieto et al. 2023, section 2 and appendix D, without the normalisation, GELU and
/// dropout of their deep stacks):
///
///     v_t = x_t W_e + b_e               (D input → W width)
///     y_t = LRU(v)_t                    (N complex lanes)
///     h_t = v_t + GLU(y_t)              (t = T - K + 1 ... T)
///
/// Only those h_t are read, so the GLU runs at those steps alone (the same h_t as running it
/// at every step). Parameter gradients are summed over steps and rows.
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

  /// A block of 0 lanes reading D inputs: the unused part of a model that holds several
  /// recurrences.
  public static func empty(inputSize D: Int) -> LRUBlock {
    let (row, square) = (Matrix<Scalar>(rows: 1, cols: 0), Matrix<Scalar>(rows: 0, cols: 0))
    return LRUBlock(
      encoder: Dense(weight: Matrix(rows: D, cols: 0), bias: row),
      lru: LRULayer(nu: row, theta: row, gammaLog: row, inputReal: square, inputImaginary: square, outputReal: square, outputImaginary: square, skip: row),
      glu: GatedLinearUnit(value: Dense(weight: square, bias: row), gate: Dense(weight: square, bias: row)))
  }

  /// h_t for the last K steps (K·B × W, time-major) of a time-major input (T·B × D), with
  /// what the backward pass needs; K = 1 reads h_T alone.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(_ x: Matrix<Scalar>, batch B: Int, readoutSteps K: Int = 1) -> (last: Matrix<Scalar>, trace: LRUTrace<Scalar>) {
    // v = x W_e + b_e
    forward(encoded: encoder.forward(x), batch: B, readoutSteps: K)
  }

  /// The block from its encoded inputs v_t = x_t W_e + b_e (T·B × W, time-major), however
  /// the caller computed them.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(encoded v: Matrix<Scalar>, batch B: Int, readoutSteps K: Int = 1) -> (last: Matrix<Scalar>, trace: LRUTrace<Scalar>) {
    // y = LRU(v)
    let trace = lru.forward(v, batch: B)
    // h_t = v_t + GLU(y_t) for the last K steps
    let read = (v.rows - K * B)..<v.rows
    return (trace.inputs.rows(read) + glu.forward(trace.outputs.rows(read)), trace)
  }

  /// Back from dL/dh_t of the last K steps (K·B × W, as `forward` read them); `record` sees
  /// dL/dx_t of the LRU's state (B × 2N).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backward(_ x: Matrix<Scalar>, trace: LRUTrace<Scalar>, lastGradient dh: Matrix<Scalar>, record: BPTTRecorder<Scalar>? = nil) -> (parameters: LRUBlock, inputs: Matrix<Scalar>) {
    let back = backwardToEncoded(trace, lastGradient: dh, record: record)
    let e = encoderGradients(x, encodedGradient: back.encoded)
    return (LRUBlock(encoder: e.encoder, lru: back.lru, glu: back.glu), e.inputs)
  }

  /// The encoder v = x W_e + b_e differentiated for N rows of inputs (N × D) and their dL/dv
  /// (N × W): its gradient (dW_e = xᵀ dv, db_e = Σ dv) and dx = dv W_eᵀ.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func encoderGradients(_ x: Matrix<Scalar>, encodedGradient dv: Matrix<Scalar>) -> (encoder: Dense<Scalar>, inputs: Matrix<Scalar>) {
    let e = encoder.backward(x, outputGradient: dv)
    return (Dense(weight: e.weight, bias: e.bias), e.input)
  }

  /// Back to dL/dv_t (T·B × W): the LRU's and the GLU's gradients, the encoder's left to the
  /// caller (`encoderGradients`).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backwardToEncoded(_ trace: LRUTrace<Scalar>, lastGradient dh: Matrix<Scalar>, record: BPTTRecorder<Scalar>? = nil) -> (lru: LRULayer<Scalar>, glu: GatedLinearUnit<Scalar>, encoded: Matrix<Scalar>) {
    let rows = trace.inputs.rows
    let first = rows - dh.rows
    precondition(dh.rows % trace.batch == 0 && first >= 0 && dh.cols == width, "LRUBlock.backward: dL/dh is \(dh.shape), expected K·\(trace.batch) x \(width) for the last K steps")
    // h_t = v_t + GLU(y_t) for the last K steps:  dy_t = GLU'ᵀ dh_t,  dv_t += dh_t
    let gate = glu.backward(trace.outputs.rows(first..<rows), outputGradient: dh)
    var dy = Matrix<Scalar>(rows: rows, cols: width)
    dy.storage.replaceSubrange((first * width)..<(rows * width), with: gate.input.storage)
    var back = lru.backward(trace, outputGradient: dy, record: record)
    for k in 0..<dh.count { back.inputs.storage[first * width + k] += dh.storage[k] }
    return (back.parameters, gate.parameters, back.inputs)
  }
}

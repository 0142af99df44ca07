import Linalg
import SeededRandom

/// A recurrent layer unrolled over T steps: its weights, and (in `RecurrentLayer+BPTT`) the
/// one driver that runs every cell forward and back through time.
///
/// Shapes (B batch, T steps, D input, H hidden, G gates of `kind`):
/// `inputKernel` D × G·H (Keras `kernel`), `recurrentKernel` H × G·H (Keras
/// `recurrent_kernel`), `bias` 1 × G·H, `recurrentBias` 1 × G·H for the GRU (Keras' second
/// bias row, b_h) and 1 × 0 otherwise.
public struct RecurrentLayer<Scalar: BLASScalar>: ParameterSet, Sendable {
  public let kind: CellKind
  public let inputSize: Int
  public let hiddenSize: Int
  public var inputKernel: Matrix<Scalar>
  public var recurrentKernel: Matrix<Scalar>
  public var bias: Matrix<Scalar>
  public var recurrentBias: Matrix<Scalar>

  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    [
      ("kernel", \.inputKernel), ("recurrent_kernel", \.recurrentKernel),
      ("bias", \.bias), ("recurrent_bias", \.recurrentBias),
    ]
  }

  /// Keras initialisation: glorot-uniform kernel, orthogonal recurrent kernel, zero biases,
  /// and for the LSTM the forget-gate bias set to `forgetBias` (Keras unit_forget_bias: 1).
  public init(
    kind: CellKind, inputSize: Int, hiddenSize: Int, forgetBias: Double = 1,
    using rng: inout SeededGenerator
  ) {
    precondition(inputSize > 0 && hiddenSize > 0, "RecurrentLayer needs positive sizes, got input \(inputSize), hidden \(hiddenSize)")
    let width = kind.gateCount * hiddenSize
    self.kind = kind
    self.inputSize = inputSize
    self.hiddenSize = hiddenSize
    inputKernel = Initializer.glorotUniform(rows: inputSize, cols: width, using: &rng)
    recurrentKernel = Initializer.orthogonal(rows: hiddenSize, cols: width, using: &rng)
    bias = Matrix(rows: 1, cols: width)
    recurrentBias = Matrix(rows: 1, cols: kind.hasRecurrentBias ? width : 0)
    if kind == .lstm {
      for j in hiddenSize..<(2 * hiddenSize) { bias[0, j] = Scalar(forgetBias) }
    }
  }

  /// A layer from given weights; shapes are checked against `kind`, `inputSize`, `hiddenSize`.
  public init(
    kind: CellKind, inputKernel: Matrix<Scalar>, recurrentKernel: Matrix<Scalar>,
    bias: Matrix<Scalar>, recurrentBias: Matrix<Scalar>? = nil
  ) {
    let hidden = recurrentKernel.rows
    let width = kind.gateCount * hidden
    precondition(recurrentKernel.cols == width, "\(kind) recurrent kernel must be H x \(kind.gateCount)H, got \(recurrentKernel.shape)")
    precondition(inputKernel.cols == width, "\(kind) kernel must be D x \(width), got \(inputKernel.shape)")
    precondition(bias.rows == 1 && bias.cols == width, "\(kind) bias must be 1 x \(width), got \(bias.shape)")
    let rb = recurrentBias ?? Matrix(rows: 1, cols: kind.hasRecurrentBias ? width : 0)
    precondition(rb.rows == 1 && rb.cols == (kind.hasRecurrentBias ? width : 0), "\(kind) recurrent bias must be 1 x \(kind.hasRecurrentBias ? width : 0), got \(rb.shape)")
    self.kind = kind
    self.inputSize = inputKernel.rows
    self.hiddenSize = hidden
    self.inputKernel = inputKernel
    self.recurrentKernel = recurrentKernel
    self.bias = bias
    self.recurrentBias = rb
  }

  /// The H x H recurrent block of gate `gate` (columns gate·H ..< (gate+1)·H).
  public func recurrentBlock(_ gate: Int) -> Matrix<Scalar> {
    recurrentKernel.columns((gate * hiddenSize)..<((gate + 1) * hiddenSize))
  }

  /// Rescales every gate's H x H recurrent block to spectral norm `sigma`.
  public mutating func rescaleRecurrentBlocks(toSpectralNorm sigma: Double) {
    for gate in 0..<kind.gateCount {
      let block = recurrentBlock(gate)
      let norm = SingularValues.spectralNorm(block.converted(to: Double.self))
      precondition(norm > 0, "cannot rescale a zero recurrent block (gate \(gate)) to spectral norm \(sigma)")
      recurrentKernel.setColumns(gate * hiddenSize, to: Scalar(sigma / norm) * block)
    }
  }
}

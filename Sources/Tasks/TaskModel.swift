import Linalg
import Recurrent
import SeededRandom

/// x_1..x_T (D features) -> a recurrence (H) -> Dense(H, C) on each of the last K hidden
/// states h_{T-K+1}, ..., h_T: K·B output rows (time-major, row k·B + b), read by one
/// `LossHead` as one mean over them (K = 1, C = 1 for adding and first; K tokens, C classes
/// for selective copy). Gradients have the model's own type.
///
/// The recurrence is one of three, named by `cell`: a `RecurrentLayer` (linear, rnn, lstm,
/// gru, irnn, chrono), an `LRUBlock` or a `MinGRULayer`. The model holds all three so that
/// its parameter list is one static list; the two it does not use are empty (0 units) and
/// `activeParameterPaths` leaves them out of checkpoints.
public struct TaskModel<Scalar: RealScalar>: ParameterSet, Sendable {
  public let cell: TaskCell
  public var recurrent: RecurrentLayer<Scalar>
  public var lru: LRUBlock<Scalar>
  public var minGRU: MinGRULayer<Scalar>
  public var output: Dense<Scalar>

  /// The names match `SequenceClassifier`'s, so `gradlab decay --weights` reads a task's
  /// checkpoint too.
  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    recurrentPaths + lruPaths + minGRUPaths + outputPaths
  }

  /// The paths of the recurrence in use and the readout.
  public var activeParameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    switch cell {
    case .lru: Self.lruPaths + Self.outputPaths
    case .mingru: Self.minGRUPaths + Self.outputPaths
    default: Self.recurrentPaths + Self.outputPaths
    }
  }

  static func nested<Part: ParameterSet>(_ prefix: String, _ part: WritableKeyPath<Self, Part>) -> [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] where Part.Scalar == Scalar {
    Part.parameterPaths.map { (name: prefix + $0.name, path: part.appending(path: $0.path)) }
  }
  static var recurrentPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { nested("recurrent.", \.recurrent) }
  static var lruPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { nested("lru.", \.lru) }
  static var minGRUPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] { nested("mingru.", \.minGRU) }
  static var outputPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    [(name: "dense.kernel", path: \.output.weight), (name: "dense.bias", path: \.output.bias)]
  }

  /// Initialisation from one seeded generator: Keras' for the recurrent cells (then the
  /// identity recurrence for irnn, chrono biases with T_max = `length` for chrono), the
  /// papers' for lru and mingru, then the glorot-uniform readout. `recurrentSpectralNorm`,
  /// when given, rescales every gate's H × H recurrent block to that spectral norm σ (σ > 1
  /// starts a tanh RNN in the regime where gradients can explode).
  public init(cell: TaskCell, inputSize D: Int, hiddenSize H: Int, outputSize C: Int = 1, seed: UInt64, length: Int, recurrentSpectralNorm: Double? = nil) {
    var rng = SeededGenerator(seed: seed)
    self.cell = cell
    (recurrent, lru, minGRU) = (Self.emptyRecurrent(D), LRUBlock.empty(inputSize: D), MinGRULayer.empty(inputSize: D))
    switch cell {
    case .lru: lru = LRUBlock(inputSize: D, width: H, lanes: H, using: &rng)
    case .mingru: minGRU = MinGRULayer(inputSize: D, hiddenSize: H, using: &rng)
    default:
      guard let kind = cell.recurrentKind else { preconditionFailure("\(cell) has no recurrent layer") }
      recurrent = RecurrentLayer(kind: kind, inputSize: D, hiddenSize: H, using: &rng)
    }
    output = Dense(inputSize: H, outputSize: C, using: &rng)
    if cell == .irnn { recurrent.setIdentityRecurrence() }
    if cell == .chrono { recurrent.setChronoBiases(maxLag: length, using: &rng) }
    if let sigma = recurrentSpectralNorm { recurrent.rescaleRecurrentBlocks(toSpectralNorm: sigma) }
  }

  public init(cell: TaskCell, recurrent: RecurrentLayer<Scalar>, lru: LRUBlock<Scalar>, minGRU: MinGRULayer<Scalar>, output: Dense<Scalar>) {
    (self.cell, self.recurrent, self.lru, self.minGRU, self.output) = (cell, recurrent, lru, minGRU, output)
  }

  static func emptyRecurrent(_ D: Int) -> RecurrentLayer<Scalar> {
    RecurrentLayer(kind: .linear, inputKernel: Matrix(rows: D, cols: 0), recurrentKernel: Matrix(rows: 0, cols: 0), bias: Matrix(rows: 1, cols: 0))
  }

  /// K·B × C outputs for a batch read at its last K = `batch.readoutSteps` steps.
  public func outputs(_ batch: TaskBatch<Scalar>) -> Matrix<Scalar> {
    let (B, K) = (batch.batch, batch.readoutSteps)
    return switch cell {
    case .lru: output.forward(lru.forward(batch.inputs, batch: B, readoutSteps: K).last)
    case .mingru: output.forward(Self.lastSteps(K, of: minGRU.forward(batch.inputs, batch: B).hidden, batch: B))
    default: output.forward(Self.lastSteps(K, of: recurrent.forward(batch.inputs, batch: B).hidden, batch: B))
    }
  }

  /// The rows of h_{T-K+1}, ..., h_T (K·B × H) in a trace's (T+1)·B × H hidden states.
  static func lastSteps(_ K: Int, of hidden: Matrix<Scalar>, batch B: Int) -> Matrix<Scalar> {
    hidden.rows((hidden.rows - K * B)..<hidden.rows)
  }

  /// Mean loss over the K·B read-out rows, the correct count (classification) and the
  /// gradient w.r.t. every parameter; `record` sees dL/dh_t during BPTT (the LRU's complex
  /// state as re, im pairs).
  public func lossAndGradient(
    _ batch: TaskBatch<Scalar>, head: LossHead, record: BPTTRecorder<Scalar>? = nil
  ) -> (loss: Scalar, correct: Int?, gradient: TaskModel) {
    let (x, B, K) = (batch.inputs, batch.batch, batch.readoutSteps)
    let targets = batch.targets[...]
    var gradient = zeroed()
    // h_t for the last K steps from the recurrence, z = h W_d + b_d; dL/dz from the head,
    // dW_d, db_d, dL/dh_t = dz W_dᵀ at those steps, then back through time.
    func readout(_ last: Matrix<Scalar>) -> (z: Matrix<Scalar>, dLast: Matrix<Scalar>) {
      let z = output.forward(last)
      let dense = output.backward(last, outputGradient: head.gradient(z, targets))
      gradient.output = Dense(weight: dense.weight, bias: dense.bias)
      return (z, dense.input)
    }
    let z: Matrix<Scalar>
    switch cell {
    case .lru:
      let (last, trace) = lru.forward(x, batch: B, readoutSteps: K)
      let r = readout(last)
      gradient.lru = lru.backward(x, trace: trace, lastGradient: r.dLast, record: record).parameters
      z = r.z
    case .mingru:
      let trace = minGRU.forward(x, batch: B)
      let r = readout(Self.lastSteps(K, of: trace.hidden, batch: B))
      gradient.minGRU = minGRU.backward(trace, hiddenGradient: .zeros(rows: x.rows, endingWith: r.dLast), record: record).parameters
      z = r.z
    default:
      let trace = recurrent.forward(x, batch: B)
      let r = readout(Self.lastSteps(K, of: trace.hidden, batch: B))
      // The K steps' gradients enter per step (dL/dh_T among them).
      let zero = Matrix<Scalar>(rows: B, cols: recurrent.hiddenSize)
      gradient.recurrent = recurrent.backward(consume trace, lastHidden: zero, perStep: .zeros(rows: x.rows, endingWith: r.dLast), record: record).parameters
      z = r.z
    }
    return (head.loss(z, targets), head.correctCount(z, targets), gradient)
  }

  /// The same weights in another precision.
  public func converted<Other: RealScalar>(to: Other.Type) -> TaskModel<Other> {
    var copy = TaskModel<Other>(
      cell: cell,
      recurrent: RecurrentLayer(
        kind: recurrent.kind, inputKernel: recurrent.inputKernel.converted(), recurrentKernel: recurrent.recurrentKernel.converted(),
        bias: recurrent.bias.converted(), recurrentBias: recurrent.recurrentBias.converted()),
      lru: .empty(inputSize: 0), minGRU: .empty(inputSize: 0),
      output: Dense(weight: output.weight.converted(), bias: output.bias.converted()))
    // The diagonal parts' sizes are their matrices' shapes, so they convert path by path.
    let (from, to) = (Self.lruPaths + Self.minGRUPaths, TaskModel<Other>.lruPaths + TaskModel<Other>.minGRUPaths)
    for (source, target) in zip(from, to) { copy[keyPath: target.path] = self[keyPath: source.path].converted() }
    return copy
  }
}

import Foundation
import Linalg
import SeededRandom

/// The synthetic long-lag problems: sequences whose answer depends on a few early inputs, so
/// a network must carry them across many steps.
///
/// - `adding` (Hochreiter & Schmidhuber 1997; Le, Jaitly & Hinton 2015): x_t = (u_t, m_t)
///   with u_t ~ U[0, 1] and exactly two markers m_t = 1, one at a uniform position in the
///   first half [1, ⌊T/2⌋] and one in the second half; the target is the sum of the two
///   marked values. Regression, mean squared error.
/// - `first`: x_t = ±1 with equal probability; the label is 1 when x_1 = +1, whatever
///   follows. Classification, binary cross-entropy; the only useful input is T - 1 steps back.
/// - `selective-copy` (Gu and Dao 2023, the Mamba paper, section 3.1): K = `copies` tokens,
///   each uniform over V = `tokens` symbols, at K distinct uniform positions among the first
///   T - K steps, noise everywhere else, then K recall markers; at the k-th marker the model
///   must name the k-th token. Inputs are one-hot over V + 2 symbols (the V tokens, noise,
///   recall). Classification over V at each of the K recall steps, softmax cross-entropy
///   averaged over them: the model must choose what to store, since where the tokens sit
///   changes from sequence to sequence.
public enum LongLagTask: String, CaseIterable, Codable, Sendable {
  case adding
  case first
  case selectiveCopy = "selective-copy"

  /// Selective copy's V (token symbols) and K (tokens to copy).
  public static let tokens = 8
  public static let copies = 4

  /// D, the features per step.
  public var inputSize: Int {
    switch self {
    case .adding: 2
    case .first: 1
    case .selectiveCopy: Self.tokens + 2
    }
  }

  /// The outputs per read-out step: the classes for selective copy, one value otherwise.
  public var outputSize: Int { self == .selectiveCopy ? Self.tokens : 1 }

  /// The steps the model is read at, the last `readoutSteps` of each sequence.
  public var readoutSteps: Int { self == .selectiveCopy ? Self.copies : 1 }

  public var head: LossHead {
    switch self {
    case .adding: .meanSquaredError
    case .first: .binaryCrossEntropy
    case .selectiveCopy: .softmaxCrossEntropy
    }
  }

  /// The shortest T the task is defined for (two halves need two steps; selective copy
  /// needs K token steps before its K recall steps).
  public var minimumLength: Int {
    switch self {
    case .adding: 2
    case .first: 1
    case .selectiveCopy: 2 * Self.copies
    }
  }

  /// The loss of the best constant answer, which needs no memory.
  ///
  /// Adding: the target is s = u_a + u_b, the sum of two independent U[0, 1] values, with
  /// mean 1 and variance 1/12 + 1/12, so always answering 1 scores E[(s - 1)²] = 1/6.
  /// First: the labels are balanced, so answering p = 1/2 scores -log(1/2) = log 2.
  /// Selective copy: every token is uniform over V and independent of where it sits and of
  /// the other tokens, so a model that does not read the tokens' identities can do no better
  /// than p = 1/V at each recall step: log V.
  public var baselineLoss: Double {
    switch self {
    case .adding: 1.0 / 6.0
    case .first: Foundation.log(2.0)
    case .selectiveCopy: Foundation.log(Double(Self.tokens))
    }
  }

  /// B sequences of T steps drawn from `rng`.
  public func batch<Scalar: BLASScalar>(size B: Int, length T: Int, using rng: inout SeededGenerator) -> TaskBatch<Scalar> {
    precondition(B >= 1 && T >= minimumLength, "\(rawValue): needs B >= 1 and T >= \(minimumLength), got B \(B), T \(T)")
    let D = inputSize
    var inputs = Matrix<Scalar>(rows: T * B, cols: D)
    var targets = [Scalar](repeating: 0, count: readoutSteps * B)
    var markers = [[Int]](repeating: [], count: B)
    for b in 0..<B {
      switch self {
      case .adding:
        let half = T / 2
        let marked = [1 + rng.index(below: half), half + 1 + rng.index(below: T - half)]
        var sum = 0.0
        for t in 1...T {
          let u = rng.nextUniform()
          let isMarked = marked.contains(t)
          inputs[(t - 1) * B + b, 0] = Scalar(u)
          inputs[(t - 1) * B + b, 1] = isMarked ? 1 : 0
          if isMarked { sum += Double(Scalar(u)) }
        }
        targets[b] = Scalar(sum)
        markers[b] = marked
      case .first:
        for t in 1...T { inputs[(t - 1) * B + b, 0] = rng.nextUniform() < 0.5 ? -1 : 1 }
        targets[b] = inputs[b, 0] > 0 ? 1 : 0
        markers[b] = [1]
      case .selectiveCopy:
        let (V, K) = (Self.tokens, Self.copies)
        // K distinct positions among 1...T - K (a partial Fisher-Yates shuffle), in order.
        var slots = Array(1...(T - K))
        for k in 0..<K { slots.swapAt(k, k + rng.index(below: slots.count - k)) }
        let marked = slots[0..<K].sorted()
        for t in 1...T { inputs[(t - 1) * B + b, t > T - K ? V + 1 : V] = 1 }
        for (k, t) in marked.enumerated() {
          let token = rng.index(below: V)
          inputs[(t - 1) * B + b, V] = 0
          inputs[(t - 1) * B + b, token] = 1
          // The k-th recall step (T - K + 1 + k) names the k-th token: target row k·B + b.
          targets[k * B + b] = Scalar(token)
        }
        markers[b] = marked
      }
    }
    return TaskBatch(batch: B, steps: T, inputs: inputs, targets: targets, markers: markers)
  }
}

/// B sequences of a task, time-major like the recurrent layer wants them.
public struct TaskBatch<Scalar: BLASScalar>: Sendable, Equatable {
  public let batch: Int
  public let steps: Int
  /// T·B × D: step t's inputs for sequence b are row (t-1)·B + b.
  public let inputs: Matrix<Scalar>
  /// K·B targets for the K read-out steps, row k·B + b (time-major like the outputs; K = 1:
  /// adding's sum, first's label 0 or 1; selective copy: the k-th token's class).
  public let targets: [Scalar]
  /// The 1-based steps whose inputs decide each sequence's target.
  public let markers: [[Int]]

  public init(batch: Int, steps: Int, inputs: Matrix<Scalar>, targets: [Scalar], markers: [[Int]]) {
    precondition(inputs.rows == steps * batch && targets.count % batch == 0 && targets.count / batch <= steps && markers.count == batch, "TaskBatch: \(inputs.shape) inputs, \(targets.count) targets, \(markers.count) marker lists for B \(batch), T \(steps)")
    self.batch = batch
    self.steps = steps
    self.inputs = inputs
    self.targets = targets
    self.markers = markers
  }

  /// K, the read-out steps (the last K of each sequence).
  public var readoutSteps: Int { targets.count / batch }

  /// The sequences `range` of the batch, in another precision.
  public func sequences<Other: BLASScalar>(_ range: Range<Int>, as: Other.Type = Other.self) -> TaskBatch<Other> {
    let (B, n, D) = (batch, range.count, inputs.cols)
    var x = Matrix<Other>(rows: steps * n, cols: D)
    for t in 0..<steps { for (i, b) in range.enumerated() { for d in 0..<D { x[t * n + i, d] = Other(Double(inputs[t * B + b, d])) } } }
    let y = (0..<readoutSteps).flatMap { k in range.map { Other(Double(targets[k * B + $0])) } }
    return TaskBatch<Other>(batch: n, steps: steps, inputs: x, targets: y, markers: Array(markers[range]))
  }
}

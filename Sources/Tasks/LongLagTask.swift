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
public enum LongLagTask: String, CaseIterable, Codable, Sendable {
  case adding
  case first

  /// D, the features per step.
  public var inputSize: Int {
    switch self {
    case .adding: 2
    case .first: 1
    }
  }

  public var head: LossHead {
    switch self {
    case .adding: .meanSquaredError
    case .first: .binaryCrossEntropy
    }
  }

  /// The shortest T the task is defined for (two halves need two steps).
  public var minimumLength: Int { self == .adding ? 2 : 1 }

  /// The loss of the best constant answer, which needs no memory.
  ///
  /// Adding: the target is s = u_a + u_b, the sum of two independent U[0, 1] values, with
  /// mean 1 and variance 1/12 + 1/12, so always answering 1 scores E[(s - 1)²] = 1/6.
  /// First: the labels are balanced, so answering p = 1/2 scores -log(1/2) = log 2.
  public var baselineLoss: Double {
    switch self {
    case .adding: 1.0 / 6.0
    case .first: Foundation.log(2.0)
    }
  }

  /// B sequences of T steps drawn from `rng`.
  public func batch<Scalar: BLASScalar>(size B: Int, length T: Int, using rng: inout SeededGenerator) -> TaskBatch<Scalar> {
    precondition(B >= 1 && T >= minimumLength, "\(rawValue): needs B >= 1 and T >= \(minimumLength), got B \(B), T \(T)")
    let D = inputSize
    var inputs = Matrix<Scalar>(rows: T * B, cols: D)
    var targets = [Scalar](repeating: 0, count: B)
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
  /// B targets (adding: the sum; first: the label 0 or 1).
  public let targets: [Scalar]
  /// The 1-based steps whose inputs decide each sequence's target.
  public let markers: [[Int]]

  public init(batch: Int, steps: Int, inputs: Matrix<Scalar>, targets: [Scalar], markers: [[Int]]) {
    precondition(inputs.rows == steps * batch && targets.count == batch && markers.count == batch, "TaskBatch: \(inputs.shape) inputs, \(targets.count) targets, \(markers.count) marker lists for B \(batch), T \(steps)")
    self.batch = batch
    self.steps = steps
    self.inputs = inputs
    self.targets = targets
    self.markers = markers
  }
}

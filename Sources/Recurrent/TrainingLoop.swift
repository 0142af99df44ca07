import Linalg

/// A batch's mean loss and its gradient, as a model's `lossAndGradient` (or the sharded
/// IMDB computation) returns them.
public struct BatchGradient<Model: Sendable>: Sendable {
  public var loss: Double
  /// Correct predictions (classification; 0 for regression).
  public var correct: Int
  public var gradient: Model

  public init(loss: Double, correct: Int, gradient: Model) {
    self.loss = loss
    self.correct = correct
    self.gradient = gradient
  }
}

/// What one optimiser step saw.
public struct StepRecord: Sendable, Equatable {
  /// The batch's mean loss.
  public var loss: Double
  /// ||g|| over every parameter, before clipping.
  public var gradientNorm: Double
  /// Correct predictions in the batch (0 for regression).
  public var correct: Int

  /// Whether the loss and the gradient norm are finite; a step that is not leaves the
  /// weights as they were.
  public var isFinite: Bool { loss.isFinite && gradientNorm.isFinite }
}

/// The one training step: ||g||, then (when the loss and ||g|| are finite) g clipped to
/// global norm `clip` and the optimiser's update. `batch.gradient` is left as applied.
public func trainStep<Model: ParameterSet & Sendable>(
  _ model: inout Model, _ batch: inout BatchGradient<Model>, optimizer: inout any Optimizer<Model>, clip: Double?
) -> StepRecord {
  let norm = StepPhase.gradientNorm.time { batch.gradient.globalNorm }
  let record = StepRecord(loss: batch.loss, gradientNorm: norm, correct: batch.correct)
  guard record.isFinite else { return record }
  if let clip { _ = StepPhase.gradientNorm.time { batch.gradient.clipGlobalNorm(to: clip) } }
  StepPhase.optimiser.time { optimizer.update(&model, with: batch.gradient) }
  return record
}

/// What a training loop's caller sees after each step.
public struct StepOutcome<Model: Sendable> {
  /// 0-based index of the step in the loop.
  public var index: Int
  public var record: StepRecord
  /// The gradient as applied (clipped).
  public var applied: Model
  /// The weights before the step, when the loop was asked to keep them.
  public var before: Model?
  /// The weights and the optimiser after the step.
  public var model: Model
  public var optimizer: any Optimizer<Model>
}

/// The one training loop behind `train`, `compare` and the long-lag tasks: for each of
/// `steps` steps, `gradient(model, index)` computes a batch's loss and gradient, `trainStep`
/// takes the step, and `after` hears the outcome (it may throw, or return false to stop;
/// after a step that was not finite the weights are unchanged).
public func trainLoop<Model: ParameterSet & Sendable>(
  _ model: inout Model, optimizer: inout any Optimizer<Model>, clip: Double?, steps: Int, keepBefore: Bool = false,
  gradient: (Model, Int) -> BatchGradient<Model>, after: (StepOutcome<Model>) throws -> Bool
) rethrows {
  for index in 0..<steps {
    var batch = gradient(model, index)
    let before = keepBefore ? model : nil
    let record = trainStep(&model, &batch, optimizer: &optimizer, clip: clip)
    let outcome = StepOutcome(index: index, record: record, applied: batch.gradient, before: before, model: model, optimizer: optimizer)
    guard try after(outcome) else { return }
  }
}

import Foundation
import Linalg
import Probes
import Recurrent
import SeededRandom
import Timing

/// One evaluation on the test set during a task run.
public struct TaskEvaluation: Sendable, Equatable {
  public var step: Int
  /// Mean training loss over the steps since the previous evaluation.
  public var trainLoss: Double
  public var testLoss: Double
  /// Test accuracy (classification); NaN for regression.
  public var testAccuracy: Double
  /// Global gradient norm (before clipping) over the steps since the previous evaluation.
  public var gradientNormMedian: Double
  public var gradientNormMax: Double
  /// Wall-clock seconds since the run started.
  public var seconds: Double
  /// The probe's marker ratio at this step (see `TaskGradientProfile`); NaN when not measured.
  public var markerRatio = Double.nan
}

/// One optimiser step, for the per-step tables (`logSteps`).
public struct TaskStep: Sendable, Equatable {
  public var step: Int
  public var loss: Double
  /// Global gradient norm before clipping.
  public var gradientNorm: Double
}

/// ||dL/dh_t|| for t = 0...T on the probe batch at one training step, in Double.
public struct TaskGradientProfile: Sendable, Equatable {
  public var step: Int
  /// Index t: the norm of the B × H gradient of the batch's mean loss w.r.t. h_t.
  public var norms: [Double]
  /// Median over the probe sequences of ||dL/dh_p|| / ||dL/dh_T|| (per sequence, p its
  /// first marked step): how much of the loss's gradient reaches the input that matters.
  public var markerRatio: Double
}

/// What a run did.
public struct TaskResult: Sendable {
  public var configuration: TaskConfiguration
  public var evaluations: [TaskEvaluation] = []
  public var steps: [TaskStep] = []
  public var profiles: [TaskGradientProfile] = []
  /// The step of the first evaluation below the success threshold.
  public var solvedStep: Int?
  /// The step whose loss or gradient norm became non-finite (the run stops there).
  public var divergedStep: Int?
  public var stepsRun = 0
  /// The largest training loss and gradient norm (before clipping) of any step, and the
  /// first step's loss.
  public var maxTrainLoss = 0.0
  public var maxGradientNorm = 0.0
  public var firstTrainLoss = Double.nan
  public var seconds = 0.0
  public var model: TaskModel<Float>

  public var finalTestLoss: Double { evaluations.last?.testLoss ?? .nan }
  public var bestTestLoss: Double { evaluations.map(\.testLoss).filter(\.isFinite).min() ?? .nan }
}

/// Trains one model on a long-lag task: a fresh batch every step, evaluations on a fixed
/// test set, optional per-step rows and gradient profiles. Single-threaded (small GEMMs):
/// run several at once to use more cores. Same configuration, same numbers on the same BLAS
/// kernel.
public struct TaskRun: Sendable {
  public let configuration: TaskConfiguration
  /// Keep one `TaskStep` per optimiser step.
  public var logSteps = false
  /// Steps at which to record a gradient profile (0: before training); the step where a
  /// run stops (solved, diverged or out of budget) is always recorded when this is not empty.
  public var profileSteps: Set<Int> = []
  /// Sequences in the probe batch (the first ones of the test set).
  public var probeSize = 64
  /// Measure the probe's marker ratio at every evaluation.
  public var probesEvaluations = false

  public init(configuration: TaskConfiguration) { self.configuration = configuration }

  /// The test set: the same for every run with this seed, task and length.
  public func testSet() -> TaskBatch<Float> {
    var rng = SeededGenerator(seed: configuration.seed, stream: UInt64.max)
    return configuration.task.batch(size: configuration.testSize, length: configuration.length, using: &rng)
  }

  /// Runs to the budget, the first solving evaluation (if `stopWhenSolved`), or a
  /// non-finite loss. `onEvaluation` hears every evaluation with the weights at that step
  /// (to print progress or write a checkpoint); an error it throws stops the run.
  public func run(onEvaluation: (TaskEvaluation, TaskModel<Float>) throws -> Void = { _, _ in }) throws -> TaskResult {
    try configuration.validate()
    let c = configuration
    var model = TaskModel<Float>(
      cell: c.cell, inputSize: c.task.inputSize, hiddenSize: c.hiddenSize, outputSize: c.task.outputSize, seed: c.seed, length: c.length,
      recurrentSpectralNorm: c.recurrentSpectralNorm)
    var optimizer = c.optimizer.make(for: model, learningRate: c.learningRate, momentum: c.momentum)
    let test = testSet()
    let probe = TaskProbe(test: test, count: probeSize)
    var result = TaskResult(configuration: c, model: model)
    let stopwatch = Stopwatch()
    if profileSteps.contains(0) { result.profiles.append(probe.profile(model, head: c.task.head, step: 0)) }
    var (lossSum, lossCount, norms) = (0.0, 0, [Double]())

    // A fresh batch every step, drawn from the step's own stream.
    try trainLoop(&model, optimizer: &optimizer, clip: c.clipNorm, steps: c.steps) { model, index in
      var rng = SeededGenerator(seed: c.seed, stream: UInt64(index + 1))
      let batch: TaskBatch<Float> = c.task.batch(size: c.batchSize, length: c.length, using: &rng)
      let (loss, correct, gradient) = model.lossAndGradient(batch, head: c.task.head)
      return BatchGradient(loss: Double(loss), correct: correct ?? 0, gradient: gradient)
    } after: { outcome in
      let (step, loss, norm) = (outcome.index + 1, outcome.record.loss, outcome.record.gradientNorm)
      result.stepsRun = step
      if step == 1 { result.firstTrainLoss = loss }
      result.maxTrainLoss = max(result.maxTrainLoss, loss.isNaN ? .infinity : loss)
      result.maxGradientNorm = max(result.maxGradientNorm, norm.isNaN ? .infinity : norm)
      if logSteps { result.steps.append(TaskStep(step: step, loss: loss, gradientNorm: norm)) }
      guard outcome.record.isFinite else {
        result.divergedStep = step
        return false
      }
      let model = outcome.model
      lossSum += loss
      lossCount += 1
      norms.append(norm)
      if profileSteps.contains(step) { result.profiles.append(probe.profile(model, head: c.task.head, step: step)) }
      guard step % c.evaluateEvery == 0 || step == c.steps else { return true }
      norms.sort()
      let (testLoss, accuracy) = Self.evaluate(model, on: test, head: c.task.head)
      var evaluation = TaskEvaluation(
        step: step, trainLoss: lossSum / Double(lossCount), testLoss: testLoss, testAccuracy: accuracy,
        gradientNormMedian: norms[norms.count / 2], gradientNormMax: norms.last ?? .nan, seconds: stopwatch.seconds)
      if probesEvaluations { evaluation.markerRatio = probe.profile(model, head: c.task.head, step: step).markerRatio }
      result.evaluations.append(evaluation)
      (lossSum, lossCount, norms) = (0, 0, [])
      try onEvaluation(evaluation, model)
      if result.solvedStep == nil, testLoss < c.successLoss {
        result.solvedStep = step
        if c.stopWhenSolved { return false }
      }
      return true
    }
    if !profileSteps.isEmpty, result.profiles.last?.step != result.stepsRun {
      result.profiles.append(probe.profile(model, head: c.task.head, step: result.stepsRun))
    }
    result.model = model
    result.seconds = stopwatch.seconds
    return result
  }

  /// Mean loss and accuracy (NaN for regression) over a set, in chunks of 128 sequences.
  public static func evaluate(_ model: TaskModel<Float>, on set: TaskBatch<Float>, head: LossHead) -> (loss: Double, accuracy: Double) {
    let B = set.batch
    var (lossSum, correct) = (0.0, 0)
    for lo in stride(from: 0, to: B, by: 128) {
      let chunk: TaskBatch<Float> = set.sequences(lo..<min(lo + 128, B))
      let z = model.outputs(chunk)
      lossSum += Double(head.loss(z, chunk.targets[...])) * Double(chunk.batch)
      correct += head.correctCount(z, chunk.targets[...]) ?? 0
    }
    // The loss is a mean over each chunk's K·B rows; accuracy counts every read-out step.
    return (lossSum / Double(B), head.isClassification ? Double(correct) / Double(set.targets.count) : .nan)
  }
}

/// The gradient profile's probe: the first sequences of the test set, in Double, with
/// subnormals kept (tiny gradients are what it measures).
struct TaskProbe {
  let batch: TaskBatch<Double>

  init(test: TaskBatch<Float>, count: Int) {
    batch = test.sequences(0..<min(count, test.batch))
  }

  func profile(_ model: TaskModel<Float>, head: LossHead, step: Int) -> TaskGradientProfile {
    let (B, T) = (batch.batch, batch.steps)
    let recorder = GradientNormRecorder<Double>(steps: T, perSequence: true)
    keepingDenormals { _ = model.converted(to: Double.self).lossAndGradient(batch, head: head, record: recorder.record) }
    let (norms, rowNorms) = (recorder.hidden, recorder.hiddenPerSequence)
    let ratios = (0..<B).compactMap { b -> Double? in
      guard let p = batch.markers[b].first, rowNorms[T][b] > 0 else { return nil }
      return rowNorms[p][b] / rowNorms[T][b]
    }.sorted()
    return TaskGradientProfile(step: step, norms: norms, markerRatio: ratios.isEmpty ? .nan : ratios[ratios.count / 2])
  }
}

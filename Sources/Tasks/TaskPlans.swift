import Recurrent

/// The run lists of the two committed task experiments.
public enum TaskPlans {
  /// Every (cell, length, seed) combination of `base`, cells outermost, seeds innermost.
  public static func lengthSweep(base: TaskConfiguration, cells: [TaskCell], lengths: [Int], seeds: [UInt64]) -> [TaskConfiguration] {
    cells.flatMap { cell in
      lengths.flatMap { length in
        seeds.map { seed in
          var c = base
          (c.cell, c.length, c.seed) = (cell, length, seed)
          return c
        }
      }
    }
  }

  /// Every (learning rate, σ, clip norm, seed) combination of `base` (a clip norm of nil:
  /// no clipping).
  public static func clipping(
    base: TaskConfiguration, learningRates: [Double], sigmas: [Double], clipNorms: [Double?], seeds: [UInt64]
  ) -> [TaskConfiguration] {
    learningRates.flatMap { rate in
      sigmas.flatMap { sigma in
        clipNorms.flatMap { clip in
          seeds.map { seed in
            var c = base
            (c.learningRate, c.recurrentSpectralNorm, c.clipNorm, c.seed) = (rate, sigma, clip, seed)
            return c
          }
        }
      }
    }
  }
}

/// The length sweep's axes and budget: `standard` is the committed sweep (about 10 minutes
/// on 2 quiet cores), `quick` a one-minute version for a class.
public struct LengthSweepPlan: Sendable {
  public var base: TaskConfiguration
  public var cells: [TaskCell]
  public var lengths: [Int]
  public var seeds: [UInt64]

  public var runs: [TaskConfiguration] { TaskPlans.lengthSweep(base: base, cells: cells, lengths: lengths, seeds: seeds) }

  public static func standard(task: LongLagTask) -> LengthSweepPlan {
    var base = TaskConfiguration()
    base.task = task
    (base.hiddenSize, base.batchSize, base.steps, base.learningRate, base.evaluateEvery, base.testSize) = (32, 32, 4000, 1e-2, 50, 512)
    return LengthSweepPlan(base: base, cells: [.rnn, .lstm, .gru], lengths: [10, 20, 50, 100, 200, 400], seeds: [1, 2, 3, 4, 5])
  }

  public static func quick(task: LongLagTask) -> LengthSweepPlan {
    var plan = standard(task: task)
    (plan.base.steps, plan.base.testSize) = (2000, 256)
    plan.lengths = [10, 20, 50, 100]
    plan.seeds = [1, 2, 3]
    return plan
  }
}

/// The clipping comparison: a tanh RNN started at spectral norm σ > 1 on the adding problem,
/// plain SGD, with and without clipping by global norm, every step logged.
public struct ClippingPlan: Sendable {
  public var base: TaskConfiguration
  public var learningRates: [Double]
  public var sigmas: [Double]
  public var clipNorms: [Double?]
  public var seeds: [UInt64]
  /// The learning rate whose runs log every step.
  public var stepLogLearningRate: Double

  public var runs: [TaskConfiguration] {
    TaskPlans.clipping(base: base, learningRates: learningRates, sigmas: sigmas, clipNorms: clipNorms, seeds: seeds)
  }

  public static func standard() -> ClippingPlan {
    var base = TaskConfiguration()
    (base.task, base.cell, base.length, base.optimizer, base.momentum) = (.adding, .rnn, 50, .sgd, 0)
    (base.hiddenSize, base.batchSize, base.steps, base.evaluateEvery, base.testSize, base.stopWhenSolved) = (32, 32, 1000, 50, 512, false)
    return ClippingPlan(
      base: base, learningRates: [0.01, 0.02, 0.05, 0.1], sigmas: [1.5, 2, 3], clipNorms: [nil, 10], seeds: [1, 2, 3, 4, 5],
      stepLogLearningRate: 0.05)
  }

  public static func quick() -> ClippingPlan {
    var plan = standard()
    (plan.base.steps, plan.base.testSize) = (300, 256)
    plan.learningRates = [0.05]
    plan.seeds = [1, 2, 3]
    return plan
  }
}

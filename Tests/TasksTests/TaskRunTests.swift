import Linalg
import Recurrent
import Tasks
import Testing

/// Short runs on tiny sizes: learning, stopping, reproducibility, SGD and clipping.
@Suite struct TaskRunTests {
  static func configuration(_ task: LongLagTask, cell: TaskCell, length: Int) -> TaskConfiguration {
    var c = TaskConfiguration()
    c.task = task
    c.cell = cell
    c.length = length
    c.hiddenSize = 8
    c.batchSize = 16
    c.steps = 400
    c.evaluateEvery = 25
    c.testSize = 128
    return c
  }

  @Test func anLSTMSolvesAShortAddingProblemAndStops() throws {
    let result = try TaskRun(configuration: Self.configuration(.adding, cell: .lstm, length: 5)).run()
    let solved = try #require(result.solvedStep, "test losses \(result.evaluations.map(\.testLoss))")
    #expect(result.stepsRun == solved && solved < 400)
    #expect(result.finalTestLoss < 0.1 / 6)
  }

  @Test func theSameConfigurationGivesTheSameNumbers() throws {
    var c = Self.configuration(.first, cell: .gru, length: 6)
    c.steps = 60
    let (a, b) = (try TaskRun(configuration: c).run(), try TaskRun(configuration: c).run())
    #expect(a.evaluations.map(\.testLoss) == b.evaluations.map(\.testLoss))
    #expect(a.model.recurrent.recurrentKernel == b.model.recurrent.recurrentKernel)
  }

  @Test func clippingBoundsEveryStepOfPlainSGD() throws {
    // SGD moves a weight by lr · g: with the gradient clipped to 1, no step is longer than lr.
    var c = Self.configuration(.adding, cell: .rnn, length: 20)
    c.optimizer = .sgd
    c.learningRate = 0.5
    c.recurrentSpectralNorm = 3
    c.clipNorm = 1
    c.steps = 30
    var run = TaskRun(configuration: c)
    run.logSteps = true
    var previous: TaskModel<Float>?
    var longest = 0.0
    _ = try TaskRun(configuration: { var d = c; d.evaluateEvery = 1; return d }()).run { _, model in
      if let previous { longest = max(longest, Self.distance(previous, model)) }
      previous = model
    }
    #expect(longest <= 0.5 * (1 + 1e-5), "longest step \(longest)")
    let logged = try run.run()
    #expect(logged.steps.count == 30 && logged.steps.map(\.step) == Array(1...30))
  }

  @Test func profilesRecordTheGradientAtEveryStepOfTheProbe() throws {
    var c = Self.configuration(.first, cell: .rnn, length: 12)
    c.steps = 20
    var run = TaskRun(configuration: c)
    run.profileSteps = [0, 10]
    let result = try run.run()
    #expect(result.profiles.map(\.step) == [0, 10, 20])
    for profile in result.profiles {
      #expect(profile.norms.count == 13 && profile.norms.allSatisfy { $0.isFinite && $0 > 0 })
      #expect(profile.markerRatio > 0, "ratio \(profile.markerRatio)")
    }
    // The first task's marker is step 1: the ratio is ||dL/dh_1|| / ||dL/dh_T||. A tanh RNN
    // started at σ = 1 can only shrink a gradient going back (||diag(1 - h²) W_hᵀ|| <= 1).
    #expect(result.profiles[0].markerRatio < 1)
    #expect(result.profiles[0].norms[0] < result.profiles[0].norms[12])
  }

  @Test func badSettingsAreRefusedBeforeAnyWork() {
    var c = Self.configuration(.adding, cell: .lstm, length: 1)
    #expect(throws: TaskError.self) { try c.validate() }
    c = Self.configuration(.adding, cell: .lstm, length: 10)
    c.momentum = 1
    #expect(throws: TaskError.self) { try c.validate() }
    c = Self.configuration(.adding, cell: .lstm, length: 100_000)
    c.batchSize = 65_536
    #expect(throws: TaskError.self) { try c.validate() }
  }

  static func distance(_ a: TaskModel<Float>, _ b: TaskModel<Float>) -> Double {
    var sum = 0.0
    for (_, path) in TaskModel<Float>.parameterPaths {
      for (x, y) in zip(a[keyPath: path].storage, b[keyPath: path].storage) { sum += Double(x - y) * Double(x - y) }
    }
    return sum.squareRoot()
  }
}

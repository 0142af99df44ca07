import Foundation
import Linalg
import TestSupport
import Recurrent
import Testing

@Suite struct LossAndOptimizerTests {
  @Test func crossEntropyFromLogitsIsFiniteAndCorrectAtExtremes() {
    let logits = Matrix<Double>(rows: 4, cols: 1, storage: [100, -100, 100, 0.5])
    let labels: ArraySlice<Double> = [1, 1, 0, 1]
    // Per example: ~e^-100, 100 + e^-100, 100 + e^-100, log(1 + e^-0.5).
    let expected = (exp(-100.0) + 2 * (100 + exp(-100.0)) + log(1 + exp(-0.5))) / 4
    let loss = BinaryCrossEntropy.loss(logits: logits, labels: labels)
    #expect(loss.isFinite && relativeError(loss, expected) < 1e-14)
    let g = BinaryCrossEntropy.gradient(logits: logits, labels: labels)
    #expect(g.allFinite)
    #expect(relativeError(g.storage, [(1 / (1 + exp(-100.0)) - 1) / 4, -0.25, 0.25, (1 / (1 + exp(-0.5)) - 1) / 4]) < 1e-14)
    let f = BinaryCrossEntropy.loss(logits: logits.converted(to: Float.self), labels: [1, 1, 0, 1])
    #expect(f.isFinite && abs(Double(f) - expected) < 1e-4)
  }

  /// A one-parameter model for the optimiser tests.
  struct Scalar1: ParameterSet {
    var w = Matrix<Double>([[1.0, -2.0]])
    static var parameterPaths: [(name: String, path: WritableKeyPath<Scalar1, Matrix<Double>>)] { [("w", \.w)] }
  }

  @Test func threeAdamStepsMatchHandComputedValues() {
    // Gradients 0.5, -0.1, 0.3 on w0 = 1 and 0.2, 0.2, 0.2 on w1 = -2, Keras' Adam defaults.
    // Hand computation (Python floats, Keras' formula):
    //   m_t = 0.9 m + 0.1 g;  v_t = 0.999 v + 0.001 g²;  a_t = 1e-3 √(1-0.999^t)/(1-0.9^t)
    //   w -= a_t m_t / (√v_t + 1e-7)
    // gives w0: 0.9990000063, 0.9984889834, 0.9978244307 and w1 = -2 - t·1e-3 (a constant gradient moves
    // Adam by exactly lr per step, up to ε).
    var model = Scalar1()
    var adam = Adam(for: model)
    let grads: [[Double]] = [[0.5, 0.2], [-0.1, 0.2], [0.3, 0.2]]
    var expected0 = 1.0, m = 0.0, v = 0.0
    for (t, g) in grads.enumerated() {
      adam.update(&model, with: Scalar1(w: Matrix([g])))
      // Independent scalar recomputation of the documented formula for w0.
      m = 0.9 * m + 0.1 * g[0]
      v = 0.999 * v + 0.001 * g[0] * g[0]
      let step = Double(t + 1)
      expected0 -= 1e-3 * (1 - pow(0.999, step)).squareRoot() / (1 - pow(0.9, step)) * m / (v.squareRoot() + 1e-7)
      #expect(abs(model.w[0, 0] - expected0) < 1e-15)
      #expect(abs(model.w[0, 1] - (-2 - step * 1e-3)) < 1e-7)
    }
    // Literal values from a hand calculation (see above), to catch a shared mistake.
    #expect(abs(model.w[0, 0] - 0.9978244307384242) < 1e-12)
  }

  @Test func clippingByGlobalNormScalesEverything() {
    var g = Scalar1(w: Matrix([[3.0, 4.0]]))
    let before = g.clipGlobalNorm(to: 1)
    #expect(before == 5)
    #expect(relativeError(g.w.storage, [0.6, 0.8]) < 1e-15)
    var small = Scalar1(w: Matrix([[0.3, 0.4]]))
    small.clipGlobalNorm(to: 1)
    #expect(small.w.storage == [0.3, 0.4])
  }

  @Test func momentumSGDMatchesHandComputedSteps() {
    // lr 0.1, μ 0.9, w = [1, -2], gradients [0.5, 0.2], [-0.1, 0.2], [0.3, 0.2]. By hand:
    //   u1 = [0.5, 0.2]                          w1 = [0.95, -2.02]
    //   u2 = 0.9 u1 + g2 = [0.35, 0.38]           w2 = [0.915, -2.058]
    //   u3 = 0.9 u2 + g3 = [0.615, 0.542]         w3 = [0.8535, -2.1122]
    let grads: [[Double]] = [[0.5, 0.2], [-0.1, 0.2], [0.3, 0.2]]
    let expected: [[Double]] = [[0.95, -2.02], [0.915, -2.058], [0.8535, -2.1122]]
    let velocities: [[Double]] = [[0.5, 0.2], [0.35, 0.38], [0.615, 0.542]]
    var model = Scalar1()
    var sgd = MomentumSGD(for: model, learningRate: 0.1, momentum: 0.9)
    for (t, g) in grads.enumerated() {
      sgd.update(&model, with: Scalar1(w: Matrix([g])))
      #expect(relativeError(sgd.velocity.w.storage, velocities[t]) < 1e-14, "u after step \(t + 1)")
      #expect(relativeError(model.w.storage, expected[t]) < 1e-14, "w after step \(t + 1)")
    }
    // μ = 0 is plain SGD: w = [1, -2] - 0.1 (Σ g) = [0.93, -2.06].
    var plain = Scalar1()
    var noMomentum = MomentumSGD(for: plain, learningRate: 0.1)
    for g in grads { noMomentum.update(&plain, with: Scalar1(w: Matrix([g]))) }
    #expect(relativeError(plain.w.storage, [0.93, -2.06]) < 1e-14)
  }

  @Test func aClippedMomentumStepMatchesHandComputation() throws {
    // SGD lr 0.1, μ 0.5, clip 1, w = [1, -2]. By hand:
    //   g1 = [3, 4], ||g1|| = 5 → applied [0.6, 0.8] (norm 1); u1 = [0.6, 0.8]; w1 = [0.94, -2.08]
    //   g2 = [0.3, 0.4], ||g2|| = 0.5 < 1 → applied as is; u2 = 0.5 u1 + g2 = [0.6, 0.8]; w2 = [0.88, -2.16]
    var model = Scalar1()
    var optimizer: any Optimizer<Scalar1> = OptimizerKind.sgd.make(for: model, learningRate: 0.1, momentum: 0.5)
    var first = BatchGradient(loss: 2, correct: 1, gradient: Scalar1(w: Matrix([[3.0, 4.0]])))
    let record = trainStep(&model, &first, optimizer: &optimizer, clip: 1)
    #expect(record.loss == 2 && record.gradientNorm == 5 && record.correct == 1)
    #expect(abs(first.gradient.globalNorm - 1) < 1e-15)
    #expect(relativeError(model.w.storage, [0.94, -2.08]) < 1e-15)
    var second = BatchGradient(loss: 1, correct: 0, gradient: Scalar1(w: Matrix([[0.3, 0.4]])))
    _ = trainStep(&model, &second, optimizer: &optimizer, clip: 1)
    #expect(second.gradient.w.storage == [0.3, 0.4])
    #expect(relativeError(model.w.storage, [0.88, -2.16]) < 1e-14)
    // A step whose gradient is not finite leaves the weights and the velocity as they were.
    var bad = BatchGradient(loss: 1, correct: 0, gradient: Scalar1(w: Matrix([[.nan, 1.0]])))
    #expect(!trainStep(&model, &bad, optimizer: &optimizer, clip: 1).isFinite)
    #expect(relativeError(model.w.storage, [0.88, -2.16]) < 1e-14)
    let sgd = try #require(optimizer as? MomentumSGD<Scalar1>)
    #expect(relativeError(sgd.velocity.w.storage, [0.6, 0.8]) < 1e-15)
  }

  @Test func optimizerSettingsAreCheckedAndNamedOneWay() {
    #expect(OptimizerKind.adam.problem(learningRate: 1e-3, momentum: 0, clipNorm: nil) == nil)
    #expect(OptimizerKind.adam.problem(learningRate: 1e-3, momentum: 0.9, clipNorm: nil)?.hasPrefix("--momentum 0.9 applies to SGD only") == true)
    #expect(OptimizerKind.sgd.problem(learningRate: 0.1, momentum: 0.9, clipNorm: 1) == nil)
    #expect(OptimizerKind.sgd.problem(learningRate: 0.1, momentum: 1, clipNorm: nil)?.hasPrefix("--momentum must be in [0, 1)") == true)
    #expect(OptimizerKind.sgd.problem(learningRate: .infinity, momentum: 0, clipNorm: nil)?.hasPrefix("--learning-rate") == true)
    #expect(OptimizerKind.sgd.problem(learningRate: 0.1, momentum: 0, clipNorm: -1)?.hasPrefix("--clip-norm") == true)
    #expect(OptimizerKind.adam.label(learningRate: 0.001, momentum: 0, clipNorm: nil) == "Adam 0.001")
    #expect(OptimizerKind.sgd.label(learningRate: 0.05, momentum: 0.9, clipNorm: 1) == "SGD 0.05 momentum 0.9, clip 1.0")
    #expect(OptimizerKind.sgd.label(learningRate: 0.05, momentum: 0, clipNorm: nil) == "SGD 0.05")
  }

  @Test func optimizersCheckpointOnlyTheStateTheyHave() throws {
    let model = Scalar1()
    let adam = try #require(OptimizerKind.adam.make(for: model, learningRate: 1e-3) as? Adam<Scalar1>)
    #expect(adam.stateTensors.map(\.prefix) == ["adam.m.", "adam.v."])
    #expect(adam.stateMetadata == ["adam_step": "0"])
    let sgd = try #require(OptimizerKind.sgd.make(for: model, learningRate: 0.1, momentum: 0.5) as? MomentumSGD<Scalar1>)
    #expect(sgd.stateTensors.map(\.prefix) == ["sgd.velocity."] && sgd.momentum == 0.5)
    #expect(sgd.stateMetadata.isEmpty)
    var restored = Adam(for: model)
    #expect(restored.restore(metadata: [:]) == "adam_step")
    #expect(restored.restore(metadata: ["adam_step": "7"]) == nil && restored.step == 7)
  }
}

import Foundation
import Linalg
import Recurrent
import SeededRandom
import Tasks
import TestSupport
import Testing

/// The task model (cell -> Dense -> MSE or BCE) against central differences in Double.
@Suite struct TaskModelGradientTests {
  @Test(arguments: TaskCell.allCases, [LossHead.meanSquaredError, .binaryCrossEntropy])
  func everyParameterMatchesFiniteDifferences(kind: TaskCell, head: LossHead) {
    let (B, T, D, H) = (3, 4, 2, 5)
    var model = TaskModel<Double>(cell: kind, inputSize: D, hiddenSize: H, seed: 5, length: T)
    model.output.bias = Matrix([[0.3]])
    model.recurrent.bias = randomMatrix(1, model.recurrent.bias.cols, seed: 8, std: 0.3)
    model.minGRU.gateBias = randomMatrix(1, model.minGRU.gateBias.cols, seed: 9, std: 0.3)
    let batch = TaskBatch(
      batch: B, steps: T, inputs: randomMatrix(T * B, D, seed: 6),
      targets: head == .meanSquaredError ? [0.7, -0.2, 1.4] : [1, 0, 1], markers: [[1], [1], [1]])
    let result = model.lossAndGradient(batch, head: head)
    #expect(result.loss == head.loss(model.outputs(batch), batch.targets[...]))
    // The recurrences not in use are empty, so nothing of theirs is trained or saved.
    let active = Set(model.activeParameterPaths.map(\.name))
    for (name, path) in TaskModel<Double>.parameterPaths where !active.contains(name) { #expect(model[keyPath: path].count == 0, "\(kind): \(name) is not empty") }
    for (name, path) in TaskModel<Double>.parameterPaths where model[keyPath: path].count > 0 {
      let numeric = numericalGradient(of: model[keyPath: path]) { w in
        var m = model
        m[keyPath: path] = w
        return m.lossAndGradient(batch, head: head).loss
      }
      let error = relativeError(result.gradient[keyPath: path].storage, numeric.storage)
      #expect(error < 1e-6, "\(kind) \(head) \(name): relative error \(error)")
    }
    // Float and back keeps every weight of the recurrence in use.
    let roundTrip = model.converted(to: Float.self).converted(to: Double.self)
    for (name, path) in model.activeParameterPaths {
      #expect(relativeError(roundTrip[keyPath: path].storage, model[keyPath: path].storage) < 1e-6, "\(kind) \(name) after Float")
    }
  }

  @Test func meanSquaredErrorMatchesHandComputedValues() {
    // outputs (1, 3), targets (0, 1): L = (1 + 4) / 2 = 2.5, dL/dz = 2 (z - y) / 2 = (1, 2).
    let z = Matrix<Double>([[1], [3]])
    let y: ArraySlice<Double> = [0, 1]
    #expect(MeanSquaredError.loss(outputs: z, targets: y) == 2.5)
    #expect(MeanSquaredError.gradient(outputs: z, targets: y).storage == [1, 2])
    // A shard averaged over the whole batch of 4 adds up to the batch's loss.
    #expect(MeanSquaredError.loss(outputs: z, targets: y, meanOver: 4) == 1.25)
  }
}

/// The selective-copy head: Dense(H, V) on each of the last K hidden states, one softmax
/// cross-entropy over the K·B recall rows, against central differences in Double for every
/// cell; the softmax loss against hand-computed values.
@Suite struct SelectiveCopyHeadTests {
  @Test(arguments: TaskCell.allCases)
  func everyParameterMatchesFiniteDifferences(kind: TaskCell) {
    let task = LongLagTask.selectiveCopy
    let (B, T, H) = (2, 9, 4)
    var rng = SeededGenerator(seed: 12)
    let batch: TaskBatch<Double> = task.batch(size: B, length: T, using: &rng)
    var model = TaskModel<Double>(cell: kind, inputSize: task.inputSize, hiddenSize: H, outputSize: task.outputSize, seed: 5, length: T)
    model.recurrent.bias = randomMatrix(1, model.recurrent.bias.cols, seed: 8, std: 0.3)
    model.minGRU.gateBias = randomMatrix(1, model.minGRU.gateBias.cols, seed: 9, std: 0.3)
    model.output.bias = randomMatrix(1, task.outputSize, seed: 10, std: 0.3)
    let result = model.lossAndGradient(batch, head: task.head)
    #expect(model.outputs(batch).rows == LongLagTask.copies * B && model.outputs(batch).cols == LongLagTask.tokens)
    #expect(result.loss == task.head.loss(model.outputs(batch), batch.targets[...]))
    for (name, path) in model.activeParameterPaths {
      // ε = 1e-5: the LRU's ν gradients are small (|λ| up to 0.999), so the default 1e-6
      // leaves rounding error of about 1e-6 relative to them.
      let numeric = numericalGradient(of: model[keyPath: path], epsilon: 1e-5) { w in
        var m = model
        m[keyPath: path] = w
        return m.lossAndGradient(batch, head: task.head).loss
      }
      let error = relativeError(result.gradient[keyPath: path].storage, numeric.storage)
      #expect(error < 1e-6, "\(kind) \(name): relative error \(error)")
    }
  }

  @Test func softmaxCrossEntropyMatchesHandComputedValues() {
    // Row 1: z = (0, ln 3), label 1: p = (1/4, 3/4), -log p_1 = ln(4/3).
    // Row 2: z = (1000, 1000), label 0: p = (1/2, 1/2), -log p_0 = ln 2 (finite for large z).
    let z = Matrix<Double>([[0, Foundation.log(3)], [1000, 1000]])
    let y: ArraySlice<Double> = [1, 0]
    let expected = (Foundation.log(4.0 / 3.0) + Foundation.log(2.0)) / 2
    #expect(abs(SoftmaxCrossEntropy.loss(logits: z, labels: y) - expected) < 1e-15)
    let d = SoftmaxCrossEntropy.gradient(logits: z, labels: y).storage
    for (a, b) in zip(d, [0.25 / 2, -0.25 / 2, -0.5 / 2, 0.5 / 2]) { #expect(abs(a - b) < 1e-15, "dL/dz \(d)") }
    #expect(SoftmaxCrossEntropy.correctCount(logits: z, labels: y) == 2)
  }
}

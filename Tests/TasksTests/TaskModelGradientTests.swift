import Linalg
import Recurrent
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

import Linalg
import TestSupport
import Recurrent
import Testing

/// The whole Embedding -> cell -> Dense -> BCE model against central differences.
@Suite struct ModelGradientTests {
  @Test(arguments: CellKind.allCases)
  func wholeModelMatchesFiniteDifferences(kind: CellKind) {
    let (B, T, V, E, H) = (3, 4, 7, 3, 5)
    var model = SequenceClassifier<Double>(kind: kind, vocabularySize: V, embeddingSize: E, hiddenSize: H, seed: 5)
    model.embedding.table = randomMatrix(V, E, seed: 6)
    model.output.bias = Matrix([[0.3]])
    let tokens: [Int32] = [0, 1, 2, 6, 3, 3, 5, 4, 6, 0, 2, 1]
    let labels: ArraySlice<Double> = [1, 0, 1]
    precondition(tokens.count == B * T)
    let result = model.lossAndGradient(tokens[...], labels: labels)
    let pass = model.forward(tokens[...], batch: B)
    #expect(result.loss == BinaryCrossEntropy.loss(logits: pass.logits, labels: labels))

    for (name, path) in SequenceClassifier<Double>.parameterPaths where model[keyPath: path].count > 0 {
      let numeric = numericalGradient(of: model[keyPath: path]) { w in
        var m = model
        m[keyPath: path] = w
        return m.lossAndGradient(tokens[...], labels: labels).loss
      }
      let error = relativeError(result.gradient[keyPath: path].storage, numeric.storage)
      #expect(error < 1e-6, "\(kind) \(name): relative error \(error)")
    }
  }
}

/// Embedding -> LRU block or minGRU -> Dense -> BCE (the comparison's lru and mingru) against
/// central differences, every parameter included; the unused recurrence stays empty.
@Suite struct DiagonalClassifierGradientTests {
  let B = 3, V = 7, E = 3, H = 5

  /// A small model from `seeds` (weights, embedding table, minGRU's gate bias).
  func makeModel(_ recurrence: DiagonalRecurrence, seeds: (UInt64, UInt64, UInt64)) -> DiagonalClassifier<Double> {
    var model = DiagonalClassifier<Double>(recurrence: recurrence, vocabularySize: V, embeddingSize: E, hiddenSize: H, seed: seeds.0)
    model.embedding.table = randomMatrix(V, E, seed: seeds.1)
    model.minGRU.gateBias = randomMatrix(1, model.minGRU.gateBias.cols, seed: seeds.2, std: 0.3)
    return model
  }

  @Test(arguments: DiagonalRecurrence.allCases)
  func wholeModelMatchesFiniteDifferences(recurrence: DiagonalRecurrence) {
    var model = makeModel(recurrence, seeds: (5, 6, 9))
    model.output.bias = Matrix([[0.3]])
    let tokens: [Int32] = [0, 1, 2, 6, 3, 3, 5, 4, 6, 0, 2, 1]
    let labels: ArraySlice<Double> = [1, 0, 1]
    let result = model.lossAndGradient(tokens: tokens[...], labels: labels, meanOver: B)
    #expect(result.loss == BinaryCrossEntropy.loss(logits: model.logits(tokens[...], batch: B), labels: labels))
    let unused = recurrence == .lru ? model.minGRU.parameterCount : model.lru.parameterCount
    #expect(unused == 0)
    for (name, path) in DiagonalClassifier<Double>.parameterPaths where model[keyPath: path].count > 0 {
      // ε = 1e-5: the LRU's ν gradients are small (|λ| up to 0.999).
      let numeric = numericalGradient(of: model[keyPath: path], epsilon: 1e-5) { w in
        var m = model
        m[keyPath: path] = w
        return m.lossAndGradient(tokens: tokens[...], labels: labels, meanOver: B).loss
      }
      let error = relativeError(result.gradient[keyPath: path].storage, numeric.storage)
      #expect(error < 1e-6, "\(recurrence) \(name): relative error \(error)")
    }
  }

  /// The input side computed once per distinct id and spread to the positions gives the
  /// same logits, bit for bit (Double products run in one fixed order), as running the
  /// layer on every position's embedding row.
  @Test(arguments: DiagonalRecurrence.allCases)
  func distinctTokenInputSideGivesThePerPositionLogits(recurrence: DiagonalRecurrence) {
    let model = makeModel(recurrence, seeds: (7, 8, 10))
    let tokens: [Int32] = [5, 1, 5, 6, 3, 3, 0, 4, 6, 0, 2, 1]
    let x = model.embedding.forward(tokens[...], batch: B)
    let last = recurrence == .lru ? model.lru.forward(x, batch: B).last : model.minGRU.forward(x, batch: B).lastHidden
    #expect(model.logits(tokens[...], batch: B).storage == model.output.forward(last).storage)
  }
}

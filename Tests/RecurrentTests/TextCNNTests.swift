import Foundation
import Linalg
import Recurrent
import TestSupport
import Testing

/// The text CNN: forward against an independent numpy implementation, backward against
/// central differences in Double.
@Suite struct TextCNNTests {
  /// pattern(k, i, j) = 0.5 sin(0.7k + 1.3i + 0.29j), the formula shared with
  /// Reference/make_cnn_reference.py.
  func pattern(_ k: Int, _ rows: Int, _ cols: Int) -> Matrix<Double> {
    var m = Matrix<Double>(rows: rows, cols: cols)
    for i in 0..<rows { for j in 0..<cols { m[i, j] = 0.5 * sin(0.7 * Double(k) + 1.3 * Double(i) + 0.29 * Double(j)) } }
    return m
  }

  @Test func forwardMatchesNumpyReference() {
    let (V, E, F, widths) = (9, 3, 4, [2, 3])
    let model = TextCNN<Double>(
      embedding: Embedding(table: pattern(1, V, E)),
      convolutions: MaxPooledConvolutions(widths: widths, kernel: pattern(2, widths.reduce(0, +) * E, F), bias: pattern(3, 1, widths.count * F)),
      output: Dense(weight: pattern(4, widths.count * F, 1), bias: Matrix([[0.1]])))
    let tokens: [Int32] = [0, 3, 8, 8, 3, 6, 8, 5, 5, 7, 4, 8, 0, 6]
    let pass = model.forward(tokens[...], batch: 2)
    #expect(relativeError(pass.features.output.storage, CNNReferenceValues.features) < 1e-14)
    #expect(relativeError(pass.logits.storage, CNNReferenceValues.logits) < 1e-14)
    #expect(pass.features.output.storage.contains(0), "the reference should exercise an inactive ReLU")
  }

  @Test func gradientsMatchFiniteDifferences() {
    let (B, T, V, E, F) = (3, 6, 7, 3, 5)
    var model = TextCNN<Double>(vocabularySize: V, embeddingSize: E, widths: [2, 3, 4], filters: F, seed: 11)
    model.embedding.table = randomMatrix(V, E, seed: 12)
    model.convolutions.bias = randomMatrix(1, 3 * F, seed: 13, std: 0.3)
    model.output.bias = Matrix([[0.2]])
    let tokens: [Int32] = [0, 1, 2, 6, 3, 3, 5, 4, 6, 0, 2, 1, 2, 2, 5, 3, 1, 4]
    let labels: ArraySlice<Double> = [1, 0, 1]
    precondition(tokens.count == B * T)
    let result = model.lossAndGradient(tokens[...], labels: labels)
    let active = result.gradient.convolutions.bias.storage.filter { $0 != 0 }.count
    #expect(active > 3 * F / 2, "too few active filters (\(active)) for the check to mean much")
    for (name, path) in TextCNN<Double>.parameterPaths {
      let numeric = numericalGradient(of: model[keyPath: path]) { w in
        var m = model
        m[keyPath: path] = w
        return m.lossAndGradient(tokens[...], labels: labels).loss
      }
      let error = relativeError(result.gradient[keyPath: path].storage, numeric.storage)
      #expect(error < 1e-6, "\(name): relative error \(error)")
    }
  }

  /// Sharding a batch: gradients of two halves, each averaged over the whole batch, add up
  /// to the whole batch's.
  @Test func shardGradientsAddUp() {
    let model = TextCNN<Double>(vocabularySize: 7, embeddingSize: 3, widths: [2, 3], filters: 4, seed: 3)
    let tokens: [Int32] = [1, 2, 3, 4, 5, 6, 6, 5, 4, 3, 2, 1, 0, 1, 0, 1, 0, 1, 2, 2, 3, 3, 4, 4]
    let labels: ArraySlice<Double> = [1, 0, 1, 0]
    let whole = model.lossAndGradient(tokens[...], labels: labels)
    var sum = model.lossAndGradient(tokens: tokens[0..<12], labels: labels[0..<2], meanOver: 4)
    let second = model.lossAndGradient(tokens: tokens[12..<24], labels: labels[2..<4], meanOver: 4)
    sum.gradient.add(second.gradient)
    #expect(abs(whole.loss - (sum.loss + second.loss)) < 1e-14)
    for (name, path) in TextCNN<Double>.parameterPaths {
      #expect(relativeError(whole.gradient[keyPath: path].storage, sum.gradient[keyPath: path].storage) < 1e-13, "\(name)")
    }
  }
}

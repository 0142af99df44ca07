import Foundation
import Recurrent

// One training step of a small Float LSTM classifier through GradLab's public API; exits
// non-zero unless the loss is ln 2-ish and the gradient finite and non-zero.
let model = SequenceClassifier<Float>(kind: .lstm, vocabularySize: 50, embeddingSize: 8, hiddenSize: 6, seed: 1)
let tokens: [Int32] = (0..<40).map { Int32($0 * 7 % 50) }
let result = model.lossAndGradient(tokens[...], labels: [1, 0, 1, 0])
let norm = result.gradient.globalNorm
print("consumer: loss \(result.loss), gradient norm \(norm)")
guard abs(result.loss - 0.6931) < 0.05, norm.isFinite, norm > 0 else {
  print("consumer: unexpected loss or gradient")
  exit(1)
}

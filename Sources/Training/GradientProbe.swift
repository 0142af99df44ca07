import IMDB
import Linalg
import Recurrent
import Storage

/// ||dL/dh_t|| for t = 0...T on a fixed batch of reviews (the first `count` of a split), in
/// Double without flushing subnormals, so tiny gradients far back in a review are measured
/// rather than rounded to zero. dL/dh_t is the B × H gradient of the batch's mean loss.
public struct GradientProbe {
  public static let header = ["cell", "epoch", "t", "lag", "grad_norm"]
  let tokens: ArraySlice<Int32>
  let labels: ArraySlice<Double>

  public init(split: EncodedSplit, count: Int) {
    let n = min(count, split.count)
    self.init(tokens: split.tokens[0..<(n * split.length)], labels: split.labels[0..<n].map(Double.init)[...])
  }

  /// B reviews of T token ids each (row-major) and their labels (0 or 1).
  public init(tokens: ArraySlice<Int32>, labels: ArraySlice<Double>) {
    precondition(!labels.isEmpty && tokens.count % labels.count == 0, "GradientProbe: \(tokens.count) ids are not \(labels.count) reviews of equal length")
    self.tokens = tokens
    self.labels = labels
  }

  public func rows(_ model: SequenceClassifier<Float>, cell: CellKind, epoch: Int) -> [[String]] {
    let norms = measure(model.converted(to: Double.self)).norms
    let T = norms.count - 1
    return (0...T).map { t in [cell.rawValue, String(epoch), String(t), String(T - t), tsvNumber(norms[t])] }
  }

  /// ||dL/dh_t|| for t = 0...T, the batch's mean loss and its correct predictions, in Double.
  public func measure(_ wide: SequenceClassifier<Double>) -> (norms: [Double], loss: Double, correct: Int) {
    var norms: [Int: Double] = [:]
    let flush = BLASRuntime.flushesDenormals
    BLASRuntime.setFlushDenormals(false)
    defer { BLASRuntime.setFlushDenormals(flush) }
    let (loss, correct, _) = wide.lossAndGradient(tokens, labels: labels) { t, dh, _ in norms[t] = dh.scaledNorm }
    let T = norms.keys.max() ?? 0
    return ((0...T).map { norms[$0] ?? .nan }, loss, correct)
  }
}

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
    tokens = split.tokens[0..<(n * split.length)]
    labels = split.labels[0..<n].map(Double.init)[...]
  }

  public func rows(_ model: SequenceClassifier<Float>, cell: CellKind, epoch: Int) -> [[String]] {
    let wide = model.converted(to: Double.self)
    var norms: [Int: Double] = [:]
    let flush = BLASRuntime.flushesDenormals
    BLASRuntime.setFlushDenormals(false)
    defer { BLASRuntime.setFlushDenormals(flush) }
    _ = wide.lossAndGradient(tokens, labels: labels) { t, dh, _ in norms[t] = dh.scaledNorm }
    let T = norms.keys.max() ?? 0
    return (0...T).map { t in [cell.rawValue, String(epoch), String(t), String(T - t), tsvNumber(norms[t] ?? .nan)] }
  }
}

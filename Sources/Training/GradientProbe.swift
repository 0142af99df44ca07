import IMDB
import Linalg
import Probes
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

  /// ||dL/dh_t|| at index t = 0...T.
  public func norms(_ model: SequenceClassifier<Float>) -> [Double] {
    let wide = model.converted(to: Double.self)
    let recorder = GradientNormRecorder<Double>(steps: tokens.count / labels.count)
    keepingDenormals { _ = wide.lossAndGradient(tokens, labels: labels, record: recorder.record) }
    return recorder.hidden
  }

  /// The rows of gradients.tsv for `norms` (index t).
  public static func rows(_ norms: [Double], cell: CellKind, epoch: Int) -> [[String]] {
    let T = norms.count - 1
    return (0...T).map { t in [cell.rawValue, String(epoch), String(t), String(T - t), tsvNumber(norms[t])] }
  }
}

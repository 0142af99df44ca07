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
    self.init(tokens: split.tokens[0..<(n * split.length)], labels: split.labels[0..<n].map(Double.init)[...])
  }

  /// B reviews of T token ids each (row-major) and their labels (0 or 1).
  public init(tokens: ArraySlice<Int32>, labels: ArraySlice<Double>) {
    precondition(!labels.isEmpty && tokens.count % labels.count == 0, "GradientProbe: \(tokens.count) ids are not \(labels.count) reviews of equal length")
    self.tokens = tokens
    self.labels = labels
  }

  /// ||dL/dh_t|| at index t = 0...T.
  public func norms(_ model: SequenceClassifier<Float>) -> [Double] {
    measure(model.converted(to: Double.self)).norms
  }

  /// ||dL/dh_t|| at index t = 0...T, the batch's mean loss and its correct predictions, in Double.
  public func measure(_ wide: SequenceClassifier<Double>) -> (norms: [Double], loss: Double, correct: Int) {
    let recorder = GradientNormRecorder<Double>(steps: tokens.count / labels.count)
    var result: (loss: Double, correct: Int) = (.nan, 0)
    keepingDenormals {
      let (loss, correct, _) = wide.lossAndGradient(tokens, labels: labels, record: recorder.record)
      result = (loss, correct)
    }
    return (recorder.hidden, result.loss, result.correct)
  }

  /// The rows of gradients.tsv for `norms` (index t).
  public static func rows(_ norms: [Double], cell: CellKind, epoch: Int) -> [[String]] {
    let T = norms.count - 1
    return (0...T).map { t in [cell.rawValue, String(epoch), String(t), String(T - t), tsvNumber(norms[t])] }
  }
}

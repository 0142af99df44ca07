import IMDB
import Linalg
import Recurrent

/// Loss and accuracy of a model on a whole split, forward only, in batches spread over the
/// worker threads.
public struct Evaluation: Sendable, Codable, Equatable {
  public var loss: Double
  public var accuracy: Double

  /// Reviews per forward pass when training evaluates: forward-only passes keep no trace,
  /// so large batches cost little memory and run the recurrent products at larger sizes.
  public static let forwardBatch = 250

  public static func run<Model: SentimentModel>(_ model: Model, on split: EncodedSplit, batchSize: Int, threads: Int) -> Evaluation where Model.Scalar == Float {
    let T = split.length
    let batches = stride(from: 0, to: split.count, by: batchSize).map { $0..<min($0 + batchSize, split.count) }
    let sums = ParallelResults<(loss: Double, correct: Int)>(count: batches.count)
    parallelFor(chunks: threads, flushDenormals: true) { worker in
      for b in stride(from: worker, to: batches.count, by: threads) {
        let range = batches[b]
        let tokens = split.tokens[(range.lowerBound * T)..<(range.upperBound * T)]
        let labels = split.labels[range]
        let logits = model.logits(tokens, batch: range.count)
        let loss = Double(BinaryCrossEntropy.loss(logits: logits, labels: labels)) * Double(range.count)
        sums[b] = (loss, BinaryCrossEntropy.correctCount(logits: logits, labels: labels))
      }
    }
    var (loss, correct) = (0.0, 0)
    for b in 0..<batches.count {
      guard let s = sums[b] else { preconditionFailure("evaluation batch \(b) missing") }
      loss += s.loss
      correct += s.correct
    }
    let n = Double(split.count)  // an empty split gives NaN, not a fake 0
    return Evaluation(loss: loss / n, accuracy: Double(correct) / n)
  }
}

extension Evaluation {
  /// Every review's logit (N values, in split order), forward only, batches spread over the
  /// worker threads: per-review results such as accuracy by review length.
  public static func logits<Model: SentimentModel>(_ model: Model, on split: EncodedSplit, batchSize: Int, threads: Int) -> [Float] where Model.Scalar == Float {
    let T = split.length
    let batches = stride(from: 0, to: split.count, by: batchSize).map { $0..<min($0 + batchSize, split.count) }
    let parts = ParallelResults<[Float]>(count: batches.count)
    parallelFor(chunks: threads, flushDenormals: true) { worker in
      for b in stride(from: worker, to: batches.count, by: threads) {
        let range = batches[b]
        parts[b] = model.logits(split.tokens[(range.lowerBound * T)..<(range.upperBound * T)], batch: range.count).storage
      }
    }
    return (0..<batches.count).flatMap { parts[$0] ?? [] }
  }
}

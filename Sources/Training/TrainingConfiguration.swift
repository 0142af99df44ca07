import Foundation
import IMDB
import Recurrent

/// Everything that defines an IMDB training run. Defaults are the original assignment's Keras
/// run: Embedding(10000, 128) -> LSTM(64) -> Dense(1, sigmoid), Adam(1e-3), batch 64,
/// 100 epochs, sequences of 200 padded at the front, the last 20% of the shuffled training
/// reviews for validation.
public struct TrainingConfiguration: Codable, Sendable, Equatable {
  public var cell: CellKind = .lstm
  public var epochs = 100
  public var seed: UInt64 = 1
  public var data = IMDBOptions()
  public var batchSize = 64
  public var embeddingSize = 128
  public var hiddenSize = 64
  public var learningRate = 1e-3
  /// Clip the global gradient norm to this value; nil: no clipping (Keras' default).
  public var clipNorm: Double? = nil
  /// nil: Adam (the default). A value: SGD with this heavy-ball momentum (0: plain SGD) at
  /// `learningRate`, which unlike Adam moves the weights in proportion to the gradient.
  public var sgdMomentum: Double? = nil
  /// Adam, or SGD when `sgdMomentum` is set.
  public var optimizer: OptimizerKind { sgdMomentum == nil ? .adam : .sgd }
  /// Worker threads (batch shards), each with single-threaded BLAS.
  public var threads = 2
  /// Epochs after which dL/dh_t is recorded on a fixed validation batch (0 = before training).
  public var gradientEpochs: [Int] = [0, 1, 10, 100]

  public init() {}

  public func validate() throws {
    func check(_ ok: Bool, _ message: String) throws {
      if !ok { throw TrainingError.invalidConfiguration(message) }
    }
    try check(epochs >= 1, "epochs must be at least 1, got \(epochs)")
    try check(batchSize >= 1, "batch size must be at least 1, got \(batchSize)")
    try check(embeddingSize >= 1 && hiddenSize >= 1, "embedding and hidden sizes must be positive, got \(embeddingSize) and \(hiddenSize)")
    if let problem = optimizer.problem(learningRate: learningRate, momentum: sgdMomentum ?? 0, clipNorm: clipNorm) { throw TrainingError.invalidConfiguration(problem) }
    try check(threads >= 1 && threads <= 64, "threads must be in 1...64, got \(threads)")
    try check(data.vocabularySize >= 4, "vocabulary size must be at least 4, got \(data.vocabularySize)")
    try check(data.sequenceLength >= 1, "sequence length must be at least 1, got \(data.sequenceLength)")
    try check(gradientEpochs.allSatisfy { $0 >= 0 }, "gradient epochs must be >= 0, got \(gradientEpochs)")
    try checkSizes()
  }

  /// The settings in which `other` differs from this configuration, as "name: other ->
  /// this"; the epoch count and the recording epochs may differ on resume and are left out.
  public func differences(from other: TrainingConfiguration) -> [String] {
    func fields(_ c: TrainingConfiguration) -> [String: String] {
      var c = c
      c.epochs = 0
      c.gradientEpochs = []
      guard let data = try? JSONEncoder().encode(c), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else { return [:] }
      return flatten(object, prefix: "")
    }
    // Nested settings become "data.padding" and so on.
    func flatten(_ object: [String: Any], prefix: String) -> [String: String] {
      object.reduce(into: [:]) { result, entry in
        if let nested = entry.value as? [String: Any] {
          result.merge(flatten(nested, prefix: prefix + entry.key + ".")) { a, _ in a }
        } else {
          result[prefix + entry.key] = "\(entry.value)"
        }
      }
    }
    let (mine, theirs) = (fields(self), fields(other))
    return Set(mine.keys).union(theirs.keys).sorted().compactMap { key in
      mine[key] == theirs[key] ? nil : "\(key): \(theirs[key] ?? "none") -> \(mine[key] ?? "none")"
    }
  }
}

public enum TrainingError: Error, CustomStringConvertible {
  case invalidConfiguration(String)
  case nonFinite(epoch: Int, step: Int, what: String, value: Double, checkpoint: String?)
  case checkpointMismatch(path: String, reason: String)

  public var description: String {
    switch self {
    case .invalidConfiguration(let message):
      return "invalid training configuration: \(message)"
    case .nonFinite(let epoch, let step, let what, let value, let checkpoint):
      return "training stopped: \(what) became \(value) at epoch \(epoch), step \(step). "
        + (checkpoint.map { "The last good checkpoint is \($0)." } ?? "No epoch had finished, so there is no checkpoint.")
        + " Try a smaller --learning-rate or --clip-norm."
    case .checkpointMismatch(let path, let reason):
      return "cannot resume from \(path): \(reason)"
    }
  }
}

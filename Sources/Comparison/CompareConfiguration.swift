import Foundation
import IMDB
import Recurrent
import Training

/// The architectures `gradlab compare` trains on the same data and embedding.
public enum CompareModel: String, Codable, Sendable, CaseIterable {
  case rnn, lstm, gru, cnn, lru, mingru

  /// The recurrent cell of `SequenceClassifier`, nil for the others.
  public var cell: CellKind? {
    switch self {
    case .rnn: .rnn
    case .lstm: .lstm
    case .gru: .gru
    case .cnn, .lru, .mingru: nil
    }
  }

  /// The diagonal recurrence of `DiagonalClassifier`, nil for the others.
  public var diagonal: DiagonalRecurrence? {
    switch self {
    case .lru: .lru
    case .mingru: .mingru
    case .rnn, .lstm, .gru, .cnn: nil
    }
  }
}

/// One comparison: every model × sequence length × padding side × seed trained under the
/// same budget. The budget is at most `epochs` epochs with the weights of the
/// best-validation-loss epoch kept (the recurrent models overfit after 1-3 epochs on IMDB),
/// stopping early after `patience` epochs without a lower validation loss (0: never), the same
/// embedding (V × E, Keras' uniform initialisation) and optimiser settings for every model.
public struct CompareConfiguration: Codable, Sendable, Equatable {
  public var models: [CompareModel] = CompareModel.allCases
  public var seeds: [UInt64] = [1, 2, 3]
  public var lengths: [Int] = [200, 500]
  public var paddings: [Padding] = [.pre]
  public var epochs = 3
  /// Epochs without a lower validation loss after which a unit stops (0: train every epoch).
  public var patience = 0
  public var vocabularySize = 10_000
  public var batchSize = 64
  public var embeddingSize = 128
  /// H of the recurrent models.
  public var hiddenSize = 64
  /// The CNN's filter widths and filters per width.
  public var widths: [Int] = [3, 4, 5]
  public var filters = 100
  public var learningRate = 1e-3
  /// Adam (the default) or SGD, with heavy-ball `momentum` (SGD only; 0: plain SGD).
  public var optimizer: OptimizerKind = .adam
  public var momentum = 0.0
  /// Clip the global gradient norm to this value; nil: no clipping.
  public var clipNorm: Double? = nil
  /// Buckets of test reviews by unpadded length, cut at the test set's quantiles.
  public var buckets = 4
  /// Reviews of the validation split whose ||dL/dh_t|| is recorded after training (recurrent
  /// models; 0 = none).
  public var probeReviews = 64
  public var threads = 2

  public init() {}

  public func validate() throws {
    func check(_ ok: Bool, _ message: String) throws {
      if !ok { throw TrainingError.invalidConfiguration(message) }
    }
    try check(!models.isEmpty && Set(models).count == models.count, "models must be distinct and at least one, got \(models.map(\.rawValue))")
    try check(!seeds.isEmpty && Set(seeds).count == seeds.count, "seeds must be distinct and at least one, got \(seeds)")
    try check(!paddings.isEmpty && Set(paddings).count == paddings.count, "paddings must be distinct and at least one, got \(paddings.map(\.rawValue))")
    try check(!lengths.isEmpty && Set(lengths).count == lengths.count, "lengths must be distinct and at least one, got \(lengths)")
    try check(lengths.allSatisfy { $0 >= (widths.max() ?? 1) && $0 <= 10_000 }, "lengths must be between the widest CNN filter (\(widths.max() ?? 1)) and 10000, got \(lengths)")
    try check(epochs >= 1 && epochs <= 1000, "epochs must be in 1...1000, got \(epochs)")
    try check(patience >= 0 && patience <= 1000, "patience must be in 0...1000, got \(patience)")
    try check(vocabularySize >= 4, "vocabulary size must be at least 4, got \(vocabularySize)")
    try check(batchSize >= 1 && embeddingSize >= 1 && hiddenSize >= 1 && filters >= 1, "batch, embedding, hidden and filter sizes must be positive")
    try check(!widths.isEmpty && widths.allSatisfy { $0 >= 1 && $0 <= 50 }, "CNN widths must be in 1...50, got \(widths)")
    if let problem = optimizer.problem(learningRate: learningRate, momentum: momentum, clipNorm: clipNorm) { throw TrainingError.invalidConfiguration(problem) }
    try check(buckets >= 1 && buckets <= 100, "buckets must be in 1...100, got \(buckets)")
    try check(probeReviews >= 0, "probe reviews must be >= 0, got \(probeReviews)")
    try check(threads >= 1 && threads <= 64, "threads must be in 1...64, got \(threads)")
  }

  /// What every unit of this comparison is trained with, besides its own model, length,
  /// padding and seed: a finished unit with other settings is refused, not mixed in.
  public var unitSettings: CompareSettings {
    CompareSettings(
      epochs: epochs, patience: patience, vocabularySize: vocabularySize, batchSize: batchSize, embeddingSize: embeddingSize,
      hiddenSize: hiddenSize, widths: widths, filters: filters, learningRate: learningRate, probeReviews: probeReviews,
      optimizer: optimizer, momentum: momentum, clipNorm: clipNorm)
  }

  /// The data options of one length and padding side (the original run's other settings).
  public func dataOptions(length: Int, padding: Padding) -> IMDBOptions {
    IMDBOptions(vocabularySize: vocabularySize, sequenceLength: length, padding: padding)
  }

  /// Every unit to train: lengths outermost (one dataset in memory at a time), then
  /// padding, then seeds, so a stopped comparison has every model at fewer seeds.
  public var units: [CompareUnit] {
    lengths.flatMap { length in
      paddings.flatMap { padding in
        seeds.flatMap { seed in models.map { CompareUnit(model: $0, length: length, padding: padding, seed: seed) } }
      }
    }
  }
}

/// One trained model of a comparison.
public struct CompareUnit: Codable, Sendable, Hashable {
  public var model: CompareModel
  public var length: Int
  public var padding: Padding
  public var seed: UInt64

  /// The file stem of its outputs: "lstm-T200-pre-seed1".
  public var name: String { "\(model.rawValue)-T\(length)-\(padding.rawValue)-seed\(seed)" }
}

/// The training settings a unit's record keeps (`CompareConfiguration.unitSettings`).
public struct CompareSettings: Codable, Sendable, Equatable {
  public var epochs: Int
  public var patience: Int
  public var vocabularySize: Int
  public var batchSize: Int
  public var embeddingSize: Int
  public var hiddenSize: Int
  public var widths: [Int]
  public var filters: Int
  public var learningRate: Double
  public var probeReviews: Int
  /// nil in records written before the optimiser could be chosen: Adam, without momentum
  /// or clipping.
  public var optimizer: OptimizerKind?
  public var momentum: Double?
  /// Clipping's global-norm threshold; nil: no clipping.
  public var clipNorm: Double?

  /// The settings that differ from `other`, as "name a (here) vs b": empty when equal.
  public func differences(from other: CompareSettings) -> [String] {
    let pairs: [(String, String, String)] = [
      ("epochs", "\(epochs)", "\(other.epochs)"), ("patience", "\(patience)", "\(other.patience)"),
      ("vocabulary size", "\(vocabularySize)", "\(other.vocabularySize)"), ("batch size", "\(batchSize)", "\(other.batchSize)"),
      ("embedding size", "\(embeddingSize)", "\(other.embeddingSize)"), ("hidden size", "\(hiddenSize)", "\(other.hiddenSize)"),
      ("widths", "\(widths)", "\(other.widths)"), ("filters", "\(filters)", "\(other.filters)"),
      ("learning rate", "\(learningRate)", "\(other.learningRate)"), ("probe reviews", "\(probeReviews)", "\(other.probeReviews)"),
      ("optimizer", (optimizer ?? .adam).rawValue, (other.optimizer ?? .adam).rawValue),
      ("momentum", "\(momentum ?? 0)", "\(other.momentum ?? 0)"),
      ("clip norm", clipNorm.map { "\($0)" } ?? "none", other.clipNorm.map { "\($0)" } ?? "none"),
    ]
    return pairs.filter { $0.1 != $0.2 }.map { "\($0.0) \($0.1) vs \($0.2)" }
  }
}

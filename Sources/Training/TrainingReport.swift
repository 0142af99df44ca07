import Storage
/// One line of the metrics table: an epoch's training and validation numbers.
public struct EpochMetrics: Sendable, Codable, Equatable {
  public var epoch: Int
  public var trainLoss: Double
  public var trainAccuracy: Double
  public var validationLoss: Double
  public var validationAccuracy: Double
  /// Wall-clock seconds of the epoch's training steps (validation not included).
  public var seconds: Double
  /// Global gradient norm (before clipping) over the epoch's steps.
  public var gradientNormMedian: Double
  public var gradientNormMax: Double

  public static let header = [
    "epoch", "train_loss", "train_acc", "val_loss", "val_acc", "seconds", "grad_norm_median", "grad_norm_max",
  ]

  public var row: [String] {
    [String(epoch)] + [trainLoss, trainAccuracy, validationLoss, validationAccuracy, seconds, gradientNormMedian, gradientNormMax].map(tsvNumber)
  }

  public init(row: [String]) throws {
    let values = row.dropFirst().map { Double($0) }
    guard row.count == Self.header.count, let epoch = Int(row[0]), values.allSatisfy({ $0 != nil }) else {
      throw TSVError(path: "metrics.tsv", problem: "has a malformed row: \(TSVTable.excerpt(row))")
    }
    let v = values.map { $0 ?? .nan }
    self.init(epoch: epoch, trainLoss: v[0], trainAccuracy: v[1], validationLoss: v[2], validationAccuracy: v[3], seconds: v[4], gradientNormMedian: v[5], gradientNormMax: v[6])
  }

  public init(epoch: Int, trainLoss: Double, trainAccuracy: Double, validationLoss: Double, validationAccuracy: Double, seconds: Double, gradientNormMedian: Double, gradientNormMax: Double) {
    self.epoch = epoch
    self.trainLoss = trainLoss
    self.trainAccuracy = trainAccuracy
    self.validationLoss = validationLoss
    self.validationAccuracy = validationAccuracy
    self.seconds = seconds
    self.gradientNormMedian = gradientNormMedian
    self.gradientNormMax = gradientNormMax
  }
}

/// Where a run is inside an epoch, for a live progress line.
public struct TrainingProgress: Sendable {
  public var epoch: Int
  public var epochs: Int
  public var step: Int
  public var steps: Int
  /// Running mean loss and accuracy over the epoch so far.
  public var loss: Double
  public var accuracy: Double
  public var stepsPerSecond: Double
  /// Seconds left in this epoch's training, and in the whole run's, at the current rate
  /// (validation not included).
  public var epochSecondsLeft: Double
  public var runSecondsLeft: Double
}

/// How a run talks to whoever started it; the library never prints.
public struct TrainingReporter: Sendable {
  public var progress: @Sendable (TrainingProgress) -> Void
  public var epochFinished: @Sendable (EpochMetrics) -> Void
  public var log: @Sendable (String) -> Void

  public init(progress: @escaping @Sendable (TrainingProgress) -> Void = { _ in }, epochFinished: @escaping @Sendable (EpochMetrics) -> Void = { _ in }, log: @escaping @Sendable (String) -> Void = { _ in }) {
    self.progress = progress
    self.epochFinished = epochFinished
    self.log = log
  }
}

/// Test-set results of the last epoch and of the epoch with the lowest validation loss.
public struct TrainingSummary: Sendable, Codable, Equatable {
  public struct Result: Sendable, Codable, Equatable {
    public var epoch: Int
    public var validationLoss: Double
    public var validationAccuracy: Double
    public var testLoss: Double
    public var testAccuracy: Double
  }
  public var last: Result
  public var bestValidation: Result
  /// The OpenBLAS kernels and the CPU model that computed the run (nil in results written
  /// before they were recorded): the same seed reproduces only on the same ones.
  public var blasCore: String? = nil
  public var machine: String? = nil
}

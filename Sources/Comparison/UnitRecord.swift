import Foundation
import Linalg
import Storage
import Training

/// What one trained unit of a comparison leaves behind, in `<unit>.json` (written last, so
/// its presence marks the unit as finished): the settings it was trained with, the per-epoch
/// numbers, the best-validation epoch whose weights were evaluated on the test set, and
/// where and how long it ran.
public struct UnitRecord: Codable, Sendable, Equatable {
  public var unit: CompareUnit
  /// nil in records written before the settings were kept (then only the epochs are known).
  public var settings: CompareSettings?
  public var epochs: [EpochMetrics]
  public var bestEpoch: Int
  public var testLoss: Double
  public var testAccuracy: Double
  public var parameterCount: Int
  public var blasCore: String
  public var machine: String
  /// `IMDBData.fingerprint` of the data it was trained on (nil in records written before
  /// it was kept): a rerun with other --data is refused before it trains.
  public var dataFingerprint: String?

  public var best: EpochMetrics? { epochs.first { $0.epoch == bestEpoch } }
  public var trainSeconds: Double { epochs.reduce(0) { $0 + $1.seconds } }
}

/// The per-review test predictions of a unit, `<unit>.predictions.tsv`: unpadded length,
/// label and logit of every test review, in test-split order.
public struct UnitPredictions: Sendable, Equatable {
  public static let header = ["length", "label", "logit"]
  public var lengths: [Int]
  public var labels: [Float]
  public var logits: [Float]

  public init(lengths: [Int], labels: [Float], logits: [Float]) {
    precondition(lengths.count == labels.count && labels.count == logits.count, "predictions: \(lengths.count) lengths, \(labels.count) labels, \(logits.count) logits")
    self.lengths = lengths
    self.labels = labels
    self.logits = logits
  }

  /// Whether each review is classified right (logit > 0 for label 1).
  public var correct: [Bool] { zip(logits, labels).map { ($0 > 0) == ($1 > 0.5) } }

  var table: TSVTable {
    TSVTable(header: Self.header, rows: (0..<lengths.count).map { [String(lengths[$0]), "\(labels[$0])", "\(logits[$0])"] })
  }

  static func read(from url: URL) throws -> UnitPredictions {
    let table = try TSVTable.read(from: url)
    guard table.header == header else { throw TSVError(path: url.path, problem: "has the header \(TSVTable.excerpt(table.header)), expected \(header.joined(separator: " "))") }
    var (lengths, labels, logits) = ([Int](), [Float](), [Float]())
    for (i, row) in table.rows.enumerated() {
      guard let length = Int(row[0]), let label = Float(row[1]), let logit = Float(row[2]), logit.isFinite else {
        throw TSVError(path: url.path, problem: "line \(i + 2) is not a length, a label and a finite logit: \(TSVTable.excerpt(row))")
      }
      lengths.append(length)
      labels.append(label)
      logits.append(logit)
    }
    return UnitPredictions(lengths: lengths, labels: labels, logits: logits)
  }
}

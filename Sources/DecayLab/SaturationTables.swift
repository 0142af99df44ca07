import Foundation
import Linalg
import Recurrent
import Storage

/// How saturated the decay sweep's tanh RNN is: the distribution of its slopes
/// φ'(a_t) = 1 - tanh(a_t)² = 1 - h_t², over every step t = 1...T, every unit and every seed,
/// for each σ. The layers and inputs are the sweep's own (`DecaySweep.layer(for:)` and
/// `data(seed:)`), so the slopes belong to exactly the runs in `decay.tsv`.
///
/// Two tables: `saturation.tsv`, the histogram of the slopes per σ (fraction per bin of
/// width 1/bins over [0, 1]), and `saturation_summary.tsv`, their mean, quartiles, the mean
/// of ln φ' and the fraction below 0.5 per σ.
public struct SaturationTables: Sendable {
  public static let histogramHeader = ["model", "sigma", "bin_low", "bin_high", "fraction"]
  public static let summaryHeader = [
    "model", "sigma", "slopes", "mean_slope", "slope_q1", "slope_median", "slope_q3", "mean_log_slope", "fraction_below_half",
  ]
  public static let fileNames = ["saturation.tsv", "saturation_summary.tsv", "saturation_config.json"]

  public let configuration: DecayConfiguration
  public let bins: Int
  public private(set) var histogram = TSVTable(header: histogramHeader)
  public private(set) var summary = TSVTable(header: summaryHeader)

  /// Measures the tanh RNN at every σ of `configuration` (which is validated first).
  public init(configuration: DecayConfiguration, bins: Int) throws {
    guard (1...1000).contains(bins) else { throw DecayConfigurationError("--bins must be in 1...1000, got \(bins)") }
    let sweep = try DecaySweep(configuration)
    self.configuration = configuration
    self.bins = bins
    for sigma in configuration.sigmas {
      // φ' = 1 - h_t² for t = 1...T (h_0 is the zero initial state, no slope)
      var slopes: [Double] = []
      for seed in 1...configuration.seeds {
        let layer = sweep.layer(for: DecayJob(model: .rnn, sigma: sigma, seed: seed))
        let x = sweep.data(seed: seed, inputSize: configuration.inputSize, hiddenSize: configuration.hiddenSize).inputs
        let trace = layer.forward(x, batch: 1)
        for t in 1...configuration.steps {
          let h = trace.hidden(at: t)
          for j in 0..<h.cols { slopes.append(1 - h[0, j] * h[0, j]) }
        }
      }
      append(sigma: sigma, slopes: slopes)
    }
  }

  private mutating func append(sigma: Double, slopes: [Double]) {
    var counts = [Int](repeating: 0, count: bins)
    for s in slopes { counts[min(bins - 1, max(0, Int(s * Double(bins))))] += 1 }
    for (i, count) in counts.enumerated() {
      histogram.append([
        "rnn", tsvNumber(sigma), tsvNumber(Double(i) / Double(bins)), tsvNumber(Double(i + 1) / Double(bins)),
        tsvNumber(Double(count) / Double(slopes.count)),
      ])
    }
    let q = DecayQuartiles(slopes)
    let n = Double(slopes.count)
    summary.append([
      "rnn", tsvNumber(sigma), String(slopes.count), tsvNumber(slopes.reduce(0, +) / n),
      tsvNumber(q.q1), tsvNumber(q.median), tsvNumber(q.q3),
      tsvNumber(slopes.map { Foundation.log($0) }.reduce(0, +) / n),
      tsvNumber(Double(slopes.filter { $0 < 0.5 }.count) / n),
    ])
  }

  /// What `saturation_config.json` holds.
  public struct Record: Codable, Sendable, Equatable {
    public var configuration: DecayConfiguration
    public var bins: Int
    public var command: String
    public var files: [String]
    public var notes: [String]
  }

  /// Writes both tables and the configuration into `folder` (created if missing), each file
  /// atomically. Returns their URLs.
  @discardableResult
  public func write(to folder: URL, command: String) throws -> [URL] {
    _ = try OutputFolder.createMissing(folder)
    let record = Record(
      configuration: configuration, bins: bins, command: command, files: Self.fileNames,
      notes: [
        "slopes: phi'(a_t) = 1 - h_t^2 of the tanh RNN of gradlab decay (same seeds, layers and inputs), t = 1...T, every unit and seed",
        "saturation.tsv: fraction of the slopes in [bin_low, bin_high) per sigma (the last bin includes 1)",
        "saturation_summary.tsv: mean, quartiles (type 7), mean of ln phi', fraction below 0.5, per sigma",
      ])
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    let urls = Self.fileNames.map { folder.appendingPathComponent($0) }
    try histogram.write(to: urls[0])
    try summary.write(to: urls[1])
    try AtomicFile.write(encoder.encode(record), to: urls[2])
    return urls
  }
}

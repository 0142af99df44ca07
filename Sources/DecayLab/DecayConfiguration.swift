import Foundation
import Recurrent

/// What `gradlab decay` sweeps: every model in `models` at every target spectral norm in
/// `sigmas`, `seeds` times, T = `steps` steps of N(0, inputScale²) inputs (D = `inputSize`)
/// through H = `hiddenSize` units, the loss L = u · h_T for a seeded unit vector u.
/// Beside it, the cell-path experiment: the LSTM at `forgetSigma` with each forget-gate bias
/// in `forgetBiases`, next to the tanh RNN at the same σ. Every gate block is drawn from the
/// `matrix` family, then rescaled to spectral norm σ.
public struct DecayConfiguration: Sendable, Codable, Equatable {
  public var models: [CellKind] = [.rnn, .lstm, .gru, .linear]
  /// Target σ_max of every gate's H × H recurrent block.
  public var sigmas: [Double] = [0.25, 0.5, 0.75, 0.9, 1.0, 1.1, 1.25, 1.5, 2, 3]
  /// T, H, D.
  public var steps = 100
  public var hiddenSize = 32
  public var inputSize = 8
  /// Seeds 1...seeds per (model, σ) point.
  public var seeds = 5
  /// Mixed into every job's seed: a different base gives an independent sweep.
  public var baseSeed = 1
  /// Standard deviation of the inputs x_t.
  public var inputScale = 1.0
  /// Forget-gate bias of the LSTM in the main sweep (Keras unit_forget_bias: 1).
  public var lstmForgetBias = 1.0
  /// The cell-path experiment.
  public var forgetSigma = 0.5
  public var forgetBiases: [Double] = [0, 1, 2]
  /// Where the recurrent blocks come from before they are rescaled to σ.
  public var matrix: MatrixFamily = .orthogonal
  /// ρ/σ of every block for `matrix == .nonnormal` (0 < ratio ≤ 1); nil for the other families.
  public var radiusRatio: Double?
  /// Significant digits of the tables' measured numbers.
  public var precision: TablePrecision = .short

  public init() {}

  /// Largest H the exact probes accept (each timestep costs a few H × H spectral norms).
  public static let maxHiddenSize = 1024
  /// Size limits, so that every allocation is checked before the sweep starts: D, seeds,
  /// T · H (the per-job T × H tables), the rows of decay.tsv (jobs × (T + 1)), and the
  /// magnitude of σ, the input scale and the forget biases (beyond them everything
  /// saturates or overflows long before step T).
  public static let maxInputSize = 4096
  public static let maxSeeds = 10_000
  public static let maxStepsTimesHidden = 10_000_000
  public static let maxRows = 5_000_000
  public static let maxMagnitude = 1000.0

  /// Checks every value; the error message names the offending flag and value.
  public func validate() throws {
    func fail(_ message: String) -> DecayConfigurationError { DecayConfigurationError(message) }
    guard !models.isEmpty else { throw fail("--models: give at least one model") }
    guard Set(models).count == models.count else { throw fail("--models: a model is listed twice: \(models.map(\.rawValue).joined(separator: ","))") }
    guard !sigmas.isEmpty else { throw fail("--sigmas: give at least one value") }
    for s in sigmas where !(s > 0 && s <= Self.maxMagnitude) { throw fail("--sigmas: every sigma must be positive and at most \(Int(Self.maxMagnitude)), got \(s)") }
    guard Set(sigmas).count == sigmas.count else { throw fail("--sigmas: a value is listed twice") }
    guard steps >= 1 else { throw fail("--steps: T must be at least 1, got \(steps)") }
    guard steps <= 100_000 else { throw fail("--steps: T = \(steps) is more than 100000") }
    guard hiddenSize >= 1 && hiddenSize <= Self.maxHiddenSize else { throw fail("--hidden: H must be in 1...\(Self.maxHiddenSize), got \(hiddenSize)") }
    guard steps * hiddenSize <= Self.maxStepsTimesHidden else { throw fail("--steps and --hidden: T x H = \(steps) x \(hiddenSize) is more than \(Self.maxStepsTimesHidden)") }
    guard inputSize >= 1 && inputSize <= Self.maxInputSize else { throw fail("--input: D must be in 1...\(Self.maxInputSize), got \(inputSize)") }
    guard seeds >= 1 && seeds <= Self.maxSeeds else { throw fail("--seeds: must be in 1...\(Self.maxSeeds), got \(seeds)") }
    guard baseSeed >= 0 else { throw fail("--base-seed must be non-negative, got \(baseSeed)") }
    let magnitude = Int(Self.maxMagnitude)
    guard inputScale >= 0 && inputScale <= Self.maxMagnitude else { throw fail("--input-scale must be in 0...\(magnitude), got \(inputScale)") }
    guard abs(lstmForgetBias) <= Self.maxMagnitude else { throw fail("--lstm-forget-bias must be in -\(magnitude)...\(magnitude), got \(lstmForgetBias)") }
    guard forgetSigma > 0 && forgetSigma <= Self.maxMagnitude else { throw fail("--forget-sigma must be positive and at most \(magnitude), got \(forgetSigma)") }
    for b in forgetBiases where !(abs(b) <= Self.maxMagnitude) { throw fail("--forget-biases: every bias must be in -\(magnitude)...\(magnitude), got \(b)") }
    let jobs = (models.count * sigmas.count + (forgetBiases.isEmpty ? 0 : forgetBiases.count + 1)) * seeds
    guard jobs * (steps + 1) <= Self.maxRows else {
      throw fail("--models, --sigmas, --forget-biases, --seeds and --steps ask for \(jobs) jobs of T + 1 = \(steps + 1) rows, more than the \(Self.maxRows) rows decay.tsv may hold")
    }
    switch (matrix, radiusRatio) {
    case (.nonnormal, nil): throw fail("--matrix nonnormal needs --radius-ratio r (the spectral radius as a fraction of sigma, 0 < r <= 1)")
    case (.nonnormal, let r?):
      guard r > 0 && r <= 1 else { throw fail("--radius-ratio must be in (0, 1], got \(r)") }
      guard hiddenSize >= 2 || r == 1 else { throw fail("--matrix nonnormal needs --hidden 2 or more (a 1 x 1 matrix is normal), got \(hiddenSize)") }
    case (_, let r?): throw fail("--radius-ratio \(r) applies to --matrix nonnormal only, not \(matrix.rawValue)")
    case (_, nil): break
    }
  }

  /// Model names ("rnn,lstm" or separate words) to cells; unknown names are an error that
  /// lists the known ones.
  public static func parseModels(_ words: [String]) throws -> [CellKind] {
    try splitList(words).map { name in
      guard let kind = CellKind(rawValue: name.lowercased()) else {
        throw DecayConfigurationError("--models: unknown model '\(name)'; known: \(CellKind.allCases.map(\.rawValue).joined(separator: ", "))")
      }
      return kind
    }
  }

  /// Numbers ("0.5,1,2" or separate words); `flag` names the option in the error.
  public static func parseNumbers(_ words: [String], flag: String) throws -> [Double] {
    try splitList(words).map { word in
      guard let value = Double(word) else { throw DecayConfigurationError("\(flag): '\(word)' is not a number") }
      return value
    }
  }

  static func splitList(_ words: [String]) -> [String] {
    words.flatMap { $0.split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init) }
  }
}

/// The family every recurrent gate block is drawn from before it is rescaled to norm σ.
public enum MatrixFamily: String, CaseIterable, Codable, Sendable {
  /// Keras' orthogonal initialiser: normal, ρ = σ (radius and norm coincide).
  case orthogonal
  /// N(0, 1/H) entries: non-normal, ρ about σ/2 for large H (circular law: ρ → 1, σ → 2).
  case gaussian
  /// `Initializer.nonNormal`: triangular in a random basis, ρ = radiusRatio · σ.
  case nonnormal
}

/// How many significant digits the tables print: `short` 7 (readable, the course tables),
/// `full` 17 (every Double round-trips exactly, for recomputing a row elsewhere).
public enum TablePrecision: String, CaseIterable, Codable, Sendable {
  case short
  case full

  public var digits: Int { self == .full ? 17 : 7 }
}

/// A configuration value out of range, with a message for the user.
public struct DecayConfigurationError: Error, CustomStringConvertible, Equatable {
  public let description: String
  public init(_ description: String) { self.description = description }
}

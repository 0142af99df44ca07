import Dispatch
import Foundation
import Linalg
import Probes
import Recurrent
import SeededRandom
import Storage

/// The modern recurrences on the course's rate chart: the rate per step of ||dL/dh_t||
/// (least-squares slope of its log against the lag, as `gradlab decay` fits it) against the
/// recurrent matrix's spectral norm σ, on the course sweep's own data (`DecaySweep.data`: the
/// same inputs x and loss direction u per seed) at its T, H, D, seeds and σ values.
///
/// Both σ and the spectral radius ρ are measured; σ = ρ for the normal matrices (σ I,
/// σ · orthogonal H × H, the LRU's diagonal Λ), ρ < σ for the LSTM's gate blocks (column
/// blocks of an orthogonal H × 4H matrix, as in the course sweep):
/// - `irnn`: the ReLU RNN at W_h = σ I, b = 0 (Le et al.'s identity start, scaled). Each step
///   multiplies dL/dh by σ and masks the units that are off, so its rate is at most log σ.
/// - `relu-rnn`: the ReLU RNN at σ · orthogonal W_h (the course sweep's layer for relu-rnn).
/// - `chrono`: the course's LSTM (same W_x, W_h at σ) with chrono biases for T_max = T in
///   place of forget bias 1.
/// - `lru`: Λ = diag(λ_j) with every |λ_j| = σ ("equal", exact rate log σ: the self-check) or
///   on the ring [σ/2, σ] ("ring"); only σ < 1, since |λ| = exp(-e^ν) < 1 by construction.
/// - `mingru`: no recurrent matrix (∂h_t/∂h_{t-1} = diag(1 - z_t), set by the input), so it is
///   placed against its mean gate z̄ instead, one row per gate bias b_z; σ is NaN.
public struct ModernRateSweep: Sendable {
  /// The course sweep whose data, sizes, seeds and σ values the rows share.
  public var configuration = DecayConfiguration()
  /// minGRU's gate biases b_z (every unit), from nearly closed to mostly open gates.
  public var gateBiases: [Double] = [-6, -4, -3, -2, -1, 0, 1, 2]

  public init() {}

  /// One row of the table before its seeds are measured.
  public struct Setting: Sendable, Equatable {
    public var model: String
    public var setting: String
    /// σ of the recurrent matrix (NaN for minGRU).
    public var sigma: Double
    /// minGRU's gate bias b_z (NaN for the others).
    public var gateBias: Double
    /// The exact rate where there is one (the LRU with every |λ| = σ: log σ), else NaN.
    public var exactRate: Double
  }

  /// Every setting in table order, model by model (as `decay_rates.tsv`): the IRNN, ReLU RNN
  /// and chrono LSTM per σ, the two LRU settings per σ < 1, then minGRU per gate bias.
  public var settings: [Setting] {
    let (none, sigmas) = (Double.nan, configuration.sigmas)
    func each(_ model: String, _ setting: String, _ values: [Double], exact: (Double) -> Double = { _ in .nan }) -> [Setting] {
      values.map { Setting(model: model, setting: setting, sigma: $0, gateBias: none, exactRate: exact($0)) }
    }
    let below = sigmas.filter { $0 < 1 }
    return each("irnn", "identity", sigmas) + each("relu-rnn", "orthogonal", sigmas) + each("chrono", "chrono-T", sigmas)
      + each("lru", "equal", below, exact: { log($0) }) + each("lru", "ring", below)
      + gateBiases.map { Setting(model: "mingru", setting: "gate-bias", sigma: none, gateBias: $0, exactRate: none) }
  }

  /// What one seed of one setting measured: ||dL/dh_t|| for lags 0...T, the recurrent
  /// matrix's norm and radius (largest over gate blocks; NaN for minGRU) and minGRU's z̄.
  public struct Measurement: Sendable {
    public var norms: [Double]
    public var norm = Double.nan
    public var radius = Double.nan
    public var meanGate = Double.nan
  }

  /// One seed of one setting, on the data and layers of `sweep` (the course sweep built from
  /// `configuration`).
  public func measure(_ s: Setting, seed: Int, on sweep: DecaySweep) -> Measurement {
    let c = sweep.configuration
    let (T, D, H) = (c.steps, c.inputSize, c.hiddenSize)
    let (x, u) = sweep.data(seed: seed, inputSize: D, hiddenSize: H)
    var rng = SeededGenerator(seed: DecaySweep.seed(base: c.baseSeed, seed: seed, stream: 0x6D6F_6465_726E))
    var m = Measurement(norms: [Double](repeating: .nan, count: T + 1))
    let record: BPTTRecorder<Double> = { t, dh, _ in m.norms[T - t] = dh.scaledNorm }
    switch s.model {
    case "lru":
      var layer = LRULayer<Double>(width: D, lanes: H, minRadius: 0.5 * s.sigma, maxRadius: s.sigma, using: &rng)
      if s.setting == "equal" { for j in 0..<H { layer.nu[0, j] = log(-log(s.sigma)) } }
      var v: Matrix<Double> = Initializer.scaledNormal(rows: 1, cols: 2 * H, std: 1, using: &rng)
      v.scale(by: 1 / v.frobeniusNorm)
      ModernDecay.probe(layer, inputs: x, direction: v, record: record)
      m.norm = layer.eigenvalues.map { $0.length }.max() ?? .nan
      m.radius = m.norm
    case "mingru":
      var layer = MinGRULayer<Double>(inputSize: D, hiddenSize: H, using: &rng)
      for j in 0..<H { layer.gateBias[0, j] = s.gateBias }
      m.meanGate = ModernDecay.probe(layer, inputs: x, direction: u, record: record)
    default:
      var layer: RecurrentLayer<Double>
      switch s.model {
      case "irnn":
        layer = sweep.unscaledLayer(model: .reluRNN, seed: seed, forgetBias: 1)
        layer.setIdentityRecurrence()
        layer.recurrentKernel.scale(by: s.sigma)
      case "chrono":
        layer = sweep.unscaledLayer(model: .lstm, seed: seed, forgetBias: 1)
        layer.setChronoBiases(maxLag: T, using: &rng)
        layer.rescaleRecurrentBlocks(toSpectralNorm: s.sigma)
      default:
        layer = sweep.layer(for: DecayJob(model: .reluRNN, sigma: s.sigma, seed: seed))
      }
      _ = layer.backward(layer.forward(x, batch: 1), lastHidden: u, record: record)
      let spectra = layer.recurrentSpectra
      m.norm = spectra.map(\.spectralNorm).max() ?? .nan
      m.radius = spectra.map(\.spectralRadius).max() ?? .nan
    }
    return m
  }

  /// The header of `table`.
  public static let header = [
    "model", "setting", "sigma", "gate_bias", "norm_median", "radius_median", "mean_gate_median",
    "rate_median", "rate_q1", "rate_q3", "exact_rate", "seeds", "steps", "hidden", "input",
  ]

  /// Every setting over the seeds (median and quartiles, as `decay_rates.tsv`), measured on
  /// `threads` workers with denormals kept; the rows do not depend on the thread count.
  public func table(threads: Int = 2) throws -> TSVTable {
    let c = configuration
    let sweep = try DecaySweep(c)
    let all = settings
    let jobs = all.indices.flatMap { i in (1...c.seeds).map { (i, $0) } }
    let results = DecaySlots<[Measurement]>(count: jobs.count)
    let next = DecayCounter()
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, jobs.count))) { _ in
      keepingDenormals {
        while let k = next.take(below: jobs.count) {
          results[k] = [measure(all[jobs[k].0], seed: jobs[k].1, on: sweep)]
          _ = next.complete()
        }
      }
    }
    var table = TSVTable(header: Self.header)
    let number = TSV.formatter(c.precision)
    let lags = Array(0...c.steps)
    for (i, s) in all.enumerated() {
      let seeds = (0..<c.seeds).flatMap { results[i * c.seeds + $0] }
      let rate = DecayQuartiles(seeds.map { DecayRate.fit(lags: lags, values: $0.norms) })
      let fitted = seeds.filter { DecayRate.fit(lags: lags, values: $0.norms) != nil }.count
      table.append(
        [s.model, s.setting, TSV.sigma(s.sigma), TSV.sigma(s.gateBias)]
          + [seeds.map(\.norm), seeds.map(\.radius), seeds.map(\.meanGate)].map { number(DecayQuartiles($0).median) }
          + [rate.median, rate.q1, rate.q3, s.exactRate].map(number)
          + [fitted, c.steps, c.hiddenSize, c.inputSize].map(String.init))
    }
    return table
  }
}

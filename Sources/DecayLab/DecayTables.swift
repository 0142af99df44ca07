import Foundation
import Probes
import Recurrent
import Storage

/// The median and quartiles of a set of values (NaN and nil left out; NaN when none remain),
/// by linear interpolation between order statistics (numpy's default, Hyndman-Fan type 7).
public struct DecayQuartiles: Sendable, Equatable {
  public var median: Double
  public var q1: Double
  public var q3: Double

  public init(_ values: [Double?]) {
    let sorted = values.compactMap { $0 }.filter { !$0.isNaN }.sorted()
    median = Self.quantile(sorted, 0.5)
    q1 = Self.quantile(sorted, 0.25)
    q3 = Self.quantile(sorted, 0.75)
  }

  static func quantile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    let position = p * Double(sorted.count - 1)
    let lo = Int(position.rounded(.down))
    let hi = min(lo + 1, sorted.count - 1)
    let w = position - Double(lo)
    if w == 0 || sorted[lo] == sorted[hi] { return sorted[lo] }
    return sorted[lo] + w * (sorted[hi] - sorted[lo])
  }
}

/// Everything one sweep measured, and the tables made from it.
public struct DecaySweepResult: Sendable {
  public let configuration: DecayConfiguration
  /// The main sweep, in job order (model, σ, seed), t = 0...T within each job.
  public var rows: [DecayRow]
  /// The cell-path experiment (LSTM per forget bias, then the RNN), same order.
  public var forgetRows: [DecayRow]
  /// σ_max and ρ of every gate block of every job (main sweep, then the cell-path experiment).
  public var spectra: [DecayJobSpectra]

  /// One (model, σ, lag) point over the seeds.
  public struct SummaryPoint: Sendable, Equatable {
    public var model: CellKind
    public var sigma: Double
    public var lag: Int
    public var gradient: DecayQuartiles
    public var product: DecayQuartiles
    public var jacobianMedian: Double
    public var bound: Double
    public var cellGradientMedian: Double
    public var forgetProductMedian: Double
    /// Median of ||W_h^lag||₂ (linear RNN only, NaN otherwise).
    public var powerMedian: Double
  }

  /// The fitted decay rate per step of one (model, σ) over the seeds, beside the theory.
  public struct RatePoint: Sendable, Equatable {
    public var model: CellKind
    public var sigma: Double
    /// Least-squares slope of ln ||dL/dh_t|| against the lag, per seed.
    public var rate: DecayQuartiles
    /// log(γσ): the bound's rate (a theorem for rnn/linear only; nil for lstm/gru).
    public var theory: Double?
    /// How many seeds gave a fit.
    public var seeds: Int
    /// Median over seeds of the largest gate-block spectral norm σ_max and radius ρ.
    public var norm: Double
    public var radius: Double
    /// log ρ: the rate ||W_h^k||₂ tends to, the linear RNN's asymptotic decay rate (nil for the
    /// other cells, whose Jacobians are not powers of W_h).
    public var asymptoticRate: Double?
  }

  /// One lag of the cell-path experiment over the seeds.
  public struct ForgetPoint: Sendable, Equatable {
    public var model: CellKind
    public var forgetBias: Double?
    public var sigma: Double
    public var lag: Int
    /// Mean over units of Π f_k (LSTM; NaN for the RNN).
    public var forgetProduct: DecayQuartiles
    public var gradient: DecayQuartiles
  }

  /// Rows grouped by job, in first-seen order.
  static func byJob(_ rows: [DecayRow]) -> [(job: DecayJob, probes: [DecayRow])] {
    var out: [(job: DecayJob, probes: [DecayRow])] = []
    for row in rows {
      if let last = out.indices.last, out[last].job == row.job {
        out[last].probes.append(row)
      } else {
        out.append((row.job, [row]))
      }
    }
    return out
  }

  /// Jobs grouped by (model, σ, forget bias) over seeds, in first-seen order.
  static func bySetting(_ rows: [DecayRow]) -> [(job: DecayJob, seeds: [[DecayRow]])] {
    var out: [(job: DecayJob, seeds: [[DecayRow]])] = []
    for (job, probes) in byJob(rows) {
      var key = job
      key.seed = 0
      if let i = out.firstIndex(where: { $0.job == key }) {
        out[i].seeds.append(probes)
      } else {
        out.append((key, [probes]))
      }
    }
    return out
  }

  /// Rows of one seed indexed by lag.
  static func byLag(_ rows: [DecayRow]) -> [Int: DecayRow] {
    Dictionary(rows.map { ($0.probe.lag, $0) }, uniquingKeysWith: { a, _ in a })
  }

  public func summary() -> [SummaryPoint] {
    Self.bySetting(rows).flatMap { setting -> [SummaryPoint] in
      let seeds = setting.seeds.map(Self.byLag)
      return (0...configuration.steps).map { lag in
        let rowsAt = seeds.compactMap { $0[lag] }
        let at = rowsAt.map(\.probe)
        return SummaryPoint(
          model: setting.job.model, sigma: setting.job.sigma, lag: lag,
          gradient: DecayQuartiles(at.map(\.gradientNorm)),
          product: DecayQuartiles(at.map(\.productNorm)),
          jacobianMedian: DecayQuartiles(at.map(\.jacobianNorm)).median,
          bound: DecayQuartiles(at.map(\.bound)).median,
          cellGradientMedian: DecayQuartiles(at.map(\.cellGradientNorm)).median,
          forgetProductMedian: DecayQuartiles(at.map(\.forgetProduct)).median,
          powerMedian: DecayQuartiles(rowsAt.map(\.powerNorm)).median)
      }
    }
  }

  public func rates() -> [RatePoint] {
    Self.bySetting(rows).map { setting in
      let fits = setting.seeds.compactMap { rows in
        DecayRate.fit(lags: rows.map(\.probe.lag), values: rows.map(\.probe.gradientNorm))
      }
      let model = setting.job.model
      let gates = spectra.filter { !$0.forgetExperiment && $0.job.model == model && $0.job.sigma == setting.job.sigma }.map(\.gates)
      let radius = DecayQuartiles(gates.map { $0.map(\.spectralRadius).max() }).median
      return RatePoint(
        model: model, sigma: setting.job.sigma, rate: DecayQuartiles(fits),
        theory: PascanuBound.applies(to: model)
          ? PascanuBound.rate(gamma: model.activationDerivativeBound, sigma: setting.job.sigma) : nil,
        seeds: fits.count, norm: DecayQuartiles(gates.map { $0.map(\.spectralNorm).max() }).median, radius: radius,
        asymptoticRate: model == .linear ? Foundation.log(radius) : nil)
    }
  }

  public func forgetSummary() -> [ForgetPoint] {
    Self.bySetting(forgetRows).flatMap { setting -> [ForgetPoint] in
      let seeds = setting.seeds.map(Self.byLag)
      return (0...configuration.steps).map { lag in
        let at = seeds.compactMap { $0[lag]?.probe }
        return ForgetPoint(
          model: setting.job.model, forgetBias: setting.job.forgetBias, sigma: setting.job.sigma, lag: lag,
          forgetProduct: DecayQuartiles(at.map(\.forgetProduct)), gradient: DecayQuartiles(at.map(\.gradientNorm)))
      }
    }
  }

  // MARK: Tables (tidy TSV, one observation per line, NaN where a value does not apply)

  /// The header of `rawTable`.
  public static let rawHeader = [
    "model", "sigma", "seed", "t", "lag", "grad_norm", "grad_norm_rel", "jacobian_norm", "product_norm",
    "bound", "cell_grad_norm", "forget_product", "power_norm",
  ]

  /// Every probe of the main sweep: one line per (model, σ, seed, t).
  public var rawTable: String {
    var table = TSVTable(header: Self.rawHeader)
    table.rows.reserveCapacity(rows.count)
    let number = TSV.formatter(configuration.precision)
    for (job, jobRows) in Self.byJob(rows) {
      let atLagZero = jobRows.first(where: { $0.probe.lag == 0 })?.probe.gradientNorm ?? .nan
      for row in jobRows {
        let p = row.probe
        table.append(
          [
            job.model.rawValue, TSV.sigma(job.sigma), String(job.seed), String(p.t), String(p.lag),
            number(p.gradientNorm), number(p.gradientNorm / atLagZero), number(p.jacobianNorm),
            number(p.productNorm), number(p.bound), number(p.cellGradientNorm), number(p.forgetProduct),
            number(row.powerNorm),
          ])
      }
    }
    return table.text
  }

  public var summaryTable: String {
    var table = TSVTable(header: [
      "model", "sigma", "lag", "grad_median", "grad_q1", "grad_q3", "product_median", "product_q1", "product_q3",
      "jacobian_median", "bound", "cell_grad_median", "forget_median", "power_median",
    ])
    let number = TSV.formatter(configuration.precision)
    for s in summary() {
      table.append(
        [
          s.model.rawValue, TSV.sigma(s.sigma), String(s.lag),
          number(s.gradient.median), number(s.gradient.q1), number(s.gradient.q3),
          number(s.product.median), number(s.product.q1), number(s.product.q3),
          number(s.jacobianMedian), number(s.bound), number(s.cellGradientMedian),
          number(s.forgetProductMedian), number(s.powerMedian),
        ])
    }
    return table.text
  }

  public var rateTable: String {
    var table = TSVTable(header: [
      "model", "sigma", "rate_median", "rate_q1", "rate_q3", "theory", "seeds", "norm_median", "radius_median", "theory_radius",
    ])
    let number = TSV.formatter(configuration.precision)
    for r in rates() {
      table.append(
        [
          r.model.rawValue, TSV.sigma(r.sigma), number(r.rate.median), number(r.rate.q1),
          number(r.rate.q3), number(r.theory), String(r.seeds), number(r.norm), number(r.radius), number(r.asymptoticRate),
        ])
    }
    return table.text
  }

  public var forgetTable: String {
    var table = TSVTable(header:
      ["model", "forget_bias", "sigma", "lag", "forget_median", "forget_q1", "forget_q3", "grad_median", "grad_q1", "grad_q3"])
    let number = TSV.formatter(configuration.precision)
    for f in forgetSummary() {
      table.append(
        [
          f.model.rawValue, TSV.sigma(f.forgetBias ?? .nan), TSV.sigma(f.sigma), String(f.lag),
          number(f.forgetProduct.median), number(f.forgetProduct.q1), number(f.forgetProduct.q3),
          number(f.gradient.median), number(f.gradient.q1), number(f.gradient.q3),
        ])
    }
    return table.text
  }

  /// σ_max and ρ of every gate block of every job: one line per (experiment, model, forget
  /// bias, σ, seed, gate); gates numbered from 0 in the cell's gate order.
  public var spectraTable: String {
    var table = TSVTable(header: ["experiment", "model", "forget_bias", "sigma", "seed", "gate", "norm", "radius"])
    let number = TSV.formatter(configuration.precision)
    for entry in spectra {
      for (gate, spectrum) in entry.gates.enumerated() {
        table.append(
          [
            entry.forgetExperiment ? "forget" : "main", entry.job.model.rawValue, TSV.sigma(entry.job.forgetBias ?? .nan),
            TSV.sigma(entry.job.sigma), String(entry.job.seed), String(gate), number(spectrum.spectralNorm),
            number(spectrum.spectralRadius),
          ])
      }
    }
    return table.text
  }
}

/// How numbers are spelled in the tables: 7 significant digits (17 at full precision), "NaN"
/// for a missing value, "inf" / "-inf" for overflow (gnuplot, pandas and spreadsheets read all
/// three).
enum TSV {
  static func number(_ x: Double?, digits: Int = 7) -> String {
    guard let x, !x.isNaN else { return "NaN" }
    if x.isInfinite { return x > 0 ? "inf" : "-inf" }
    return String(format: "%.\(digits)g", x)
  }

  /// `number` at a table precision.
  static func formatter(_ precision: TablePrecision) -> (Double?) -> String {
    { number($0, digits: precision.digits) }
  }

  /// Settings (σ, forget bias) in their shortest exact form ("0.25", "1", "1.1").
  static func sigma(_ x: Double) -> String {
    guard !x.isNaN else { return "NaN" }
    if x == x.rounded(), abs(x) < 1e15 { return String(Int(x)) }
    return "\(x)"
  }
}

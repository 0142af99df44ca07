import ComplexModule
import Foundation
import Linalg
import Recurrent
import SeededRandom
import Storage

/// The gradient's decay through the recurrences built against vanishing gradients, measured
/// as the course's decay sweep measures it: one sequence of T inputs x_t ~ N(0, s²) (D
/// features), the loss L = u · h_T along a unit direction u, and ||dL/dh_t|| as BPTT (or its
/// diagonal sibling) records it, relative to ||dL/dh_T||, for every lag T - t.
///
/// - `lru`: the LRU's state x_t (complex lanes as re, im pairs) initialised on the ring
///   r_min ≤ |λ| ≤ r_max; with r_min = r_max ("equal") every lane decays at log r exactly,
///   the built-in self-check. Otherwise the slowest lane, log |λ|_max, wins at long lags.
/// - `irnn`: the ReLU RNN at W_h = I, b = 0, beside the ReLU and tanh RNNs at Keras'
///   orthogonal W_h (σ = ρ = 1).
/// - `chrono`: the LSTM with chrono biases for T_max = T, beside unit forget bias.
/// - `mingru`: minGRU at its initialisation (zero biases: z ≈ σ(x W_z), so 1 - z ≈ ½).
///
/// Each setting runs `seeds` seeds (weights and data from the seed); the table keeps the
/// median over seeds at each lag, and the rate per step fitted over the second half of the
/// lags, log(g(T) / g(T/2)) / (T/2), with the median of the LRU's largest |λ|. A gradient
/// that reaches exactly zero (a ReLU unit off at some step cuts its path) has rate -inf.
public struct ModernDecay: Sendable {
  public var steps = 1000
  public var inputSize = 4
  public var hiddenSize = 32
  public var inputScale = 1.0
  public var seeds = 5
  /// |λ|_max of the LRU settings (each once on the ring [0.5 r_max, r_max] and once equal).
  public var radii: [Double] = [0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999]

  public init() {}

  /// One measured setting: its name, model and x-axis value (|λ|_max for the LRU, NaN
  /// otherwise) and the exact rate where there is one.
  public struct Setting: Sendable {
    public var model: String
    public var setting: String
    public var radius: Double
    public var exactRate: Double
  }

  /// Every setting in table order.
  public var settings: [Setting] {
    radii.flatMap { r in
      [
        Setting(model: "lru", setting: "ring", radius: r, exactRate: .nan),
        Setting(model: "lru", setting: "equal", radius: r, exactRate: log(r)),
      ]
    } + [
      Setting(model: "irnn", setting: "identity", radius: .nan, exactRate: .nan),
      Setting(model: "relu-rnn", setting: "orthogonal", radius: .nan, exactRate: .nan),
      Setting(model: "rnn", setting: "orthogonal", radius: .nan, exactRate: .nan),
      Setting(model: "chrono", setting: "chrono-T", radius: .nan, exactRate: .nan),
      Setting(model: "lstm", setting: "forget-bias-1", radius: .nan, exactRate: .nan),
      Setting(model: "mingru", setting: "zero-biases", radius: .nan, exactRate: .nan),
    ]
  }

  /// ||dL/dh_t|| / ||dL/dh_T|| for lags 0...T of one setting and seed, and the layer's
  /// largest |λ| (the LRU; NaN for the others).
  public func measure(_ s: Setting, seed: Int) -> (norms: [Double], lambdaMax: Double) {
    let (T, D, H) = (steps, inputSize, hiddenSize)
    var rng = SeededGenerator(seed: UInt64(seed) &* 0x9E37_79B9_7F4A_7C15 ^ 0x6D6F_6465_726E)
    let x: Matrix<Double> = Initializer.scaledNormal(rows: T, cols: D, std: inputScale, using: &rng)
    var norms = [Double](repeating: .nan, count: T + 1)
    var lambdaMax = Double.nan
    let record: BPTTRecorder<Double> = { t, dh, _ in norms[T - t] = dh.scaledNorm }
    func direction(_ n: Int) -> Matrix<Double> {
      var u: Matrix<Double> = Initializer.scaledNormal(rows: 1, cols: n, std: 1, using: &rng)
      u.scale(by: 1 / u.frobeniusNorm)
      return u
    }
    switch s.model {
    case "lru":
      var layer = LRULayer<Double>(width: D, lanes: H, minRadius: 0.5 * s.radius, maxRadius: s.radius, using: &rng)
      if s.setting == "equal" { for j in 0..<H { layer.nu[0, j] = log(-log(s.radius)) } }
      lambdaMax = layer.eigenvalues.map { $0.length }.max() ?? .nan
      Self.probe(layer, inputs: x, direction: direction(2 * H), record: record)
    case "mingru":
      let layer = MinGRULayer<Double>(inputSize: D, hiddenSize: H, using: &rng)
      _ = Self.probe(layer, inputs: x, direction: direction(H), record: record)
    default:
      let kind: CellKind = ["irnn": .reluRNN, "relu-rnn": .reluRNN, "rnn": .rnn][s.model] ?? .lstm
      var layer = RecurrentLayer<Double>(kind: kind, inputSize: D, hiddenSize: H, using: &rng)
      if s.model == "irnn" { layer.setIdentityRecurrence() }
      if s.model == "chrono" { layer.setChronoBiases(maxLag: T, using: &rng) }
      _ = layer.backward(layer.forward(x, batch: 1), lastHidden: direction(H), record: record)
    }
    return (norms.map { $0 / norms[0] }, lambdaMax)
  }

  /// Median of the seeds at every lag, per setting, and the fitted rates.
  public func tables(threads: Int = 2) -> (curves: TSVTable, rates: TSVTable) {
    let all = settings
    let jobs = all.indices.flatMap { i in (1...seeds).map { (i, $0) } }
    let results = DecaySlots<[(norms: [Double], lambdaMax: Double)]>(count: jobs.count)
    let next = DecayCounter()
    DispatchQueue.concurrentPerform(iterations: max(1, min(threads, jobs.count))) { _ in
      BLASRuntime.setFlushDenormals(false)
      while let k = next.take(below: jobs.count) {
        results[k] = [measure(all[jobs[k].0], seed: jobs[k].1)]
        _ = next.complete()
      }
    }
    var curves = TSVTable(header: ["model", "setting", "radius", "lag", "grad_median", "grad_min", "grad_max"])
    var rates = TSVTable(header: ["model", "setting", "radius", "lambda_max", "rate_median", "rate_min", "rate_max", "exact_rate", "steps", "seeds"])
    let half = steps / 2
    for (i, s) in all.enumerated() {
      let measured = (0..<seeds).map { results[i * seeds + $0][0] }
      let runs = measured.map(\.norms)
      let lambdaMax = measured.map(\.lambdaMax).sorted()[seeds / 2]
      let names = [s.model, s.setting, tsvNumber(s.radius)]
      for lag in 0...steps {
        let values = runs.map { $0[lag] }.sorted()
        curves.append(names + [String(lag)] + [values[values.count / 2], values.first!, values.last!].map(tsvNumber))
      }
      // rate = log(g(T) / g(T/2)) / (T - T/2)
      let fitted = runs.map { log($0[steps] / $0[half]) / Double(steps - half) }.sorted()
      rates.append(names + [lambdaMax, fitted[fitted.count / 2], fitted.first!, fitted.last!, s.exactRate].map(tsvNumber) + [String(steps), String(seeds)])
    }
    return (curves, rates)
  }

  /// The LRU's BPTT from L = u · [Re x_T | Im x_T] (u: 1 × 2H, lanes as re, im pairs) over
  /// one sequence x (T × D): `record` sees dL/dx_t for t = T ... 1.
  static func probe(_ layer: LRULayer<Double>, inputs x: Matrix<Double>, direction u: Matrix<Double>, record: BPTTRecorder<Double>?) {
    let (T, H) = (x.rows, layer.lanes)
    let trace = layer.forward(x, batch: 1)
    // dL/dx_T = u as H complex lanes; dL/dx_t before T from the scan.
    var dx = [Complex<Double>](repeating: .zero, count: T * H)
    for j in 0..<H { dx[(T - 1) * H + j] = Complex(u[0, 2 * j], u[0, 2 * j + 1]) }
    _ = DiagonalScan.backward(.shared(layer.eigenvalues), states: trace.states, gradients: &dx, batch: 1, lanes: H, record: record)
  }

  /// minGRU's backward from L = u · h_T (u: 1 × H) over one sequence x (T × D): `record`
  /// sees dL/dh_t for t = T ... 1. Returns the mean gate z̄ over every step and unit.
  @discardableResult
  static func probe(_ layer: MinGRULayer<Double>, inputs x: Matrix<Double>, direction u: Matrix<Double>, record: BPTTRecorder<Double>?) -> Double {
    let trace = layer.forward(x, batch: 1)
    _ = layer.backward(trace, hiddenGradient: .zeros(rows: x.rows, endingWith: u), record: record)
    return trace.gates.storage.reduce(0, +) / Double(trace.gates.count)
  }
}

import Foundation
import Recurrent

/// The theory drawn beside the measurements (Pascanu, Mikolov & Bengio 2013).
///
/// For h_t = φ(h_{t-1} W_h + x_t W_x + b) with |φ'| ≤ γ, every one-step Jacobian has
/// ||∂h_t/∂h_{t-1}|| ≤ γ σ_max(W_h), hence
///
///     ||∂h_T/∂h_t|| ≤ (γ σ_max(W_h))^(T-t)
///
/// and the gradient decays at least as fast as log(γ σ_max) per step (γ = 1 for tanh and
/// for the identity, 1/4 for the logistic sigmoid). σ_max < 1/γ is sufficient for
/// vanishing; σ_max > 1/γ is necessary for exploding.
///
/// The LSTM and the GRU are not of this form (their gates multiply the state and the cell
/// path bypasses W_h), so the bound is not a theorem for them: `applies(to:)` is false and
/// the probes leave `bound` empty.
public enum PascanuBound {
  /// Whether the bound is a theorem for this cell: the linear, tanh and ReLU RNN (γ = 1).
  public static func applies(to kind: CellKind) -> Bool { kind == .linear || kind == .rnn || kind == .reluRNN }

  /// (γ σ)^lag with `base` = γ σ.
  public static func value(base: Double, lag: Int) -> Double { Foundation.pow(base, Double(lag)) }

  /// The bound's decay rate per step, log(γ σ): negative means vanishing.
  public static func rate(gamma: Double, sigma: Double) -> Double { Foundation.log(gamma * sigma) }
}

/// Exponential decay rates fitted to gradient norms.
public enum DecayRate {
  /// The least-squares slope of ln(value) against lag (free intercept): the decay rate per
  /// step, negative when the gradient vanishes. Points whose value is zero, negative or not
  /// finite (underflow, overflow) are left out; nil when fewer than two points remain or all
  /// lags are equal.
  public static func fit(lags: [Int], values: [Double]) -> Double? {
    precondition(lags.count == values.count, "DecayRate.fit: \(lags.count) lags but \(values.count) values")
    var points: [(x: Double, y: Double)] = []
    for (lag, v) in zip(lags, values) where v > 0 && v.isFinite { points.append((Double(lag), Foundation.log(v))) }
    guard points.count >= 2 else { return nil }
    let n = Double(points.count)
    let mx = points.reduce(0) { $0 + $1.x } / n
    let my = points.reduce(0) { $0 + $1.y } / n
    var (sxy, sxx) = (0.0, 0.0)
    for p in points {
      sxy += (p.x - mx) * (p.y - my)
      sxx += (p.x - mx) * (p.x - mx)
    }
    guard sxx > 0 else { return nil }
    return sxy / sxx
  }
}

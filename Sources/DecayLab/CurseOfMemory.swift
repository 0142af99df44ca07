import Foundation
import Linalg
import SeededRandom
import Storage

/// The curse of memory (Zucchet and Orvieto 2024): for the scalar linear recurrence
///
///     h_t = λ h_{t-1} + γ x_t,     x_t i.i.d. N(0, 1),
///
/// the state's variance is bounded whenever |λ| < 1, yet its sensitivity to the recurrent
/// parameter p grows without bound as λ → 1, faster than the state itself. With g = ∂h/∂p,
/// in the stationary regime (closed forms, derived in notebook 7):
///
///     plain (γ = 1), p = λ:       E[h²] = 1/(1-λ²)   E[g²] = (1+λ²)/(1-λ²)³   E[hg] = λ/(1-λ²)²
///     normalised (γ = √(1-λ²)):   E[h²] = 1          E[g²] = 1/(1-λ²)²        E[hg] = 0
///     exp(-e^ν) (p = ν):          g_ν = λ log λ · g_λ, so E[g_ν²] = (λ log λ)² E[g_λ²]
///
/// and the loss L = ½ (h - y)² against an independent target y ~ N(0, E[h²]) has the mean
/// squared gradient E[(∂L/∂p)²] = 2 E[h²] E[g²] + 2 E[hg]² (h, g jointly Gaussian). Normalised
/// and exp-parametrised, E[g²] → 1/4 as λ → 1: bounded.
///
/// `monteCarlo` measures the same three numbers by running the recurrence and its
/// forward-mode derivative (g_t = ∂h_t/∂λ = h_{t-1} + λ g_{t-1}, times dλ/dν = λ log λ for
/// ν; for the normalised form ∂(γ s)/∂λ = γ' s + γ ∂s/∂λ) from rest, long enough that the
/// start is forgotten to 1e-17, independently of the closed forms.
public enum CurseOfMemory {
  /// How the recurrence is parametrised.
  public enum Setting: String, CaseIterable, Sendable {
    /// γ = 1, the parameter is λ.
    case plain
    /// γ = √(1 - λ²), the parameter is λ.
    case normalised
    /// γ = 1, λ = exp(-e^ν), the parameter is ν.
    case exponential
    /// γ = √(1 - λ²) and λ = exp(-e^ν), the parameter is ν: the LRU's choice.
    case normalisedExponential = "normalised-exponential"

    var normalises: Bool { self == .normalised || self == .normalisedExponential }
    var usesNu: Bool { self == .exponential || self == .normalisedExponential }
  }

  /// E[h²], E[g²], E[hg] and E[(∂L/∂p)²], with standard errors for a Monte Carlo estimate
  /// (zero for the closed form).
  public struct Moments: Sendable, Equatable {
    public var state: Double
    public var sensitivity: Double
    public var crossTerm: Double
    public var lossGradient: Double
    public var stateError = 0.0
    public var sensitivityError = 0.0
    public var lossGradientError = 0.0
  }

  /// dλ/dν = λ log λ for λ = exp(-e^ν) (0 at λ = 0, where ν = -∞).
  static func chain(_ lambda: Double) -> Double { lambda == 0 ? 0 : lambda * log(lambda) }

  /// The closed forms for 0 ≤ λ < 1.
  public static func closedForm(_ setting: Setting, lambda λ: Double) -> Moments {
    precondition(λ >= 0 && λ < 1, "the curse of memory is measured for 0 ≤ λ < 1, got \(λ)")
    let q = 1 - λ * λ
    var (state, sensitivity, cross) = setting.normalises ? (1, 1 / (q * q), 0) : (1 / q, (1 + λ * λ) / (q * q * q), λ / (q * q))
    if setting.usesNu {
      let c = chain(λ)
      (sensitivity, cross) = (c * c * sensitivity, c * cross)
    }
    return Moments(state: state, sensitivity: sensitivity, crossTerm: cross, lossGradient: 2 * state * sensitivity + 2 * cross * cross)
  }

  /// `samples` independent sequences, each run from rest for enough steps that λ^steps <
  /// 1e-17 (at least 50), with the target y ~ N(0, E[h²]) drawn from the same generator.
  public static func monteCarlo(_ setting: Setting, lambda λ: Double, samples n: Int, seed: UInt64) -> Moments {
    precondition(λ >= 0 && λ < 1 && n >= 2, "Monte Carlo needs 0 ≤ λ < 1 and at least 2 samples, got λ \(λ), \(n)")
    var rng = SeededGenerator(seed: seed)
    let steps = λ == 0 ? 50 : max(50, Int((log(1e-17) / log(λ)).rounded(.up)))
    let γ = setting.normalises ? (1 - λ * λ).squareRoot() : 1
    // h = γ s:  ∂h/∂λ = γ' s + γ ∂s/∂λ with γ' = -λ/√(1-λ²) (0 without normalisation)
    let γPrime = setting.normalises ? -λ / (1 - λ * λ).squareRoot() : 0
    let dλdp = setting.usesNu ? chain(λ) : 1
    let targetScale = closedForm(setting, lambda: λ).state.squareRoot()
    var (h2, g2, hg, l2) = ([Double](), [Double](), [Double](), [Double]())
    for _ in 0..<n {
      var (s, ds) = (0.0, 0.0)
      for _ in 0..<steps {
        // s_t = λ s_{t-1} + x_t;  ∂s_t/∂λ = s_{t-1} + λ ∂s_{t-1}/∂λ
        (s, ds) = (λ * s + rng.nextNormal(), s + λ * ds)
      }
      let h = γ * s
      let g = (γPrime * s + γ * ds) * dλdp
      // L = ½ (h - y)²:  ∂L/∂p = (h - y) g
      let dL = (h - targetScale * rng.nextNormal()) * g
      h2.append(h * h)
      g2.append(g * g)
      hg.append(h * g)
      l2.append(dL * dL)
    }
    func meanAndError(_ v: [Double]) -> (Double, Double) {
      let m = v.reduce(0, +) / Double(v.count)
      let variance = v.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(v.count - 1)
      return (m, (variance / Double(v.count)).squareRoot())
    }
    let (state, stateError) = meanAndError(h2)
    let (sensitivity, sensitivityError) = meanAndError(g2)
    let (lossGradient, lossGradientError) = meanAndError(l2)
    return Moments(
      state: state, sensitivity: sensitivity, crossTerm: meanAndError(hg).0, lossGradient: lossGradient,
      stateError: stateError, sensitivityError: sensitivityError, lossGradientError: lossGradientError)
  }

  /// The λ of the committed table: 0 to 0.9 in steps of 0.1, then 0.95, 0.99, 0.995, 0.999.
  public static let standardLambdas: [Double] = (0...9).map { Double($0) / 10 } + [0.95, 0.99, 0.995, 0.999]

  /// One row per setting and λ: closed forms beside Monte Carlo estimates and their
  /// standard errors.
  public static func table(lambdas: [Double], samples: Int, seed: UInt64) -> TSVTable {
    var table = TSVTable(header: [
      "setting", "parameter", "lambda", "state", "sensitivity", "cross", "loss_gradient",
      "mc_state", "mc_state_se", "mc_sensitivity", "mc_sensitivity_se", "mc_loss_gradient", "mc_loss_gradient_se", "samples",
    ])
    for (i, setting) in Setting.allCases.enumerated() {
      for (j, λ) in lambdas.enumerated() {
        let exact = closedForm(setting, lambda: λ)
        let mc = monteCarlo(setting, lambda: λ, samples: samples, seed: seed &+ UInt64(i * 1000 + j))
        table.append(
          [setting.rawValue, setting.usesNu ? "nu" : "lambda", tsvNumber(λ)]
            + [exact.state, exact.sensitivity, exact.crossTerm, exact.lossGradient].map(tsvNumber)
            + [mc.state, mc.stateError, mc.sensitivity, mc.sensitivityError, mc.lossGradient, mc.lossGradientError].map(tsvNumber)
            + [String(samples)])
      }
    }
    return table
  }
}

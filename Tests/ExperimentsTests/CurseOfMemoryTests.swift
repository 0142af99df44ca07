import DecayLab
import Testing

/// The curse of memory's closed forms against a seeded Monte Carlo estimate, within four
/// standard errors, at λ up to 0.99.
@Suite struct CurseOfMemoryTests {
  @Test(arguments: CurseOfMemory.Setting.allCases)
  func closedFormsMatchMonteCarlo(setting: CurseOfMemory.Setting) {
    for (k, λ) in [0, 0.5, 0.9, 0.99].enumerated() {
      let exact = CurseOfMemory.closedForm(setting, lambda: λ)
      let mc = CurseOfMemory.monteCarlo(setting, lambda: λ, samples: 2000, seed: 100 + UInt64(k))
      #expect(abs(mc.state - exact.state) <= 4 * mc.stateError + 1e-12, "\(setting) λ \(λ): E[h²] \(mc.state) ± \(mc.stateError) vs \(exact.state)")
      #expect(abs(mc.sensitivity - exact.sensitivity) <= 4 * mc.sensitivityError + 1e-12, "\(setting) λ \(λ): E[g²] \(mc.sensitivity) ± \(mc.sensitivityError) vs \(exact.sensitivity)")
      #expect(abs(mc.lossGradient - exact.lossGradient) <= 4 * mc.lossGradientError + 1e-12, "\(setting) λ \(λ): E[(∂L/∂p)²] \(mc.lossGradient) ± \(mc.lossGradientError) vs \(exact.lossGradient)")
    }
  }

  /// The estimate is sharp enough to tell (1 + λ²)/(1 - λ²)³ from its normalised cousin
  /// 1/(1 - λ²)², so the agreement above is not a wide error bar.
  @Test func monteCarloSeparatesTheClosedForms() {
    let λ = 0.99
    let mc = CurseOfMemory.monteCarlo(.plain, lambda: λ, samples: 2000, seed: 7)
    let wrong = 1 / ((1 - λ * λ) * (1 - λ * λ))
    #expect(abs(mc.sensitivity - wrong) > 10 * mc.sensitivityError)
  }

  /// Normalised and exp-parametrised, the sensitivity stays bounded (→ 1/4); plain, it
  /// explodes like (1 - λ)⁻³.
  @Test func theCureBoundsTheSensitivity() {
    let cured = CurseOfMemory.closedForm(.normalisedExponential, lambda: 0.999999).sensitivity
    #expect(abs(cured - 0.25) < 1e-3)
    let plain = CurseOfMemory.closedForm(.plain, lambda: 0.999).sensitivity
    #expect(plain > 1e8)
  }
}

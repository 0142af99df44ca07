import Foundation

/// ||Aᵏ||₂ for k = 0...K from exact matrix powers, in Double: the transient growth of a
/// non-normal matrix that neither σ_max(A)ᵏ (an upper bound) nor ρ(A)ᵏ (the asymptote) shows.
public enum PowerNorms {
  /// [||A⁰||₂, ||A¹||₂, ..., ||Aᴷ||₂] for a square A, each by
  /// `SingularValues.spectralNorm` (power iteration on the Gram matrix, relative error about 1e-13).
  ///
  /// The running power is kept rescaled to a largest element of 1 with its scale carried as a
  /// logarithm, so powers far beyond Double's range (3¹⁰⁰⁰, 0.25¹⁰⁰⁰) neither overflow nor
  /// flush to zero before the end; a norm beyond the range itself is `inf` or 0.
  /// - Complexity: K products and K Gram matrices of n × n matrices, O(K n³).
  public static func of(_ a: Matrix<Double>, upTo maxPower: Int) -> [Double] {
    precondition(a.rows == a.cols, "PowerNorms.of needs a square matrix, got \(a.shape)")
    precondition(maxPower >= 0, "PowerNorms.of: maxPower must be non-negative, got \(maxPower)")
    guard a.allFinite else { return Array(repeating: .nan, count: maxPower + 1) }
    var power = Matrix<Double>.identity(a.rows)
    var logScale = 0.0
    var norms = [a.rows == 0 ? 0.0 : 1.0]
    for _ in 0..<maxPower {
      // Aᵏ = Aᵏ⁻¹ · A = exp(logScale) · power, with power rescaled to a largest element of 1.
      power = Matrix.product(power, a)
      let scale = power.maxAbs
      if scale == 0 {
        norms.append(0)
        continue
      }
      power.scale(by: 1 / scale)
      logScale += Foundation.log(scale)
      norms.append(Foundation.exp(logScale + Foundation.log(SingularValues.spectralNorm(power))))
    }
    return norms
  }
}

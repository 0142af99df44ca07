/// Quantiles of Student's t distribution for two-sided 95% intervals.
public enum StudentT {
  /// t_{0.975, ν} for ν = 1...30, to six decimals (the standard table; ν = 1, 2 and 4 have
  /// closed forms the tests check it against).
  static let table975: [Double] = [
    12.706205, 4.302653, 3.182446, 2.776445, 2.570582, 2.446912, 2.364624, 2.306004, 2.262157, 2.228139,
    2.200985, 2.178813, 2.160369, 2.144787, 2.131450, 2.119905, 2.109816, 2.100922, 2.093024, 2.085963,
    2.079614, 2.073873, 2.068658, 2.063899, 2.059539, 2.055529, 2.051831, 2.048407, 2.045230, 2.042272,
  ]

  /// t_{0.975, ν}: the half-width of a 95% interval in standard errors, for ν ≥ 1 degrees of
  /// freedom. Beyond the table, the Cornish-Fisher expansion around z = 1.959964
  /// (error below 1e-5 for ν > 30).
  public static func quantile975(degreesOfFreedom nu: Int) -> Double {
    precondition(nu >= 1, "Student t needs at least one degree of freedom, got \(nu)")
    if nu <= table975.count { return table975[nu - 1] }
    let z = 1.959963984540054
    let v = Double(nu)
    let (z3, z5, z7) = (z * z * z, z * z * z * z * z, z * z * z * z * z * z * z)
    return z + (z3 + z) / (4 * v) + (5 * z5 + 16 * z3 + 3 * z) / (96 * v * v)
      + (3 * z7 + 19 * z5 + 17 * z3 - 15 * z) / (384 * v * v * v)
  }
}

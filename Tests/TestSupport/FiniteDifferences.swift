import Linalg
import SeededRandom

/// Central differences (f(x + ε) - f(x - ε)) / 2ε of a scalar function of a matrix, element
/// by element, in Double.
public func numericalGradient(of matrix: Matrix<Double>, epsilon: Double = 1e-6, _ loss: (Matrix<Double>) -> Double) -> Matrix<Double> {
  var gradient = Matrix<Double>(rows: matrix.rows, cols: matrix.cols)
  var probe = matrix
  for k in 0..<matrix.count {
    let saved = probe.storage[k]
    probe.storage[k] = saved + epsilon
    let plus = loss(probe)
    probe.storage[k] = saved - epsilon
    let minus = loss(probe)
    probe.storage[k] = saved
    gradient.storage[k] = (plus - minus) / (2 * epsilon)
  }
  return gradient
}

/// Seeded normal matrix for the small non-square test shapes.
public func randomMatrix(_ rows: Int, _ cols: Int, seed: UInt64, std: Double = 1) -> Matrix<Double> {
  var rng = SeededGenerator(seed: seed)
  return Initializer.scaledNormal(rows: rows, cols: cols, std: std, using: &rng)
}

/// Σ a ⊙ b.
public func dot(_ a: Matrix<Double>, _ b: Matrix<Double>) -> Double {
  precondition(a.count == b.count, "dot: \(a.shape) vs \(b.shape)")
  return zip(a.storage, b.storage).reduce(0) { $0 + $1.0 * $1.1 }
}

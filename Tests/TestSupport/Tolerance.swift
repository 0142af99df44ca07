import Linalg

/// ||a - b|| / max(||a||, ||b||): the one tolerance measure the tests use (a magnitude).
/// Values are rescaled by their largest magnitude first, so norms near 1e±300 do not
/// overflow; two all-zero vectors have error 0.
public func relativeError(_ a: [Double], _ b: [Double]) -> Double {
  precondition(a.count == b.count, "relativeError: \(a.count) vs \(b.count) values")
  let scale = (a + b).reduce(0) { max($0, abs($1)) }
  guard scale > 0 else { return 0 }
  guard scale.isFinite else { return .nan }
  var (diff, na, nb) = (0.0, 0.0, 0.0)
  for (x, y) in zip(a, b) {
    let (u, v) = (x / scale, y / scale)
    diff += (u - v) * (u - v)
    na += u * u
    nb += v * v
  }
  return diff.squareRoot() / max(na.squareRoot(), nb.squareRoot())
}

public func relativeError(_ a: Double, _ b: Double) -> Double { relativeError([a], [b]) }

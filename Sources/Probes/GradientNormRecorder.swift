import Linalg
import Recurrent

/// The cheap probe: plug `record` into any `RecurrentLayer.backward` call and it keeps
/// ||dL/dh_t|| (and ||dL/dc_t|| for the LSTM) for every t = 0...T, in Double whatever the
/// layer's scalar type. Norms are Frobenius norms over the batch (B × H).
///
/// Opt-in and free when off: `backward(..., record: nil)` (the default) never calls it.
///
///     let recorder = GradientNormRecorder<Float>(steps: T)
///     _ = layer.backward(trace, lastHidden: dh, record: recorder.record)
///     recorder.hidden[t]   // ||dL/dh_t||
public final class GradientNormRecorder<Scalar: BLASScalar> {
  /// ||dL/dh_t|| at index t (0...T); NaN until recorded.
  public private(set) var hidden: [Double]
  /// ||dL/dc_t|| at index t (LSTM only); NaN otherwise.
  public private(set) var cell: [Double]

  public init(steps T: Int) {
    precondition(T >= 0, "GradientNormRecorder: steps must be non-negative, got \(T)")
    hidden = Array(repeating: .nan, count: T + 1)
    cell = Array(repeating: .nan, count: T + 1)
  }

  /// The closure to hand to `RecurrentLayer.backward(record:)`.
  public var record: BPTTRecorder<Scalar> {
    { [self] t, dh, dc in
      precondition(t >= 0 && t < hidden.count, "GradientNormRecorder for \(hidden.count - 1) steps got t = \(t)")
      hidden[t] = stableNorm(dh)
      if let dc { cell[t] = stableNorm(dc) }
    }
  }
}

/// The Euclidean (Frobenius) norm of all elements, accumulated in Double and rescaled by the
/// largest element first, so squares never under- or overflow: denormal gradients keep their
/// value and Float gradients near the bottom of their range do not round to zero.
func stableNorm<S: BLASScalar>(_ m: Matrix<S>) -> Double {
  var scale = 0.0
  for v in m.storage { scale = max(scale, abs(Double(v))) }
  guard scale > 0, scale.isFinite else { return scale }
  var sum = 0.0
  for v in m.storage {
    let x = Double(v) / scale
    sum += x * x
  }
  return sum.squareRoot() * scale
}

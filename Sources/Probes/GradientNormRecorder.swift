import Linalg
import Recurrent

/// The cheap probe: plug `record` into any `RecurrentLayer.backward` call and it keeps
/// ||dL/dh_t|| (and ||dL/dc_t|| for the LSTM) for every t = 0...T, in Double whatever the
/// layer's scalar type. Norms are Frobenius norms over the batch (B × H), rescaled
/// (`Matrix.scaledNorm`), so they stay exact down to subnormal gradients.
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
  /// With `perSequence`: ||dL/dh_t|| of each sequence (row b of the B × H gradient) at index
  /// t; empty otherwise.
  public private(set) var hiddenPerSequence: [[Double]]
  private let perSequence: Bool

  public init(steps T: Int, perSequence: Bool = false) {
    precondition(T >= 0, "GradientNormRecorder: steps must be non-negative, got \(T)")
    hidden = Array(repeating: .nan, count: T + 1)
    cell = Array(repeating: .nan, count: T + 1)
    hiddenPerSequence = Array(repeating: [], count: T + 1)
    self.perSequence = perSequence
  }

  /// The closure to hand to `RecurrentLayer.backward(record:)`.
  public var record: BPTTRecorder<Scalar> {
    { [self] t, dh, dc in
      precondition(t >= 0 && t < hidden.count, "GradientNormRecorder for \(hidden.count - 1) steps got t = \(t)")
      hidden[t] = dh.scaledNorm
      if let dc { cell[t] = dc.scaledNorm }
      if perSequence { hiddenPerSequence[t] = (0..<dh.rows).map { b in dh.rows(b..<(b + 1)).scaledNorm } }
    }
  }
}

import Foundation
import Linalg
import Probes
import Recurrent
import SeededRandom
import TestSupport
import Testing

/// The built-in self-check: a linear RNN with W_h = s·Q (Q orthogonal) multiplies the gradient
/// by exactly s per step back, ||dL/dh_t|| = s^(T-t) ||dL/dh_T||.
@Suite struct ClosedFormTests {
  let T = 30, B = 2, D = 3, H = 6

  func linearLayer(_ s: Double) -> RecurrentLayer<Double> {
    var rng = SeededGenerator(seed: 3)
    var layer = RecurrentLayer<Double>(kind: .linear, inputSize: D, hiddenSize: H, using: &rng)
    layer.recurrentKernel = Initializer.orthogonal(rows: H, cols: H, gain: s, using: &rng)
    return layer
  }

  @Test(arguments: [0.7, 1.3])
  func recorderSeesExactGeometricDecay(s: Double) {
    let layer = linearLayer(s)
    let trace = layer.forward(randomMatrix(T * B, D, seed: 8), batch: B)
    let recorder = GradientNormRecorder<Double>(steps: T)
    _ = layer.backward(trace, lastHidden: randomMatrix(B, H, seed: 9), record: recorder.record)
    let top = recorder.hidden[T]
    for t in 0...T {
      let expected = pow(s, Double(T - t)) * top
      #expect(relativeError(recorder.hidden[t], expected) < 1e-10, "s=\(s) t=\(t): \(recorder.hidden[t]) vs \(expected)")
    }
    #expect(recorder.cell.allSatisfy { $0.isNaN }, "a linear RNN has no cell state")
  }

  @Test(arguments: [0.7, 1.3])
  func sequenceProbeSeesExactGeometricDecay(s: Double) {
    let layer = linearLayer(s)
    let result = SequenceProbe().measure(layer, inputs: randomMatrix(T, D, seed: 10), direction: Fixture.direction(H))
    #expect(result.probes.count == T + 1)
    for p in result.probes {
      let expected = pow(s, Double(p.lag))  // ||dL/dh_T|| = ||u|| = 1
      #expect(relativeError(p.gradientNorm, expected) < 1e-10, "s=\(s) t=\(p.t) gradient")
      #expect(relativeError(p.productNorm ?? .nan, expected) < 1e-10, "s=\(s) t=\(p.t) product")
      #expect(relativeError(p.bound ?? .nan, expected) < 1e-10, "s=\(s) t=\(p.t) bound is tight for linear")
      if p.t >= 1 { #expect(relativeError(p.jacobianNorm ?? .nan, s) < 1e-10, "s=\(s) t=\(p.t) one-step") }
    }
    #expect(result.probes[0].jacobianNorm == nil, "no step into h_0")
  }

  /// Vanishing gradients pass through subnormal numbers: the probe must keep them even when
  /// the calling thread flushes them to zero (and give the thread its setting back).
  @Test func denormalGradientsAreKept() {
    let (T, H) = (515, 4)  // 0.25^515 = 2^-1030, below the smallest normal double 2^-1022
    var rng = SeededGenerator(seed: 4)
    var layer = RecurrentLayer<Double>(kind: .linear, inputSize: 1, hiddenSize: H, using: &rng)
    layer.recurrentKernel = Initializer.orthogonal(rows: H, cols: H, gain: 0.25, using: &rng)
    let probe = SequenceProbe(jacobians: false, products: false)
    BLASRuntime.setFlushDenormals(true)
    let result = probe.measure(layer, inputs: Matrix(rows: T, cols: 1), direction: Fixture.direction(H))
    let restored = BLASRuntime.flushesDenormals
    BLASRuntime.setFlushDenormals(false)
    let expected = pow(0.25, Double(T))
    #expect(expected < Double.leastNormalMagnitude)
    #expect(restored, "the caller's flush-to-zero setting comes back")
    #expect(relativeError(result.probes[0].gradientNorm, expected) < 1e-6, "got \(result.probes[0].gradientNorm), expected \(expected)")
  }
}

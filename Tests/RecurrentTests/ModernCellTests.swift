import ComplexModule
import Foundation
import Linalg
import SeededRandom
import Recurrent
import TestSupport
import Testing

/// The recurrences built against vanishing gradients: forwards against numpy
/// (Reference/make_modern_reference.py), every parameter, the inputs and the initial state
/// against central differences in Double (B=2, T=4, D=3, N=4, H=5), and the initialisers.
@Suite struct ModernCellTests {
  let B = 2, T = 4, D = 3, N = 4, H = 5

  /// pattern(k, i, j) = 0.5 sin(0.7k + 1.3i + 0.29j), the formula shared with the script.
  func pattern(_ k: Int, _ rows: Int, _ cols: Int) -> Matrix<Double> {
    var m = Matrix<Double>(rows: rows, cols: cols)
    for i in 0..<rows { for j in 0..<cols { m[i, j] = 0.5 * sin(0.7 * Double(k) + 1.3 * Double(i) + 0.29 * Double(j)) } }
    return m
  }

  func shifted(_ m: Matrix<Double>, by s: Double) -> Matrix<Double> { Matrix(rows: m.rows, cols: m.cols, storage: m.storage.map { $0 + s }) }

  var patternLRU: LRULayer<Double> {
    LRULayer(
      nu: shifted(pattern(11, 1, N), by: -1), theta: pattern(12, 1, N), gammaLog: shifted(pattern(13, 1, N), by: -0.5),
      inputReal: pattern(14, D, N), inputImaginary: pattern(15, D, N), outputReal: pattern(16, N, D),
      outputImaginary: pattern(17, N, D), skip: pattern(18, 1, D))
  }

  func complexState(_ re: Matrix<Double>, _ im: Matrix<Double>) -> [Complex<Double>] {
    zip(re.storage, im.storage).map { Complex($0, $1) }
  }

  var patternMinGRU: MinGRULayer<Double> {
    MinGRULayer(gateKernel: pattern(31, D, H), gateBias: pattern(32, 1, H), candidateKernel: pattern(33, D, H), candidateBias: pattern(34, 1, H))
  }

  // MARK: forwards against numpy

  @Test func lruMatchesNumpy() {
    let trace = patternLRU.forward(pattern(19, T * B, D), batch: B, initial: complexState(pattern(20, B, N), pattern(21, B, N)))
    #expect(relativeError(trace.outputs.storage, ModernReferenceValues.lruOutputs) < 1e-13)
    let last = trace.states[(T * B * N)...]
    #expect(relativeError(last.map(\.real), ModernReferenceValues.lruLastStateReal) < 1e-13)
    #expect(relativeError(last.map(\.imaginary), ModernReferenceValues.lruLastStateImaginary) < 1e-13)
  }

  @Test func minGRUMatchesNumpy() {
    let trace = patternMinGRU.forward(pattern(35, T * B, D), batch: B, initial: pattern(36, B, H))
    #expect(relativeError(trace.hidden.rows(B..<((T + 1) * B)).storage, ModernReferenceValues.minGRUHidden) < 1e-13)
  }

  @Test func gluMatchesNumpy() {
    let glu = GatedLinearUnit(value: Dense(weight: pattern(42, D, H), bias: pattern(43, 1, H)), gate: Dense(weight: pattern(44, D, H), bias: pattern(45, 1, H)))
    #expect(relativeError(glu.forward(pattern(41, B, D)).storage, ModernReferenceValues.gluOutput) < 1e-13)
  }

  // MARK: gradients against finite differences

  @Test func lruBackwardMatchesFiniteDifferences() {
    let layer = patternLRU
    let u = randomMatrix(T * B, D, seed: 51)
    let (x0re, x0im) = (randomMatrix(B, N, seed: 52, std: 0.5), randomMatrix(B, N, seed: 53, std: 0.5))
    let probe = randomMatrix(T * B, D, seed: 54)
    // L = Σ_t <P_t, y_t>
    func loss(_ l: LRULayer<Double>, _ u: Matrix<Double>, _ re: Matrix<Double>, _ im: Matrix<Double>) -> Double {
      dot(probe, l.forward(u, batch: B, initial: complexState(re, im)).outputs)
    }
    let grads = layer.backward(layer.forward(u, batch: B, initial: complexState(x0re, x0im)), outputGradient: probe)
    for (name, path) in LRULayer<Double>.parameterPaths {
      let numeric = numericalGradient(of: layer[keyPath: path]) { w in
        var l = layer
        l[keyPath: path] = w
        return loss(l, u, x0re, x0im)
      }
      let error = relativeError(grads.parameters[keyPath: path].storage, numeric.storage)
      #expect(error < 1e-7, "LRU \(name): relative error \(error)")
    }
    let du = numericalGradient(of: u) { loss(layer, $0, x0re, x0im) }
    #expect(relativeError(grads.inputs.storage, du.storage) < 1e-7, "LRU inputs")
    let dRe = numericalGradient(of: x0re) { loss(layer, u, $0, x0im) }
    let dIm = numericalGradient(of: x0im) { loss(layer, u, x0re, $0) }
    #expect(relativeError(grads.initialState.map(\.real) + grads.initialState.map(\.imaginary), dRe.storage + dIm.storage) < 1e-7, "LRU x_0")
  }

  @Test func minGRUBackwardMatchesFiniteDifferences() {
    var rng = SeededGenerator(seed: 61)
    var layer = MinGRULayer<Double>(inputSize: D, hiddenSize: H, using: &rng)
    (layer.gateBias, layer.candidateBias) = (randomMatrix(1, H, seed: 62, std: 0.5), randomMatrix(1, H, seed: 63, std: 0.5))
    let x = randomMatrix(T * B, D, seed: 64)
    let h0 = randomMatrix(B, H, seed: 65, std: 0.5)
    let probe = randomMatrix(T * B, H, seed: 66)
    // L = Σ_t <P_t, h_t>
    func loss(_ l: MinGRULayer<Double>, _ x: Matrix<Double>, _ h0: Matrix<Double>) -> Double {
      let trace = l.forward(x, batch: B, initial: h0)
      return dot(probe, trace.hidden.rows(B..<trace.hidden.rows))
    }
    let grads = layer.backward(layer.forward(x, batch: B, initial: h0), hiddenGradient: probe)
    for (name, path) in MinGRULayer<Double>.parameterPaths {
      let numeric = numericalGradient(of: layer[keyPath: path]) { w in
        var l = layer
        l[keyPath: path] = w
        return loss(l, x, h0)
      }
      let error = relativeError(grads.parameters[keyPath: path].storage, numeric.storage)
      #expect(error < 1e-7, "minGRU \(name): relative error \(error)")
    }
    #expect(relativeError(grads.inputs.storage, numericalGradient(of: x) { loss(layer, $0, h0) }.storage) < 1e-7, "minGRU inputs")
    #expect(relativeError(grads.initialState.storage, numericalGradient(of: h0) { loss(layer, x, $0) }.storage) < 1e-7, "minGRU h_0")
  }

  @Test func gluBackwardMatchesFiniteDifferences() {
    var rng = SeededGenerator(seed: 71)
    var glu = GatedLinearUnit<Double>(inputSize: D, outputSize: H, using: &rng)
    (glu.value.bias, glu.gate.bias) = (randomMatrix(1, H, seed: 72, std: 0.5), randomMatrix(1, H, seed: 73, std: 0.5))
    let x = randomMatrix(B, D, seed: 74)
    let probe = randomMatrix(B, H, seed: 75)
    let grads = glu.backward(x, outputGradient: probe)
    let paths: [(String, WritableKeyPath<GatedLinearUnit<Double>, Matrix<Double>>)] = [
      ("W_a", \.value.weight), ("b_a", \.value.bias), ("W_g", \.gate.weight), ("b_g", \.gate.bias),
    ]
    for (name, path) in paths {
      let numeric = numericalGradient(of: glu[keyPath: path]) { w in
        var g = glu
        g[keyPath: path] = w
        return dot(probe, g.forward(x))
      }
      #expect(relativeError(grads.parameters[keyPath: path].storage, numeric.storage) < 1e-7, "GLU \(name)")
    }
    #expect(relativeError(grads.input.storage, numericalGradient(of: x) { dot(probe, glu.forward($0)) }.storage) < 1e-7, "GLU inputs")
  }

  // MARK: the probes' view

  /// With every |λ_j| = r (phases spread), ||dL/dx_t|| = r^{T-t} ||dL/dx_T|| exactly, so the
  /// recorded rate per step is log r: the diagonal recurrence's built-in self-check.
  @Test(arguments: [0.5, 0.9, 0.999])
  func lruRecordedRateIsLogRadius(radius: Double) {
    var rng = SeededGenerator(seed: 81)
    var layer = LRULayer<Double>(width: D, lanes: 6, using: &rng)
    for j in 0..<6 { layer.nu[0, j] = log(-log(radius)) }
    let steps = 40
    let trace = layer.forward(randomMatrix(steps * B, D, seed: 82), batch: B)
    var dy = Matrix<Double>(rows: steps * B, cols: D)
    for i in ((steps - 1) * B)..<(steps * B) { for d in 0..<D { dy[i, d] = Double(i + d + 1) } }
    var norms = [Int: Double]()
    _ = layer.backward(trace, outputGradient: dy) { t, dx, dc in
      #expect(dc == nil && dx.cols == 12)
      norms[t] = dx.frobeniusNorm
    }
    let rate = log(norms[0]! / norms[steps]!) / Double(steps)
    #expect(abs(rate - log(radius)) < 1e-10, "rate \(rate) vs log r \(log(radius))")
  }

  @Test func minGRUJacobianIsOneMinusTheGate() {
    let layer = patternMinGRU
    let x = pattern(35, T * B, D)
    let trace = layer.forward(x, batch: B)
    var last = Matrix<Double>(rows: T * B, cols: H)
    for i in ((T - 1) * B)..<(T * B) { for j in 0..<H { last[i, j] = 1 } }
    var seen = [Int: Matrix<Double>]()
    _ = layer.backward(trace, hiddenGradient: last) { t, dh, _ in seen[t] = dh }
    // dL/dh_{t-1} = (1 - z_t) ⊙ dL/dh_t, lane by lane, from dL/dh_T = 1.
    for t in 1...T {
      let z = trace.gates.rows(((t - 1) * B)..<(t * B))
      let expected = zip(seen[t]!.storage, z.storage).map { $0 * (1 - $1) }
      #expect(relativeError(seen[t - 1]!.storage, expected) < 1e-15)
    }
  }

  // MARK: initialisers

  @Test func lruInitialisationLiesOnTheRing() {
    var rng = SeededGenerator(seed: 91)
    let layer = LRULayer<Double>(width: 8, lanes: 256, minRadius: 0.4, maxRadius: 0.95, maxPhase: .pi / 5, using: &rng)
    for (j, lambda) in layer.eigenvalues.enumerated() {
      #expect(lambda.length >= 0.4 - 1e-12 && lambda.length <= 0.95 + 1e-12)
      #expect(lambda.phase >= 0 && lambda.phase <= .pi / 5 + 1e-12)
      // γ = sqrt(1 - |λ|²)
      #expect(abs(exp(layer.gammaLog[0, j]) - (1 - lambda.lengthSquared).squareRoot()) < 1e-12)
    }
    // Uniform in area: the mean of |λ|² is (r_min² + r_max²) / 2 ± a few standard errors.
    let squares = layer.eigenvalues.map(\.lengthSquared)
    let mean = squares.reduce(0, +) / 256
    let sd = (0.95 * 0.95 - 0.4 * 0.4) / 12.squareRoot() / 16
    #expect(abs(mean - (0.4 * 0.4 + 0.95 * 0.95) / 2) < 4 * sd)
  }

  @Test func chronoBiasesSpanTheLags() {
    var rng = SeededGenerator(seed: 92)
    var layer = RecurrentLayer<Double>(kind: .lstm, inputSize: D, hiddenSize: 200, using: &rng)
    layer.setChronoBiases(maxLag: 1000, using: &rng)
    let (input, forget) = ((0..<200).map { layer.bias[0, $0] }, (0..<200).map { layer.bias[0, 200 + $0] })
    #expect(zip(input, forget).allSatisfy { $0 == -$1 })
    #expect(forget.allSatisfy { $0 >= 0 && $0 <= log(999) })
    // e^{b_f} ~ U[1, 999]: its mean is 500 ± a few standard errors (999 - 1)/sqrt(12·200).
    let mean = forget.map { exp($0) }.reduce(0, +) / 200
    #expect(abs(mean - 500) < 4 * 998 / (12 * 200.0).squareRoot())
    // The other gates keep Keras' zeros.
    #expect((400..<800).allSatisfy { layer.bias[0, $0] == 0 })
  }

  @Test func identityRecurrenceForIRNN() {
    var rng = SeededGenerator(seed: 93)
    var layer = RecurrentLayer<Double>(kind: .rnn, inputSize: D, hiddenSize: H, using: &rng)
    layer.setIdentityRecurrence()
    #expect(layer.recurrentKernel == Matrix.identity(H))
    #expect(layer.bias.storage.allSatisfy { $0 == 0 })
  }
}

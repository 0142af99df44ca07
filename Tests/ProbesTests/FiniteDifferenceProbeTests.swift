import Linalg
import Probes
import Recurrent
import TestSupport
import Testing

/// Every probe against finite differences of the loss L = u · h_T under a perturbation added
/// to the state at t: the sequence runs in two halves, the second starting from (h_t, c_t).
@Suite struct FiniteDifferenceProbeTests {
  let T = 6, D = 3, H = 5

  struct Setup {
    let layer: RecurrentLayer<Double>
    let x: Matrix<Double>
    let u: Matrix<Double>
    let initial: RecurrentState<Double>

    /// (h_t, c_t) after the first t steps (1 × H each).
    func state(at t: Int) -> RecurrentState<Double> {
      guard t > 0 else { return initial }
      let trace = layer.forward(x.rows(0..<t), batch: 1, initial: initial)
      let cell = layer.kind.hasCellState ? trace.cell.rows(t..<(t + 1)) : Matrix(rows: 0, cols: 0)
      return RecurrentState(hidden: trace.lastHidden, cell: cell)
    }

    /// h_T from the state at t.
    func lastHidden(from state: RecurrentState<Double>, at t: Int) -> Matrix<Double> {
      guard t < x.rows else { return state.hidden }
      return layer.forward(x.rows(t..<x.rows), batch: 1, initial: state).lastHidden
    }
  }

  func setup(_ kind: CellKind) -> Setup {
    Setup(
      layer: Fixture.randomLayer(kind, input: D, hidden: H), x: randomMatrix(T, D, seed: 31),
      u: Fixture.direction(H),
      initial: RecurrentState(
        hidden: randomMatrix(1, H, seed: 32, std: 0.5),
        cell: kind.hasCellState ? randomMatrix(1, H, seed: 33, std: 0.5) : Matrix(rows: 0, cols: 0)))
  }

  /// Central differences of a vector function: column j of the result is ∂f/∂v[j], so row i
  /// is ∂f[i]/∂v, the probes' orientation.
  func numericalJacobian(at v: Matrix<Double>, epsilon: Double = 1e-6, _ f: (Matrix<Double>) -> Matrix<Double>) -> Matrix<Double> {
    let n = f(v).count
    var jacobian = Matrix<Double>(rows: n, cols: v.count)
    for j in 0..<v.count {
      var plus = v, minus = v
      plus.storage[j] += epsilon
      minus.storage[j] -= epsilon
      let (fp, fm) = (f(plus), f(minus))
      for i in 0..<n { jacobian[i, j] = (fp.storage[i] - fm.storage[i]) / (2 * epsilon) }
    }
    return jacobian
  }

  @Test(arguments: CellKind.allCases)
  func probesMatchPerturbationsOfTheState(kind: CellKind) {
    let s = setup(kind)
    let result = SequenceProbe().measure(s.layer, inputs: s.x, direction: s.u, initial: s.initial)
    for t in [0, 2, 5, T] {
      let state = s.state(at: t)
      // dL/dh_t
      let dh = numericalGradient(of: state.hidden) { h in
        dot(s.u, s.lastHidden(from: RecurrentState(hidden: h, cell: state.cell), at: t))
      }
      let probed = result.hiddenGradients.rows(t..<(t + 1))
      #expect(relativeError(probed.storage, dh.storage) < 1e-7, "\(kind) t=\(t): dL/dh_t")
      #expect(relativeError(result.probes[t].gradientNorm, dh.frobeniusNorm) < 1e-7, "\(kind) t=\(t): ||dL/dh_t||")
      // ||∂h_T/∂h_t|| against the exact singular values of the finite-difference Jacobian
      let product = numericalJacobian(at: state.hidden) { h in s.lastHidden(from: RecurrentState(hidden: h, cell: state.cell), at: t) }
      let exact = SingularValues.of(product)[0]
      #expect(relativeError(result.probes[t].productNorm ?? .nan, exact) < 1e-7, "\(kind) t=\(t): product norm")
      if kind.hasCellState {
        let dc = numericalGradient(of: state.cell) { c in
          dot(s.u, s.lastHidden(from: RecurrentState(hidden: state.hidden, cell: c), at: t))
        }
        #expect(relativeError(result.cellGradients.rows(t..<(t + 1)).storage, dc.storage) < 1e-7, "\(kind) t=\(t): dL/dc_t")
        #expect(relativeError(result.probes[t].cellGradientNorm ?? .nan, dc.frobeniusNorm) < 1e-7, "\(kind) t=\(t): ||dL/dc_t||")
      }
      // σ_max(∂h_{t+1}/∂h_t), one step from the state at t
      if t < T {
        let step = numericalJacobian(at: state.hidden) { h in
          s.layer.forward(s.x.rows(t..<(t + 1)), batch: 1, initial: RecurrentState(hidden: h, cell: state.cell)).lastHidden
        }
        let exactStep = SingularValues.of(step)[0]
        #expect(relativeError(result.probes[t + 1].jacobianNorm ?? .nan, exactStep) < 1e-7, "\(kind) t=\(t + 1): one-step norm")
      }
    }
  }

  @Test func forgetProductMatchesTheGates() {
    let s = setup(.lstm)
    let result = SequenceProbe().measure(s.layer, inputs: s.x, direction: s.u, initial: s.initial)
    let trace = s.layer.forward(s.x, batch: 1, initial: s.initial)
    for t in 0...T {
      var mean = 0.0
      for j in 0..<H {
        var product = 1.0
        for k in stride(from: t + 1, through: T, by: 1) { product *= trace.gates(at: k)[0, H + j] }  // [i | f | g | o]
        mean += product / Double(H)
      }
      #expect(relativeError(result.probes[t].forgetProduct ?? .nan, mean) < 1e-14, "t=\(t)")
    }
  }

  /// The cheap recorder on a plain batch-of-one backward pass sees the same norms as the
  /// replicated-batch probe.
  @Test(arguments: CellKind.allCases)
  func recorderAgreesWithSequenceProbe(kind: CellKind) {
    let s = setup(kind)
    let result = SequenceProbe(jacobians: false, products: false).measure(s.layer, inputs: s.x, direction: s.u, initial: s.initial)
    let trace = s.layer.forward(s.x, batch: 1, initial: s.initial)
    let recorder = GradientNormRecorder<Double>(steps: T)
    _ = s.layer.backward(trace, lastHidden: s.u, record: recorder.record)
    #expect(relativeError(recorder.hidden, result.probes.map(\.gradientNorm)) < 1e-12, "\(kind)")
    if kind.hasCellState {
      #expect(relativeError(recorder.cell, result.probes.map { $0.cellGradientNorm ?? .nan }) < 1e-12)
    }
  }
}

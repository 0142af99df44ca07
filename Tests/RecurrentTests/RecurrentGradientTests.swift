import Linalg
import Recurrent
import SeededRandom
import TestSupport
import Testing

/// Every parameter, the inputs and the initial state of every cell, against central
/// differences in Double, on small non-square shapes (B=2, T=4, D=3, H=5).
@Suite struct RecurrentGradientTests {
  let B = 2, T = 4, D = 3, H = 5

  /// A layer with random (not Keras-initial) weights, so no gate sits at a special value.
  func layer(_ kind: CellKind) -> RecurrentLayer<Double> {
    var rng = SeededGenerator(seed: 21)
    var layer = RecurrentLayer<Double>(kind: kind, inputSize: D, hiddenSize: H, using: &rng)
    layer.recurrentKernel = randomMatrix(H, kind.gateCount * H, seed: 22, std: 0.6)
    layer.bias = randomMatrix(1, kind.gateCount * H, seed: 23, std: 0.5)
    if kind.hasRecurrentBias { layer.recurrentBias = randomMatrix(1, kind.gateCount * H, seed: 24, std: 0.5) }
    return layer
  }

  /// L = <P_T, h_T> + Σ_t <P_t, h_t> + <Q, c_T>: touches every output of the layer.
  struct Probe {
    let last: Matrix<Double>, perStep: Matrix<Double>, cell: Matrix<Double>
    func loss(_ layer: RecurrentLayer<Double>, _ x: Matrix<Double>, _ initial: RecurrentState<Double>, batch: Int) -> Double {
      let trace = layer.forward(x, batch: batch, initial: initial)
      let steps = trace.hidden.rows(batch..<trace.hidden.rows)
      var total = dot(last, trace.lastHidden) + dot(perStep, steps)
      if layer.kind.hasCellState { total += dot(cell, trace.cell.rows((trace.cell.rows - batch)..<trace.cell.rows)) }
      return total
    }
  }

  @Test(arguments: CellKind.allCases)
  func backwardMatchesFiniteDifferences(kind: CellKind) {
    let layer = layer(kind)
    let x = randomMatrix(T * B, D, seed: 31)
    let initial = RecurrentState(
      hidden: randomMatrix(B, H, seed: 32, std: 0.5),
      cell: kind.hasCellState ? randomMatrix(B, H, seed: 33, std: 0.5) : Matrix(rows: 0, cols: 0))
    let probe = Probe(last: randomMatrix(B, H, seed: 34), perStep: randomMatrix(T * B, H, seed: 35), cell: randomMatrix(B, H, seed: 36))
    let trace = layer.forward(x, batch: B, initial: initial)
    let grads = layer.backward(
      trace, lastHidden: probe.last, lastCell: kind.hasCellState ? probe.cell : nil, perStep: probe.perStep)

    for (name, path) in RecurrentLayer<Double>.parameterPaths where layer[keyPath: path].count > 0 {
      let numeric = numericalGradient(of: layer[keyPath: path]) { w in
        var l = layer
        l[keyPath: path] = w
        return probe.loss(l, x, initial, batch: B)
      }
      let error = relativeError(grads.parameters[keyPath: path].storage, numeric.storage)
      #expect(error < 1e-6, "\(kind) \(name): relative error \(error)")
    }
    let dx = numericalGradient(of: x) { probe.loss(layer, $0, initial, batch: B) }
    #expect(relativeError(grads.inputs.storage, dx.storage) < 1e-6, "\(kind) inputs")
    let dh0 = numericalGradient(of: initial.hidden) { h in
      probe.loss(layer, x, RecurrentState(hidden: h, cell: initial.cell), batch: B)
    }
    #expect(relativeError(grads.initialState.hidden.storage, dh0.storage) < 1e-6, "\(kind) h_0")
    if kind.hasCellState {
      let dc0 = numericalGradient(of: initial.cell) { c in
        probe.loss(layer, x, RecurrentState(hidden: initial.hidden, cell: c), batch: B)
      }
      #expect(relativeError(grads.initialState.cell.storage, dc0.storage) < 1e-6, "\(kind) c_0")
    }
  }

  @Test(arguments: CellKind.allCases)
  func recorderSeesEveryStepAndMatchesInitialGradient(kind: CellKind) {
    let layer = layer(kind)
    let trace = layer.forward(randomMatrix(T * B, D, seed: 41), batch: B)
    var seen: [Int: Double] = [:]
    let grads = layer.backward(trace, lastHidden: randomMatrix(B, H, seed: 42)) { t, dh, dc in
      seen[t] = dh.frobeniusNorm
      #expect((dc != nil) == kind.hasCellState)
    }
    #expect(Set(seen.keys) == Set(0...T))
    #expect(seen[0] == grads.initialState.hidden.frobeniusNorm)
  }

  /// Backward writes dL/da_x over the gates of the trace it consumes: a caller who keeps its
  /// trace keeps it as it was, and a second pass from it gives the same gradients.
  @Test(arguments: CellKind.allCases)
  func aKeptTraceIsUnchangedByBackward(kind: CellKind) {
    let layer = layer(kind)
    let trace = layer.forward(randomMatrix(T * B, D, seed: 41), batch: B)
    let gates = trace.gates.storage
    let dh = randomMatrix(B, H, seed: 42)
    let first = layer.backward(trace, lastHidden: dh)
    #expect(trace.gates.storage == gates, "\(kind): the kept trace's gates changed")
    let second = layer.backward(trace, lastHidden: dh)
    #expect(first.parameters.recurrentKernel.storage == second.parameters.recurrentKernel.storage)
    #expect(first.inputs.storage == second.inputs.storage)
    #expect(first.inputs.maxAbs > 0)
  }
}

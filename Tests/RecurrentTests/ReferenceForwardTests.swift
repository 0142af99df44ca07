import Foundation
import Linalg
import Recurrent
import SeededRandom
import TestSupport
import Testing

/// Forward passes against PyTorch's nn.LSTM / nn.GRU / nn.RNN(nonlinearity='relu') (float64), generated once by
/// Reference/make_reference.py: finite differences cannot catch a wrong forward pass.
@Suite struct ReferenceForwardTests {
  let B = 2, T = 4, D = 3, H = 5

  /// pattern(k, i, j) = 0.5 sin(0.7k + 1.3i + 0.29j), the formula shared with the script.
  func pattern(_ k: Int, _ rows: Int, _ cols: Int) -> Matrix<Double> {
    var m = Matrix<Double>(rows: rows, cols: cols)
    for i in 0..<rows { for j in 0..<cols { m[i, j] = 0.5 * sin(0.7 * Double(k) + 1.3 * Double(i) + 0.29 * Double(j)) } }
    return m
  }

  func run(_ kind: CellKind) -> RecurrentTrace<Double> {
    let G = kind.gateCount
    let layer = RecurrentLayer(
      kind: kind, inputKernel: pattern(1, D, G * H), recurrentKernel: pattern(2, H, G * H),
      bias: pattern(3, 1, G * H), recurrentBias: kind.hasRecurrentBias ? pattern(4, 1, G * H) : nil)
    let initial = RecurrentState(hidden: pattern(5, B, H), cell: kind.hasCellState ? pattern(6, B, H) : Matrix(rows: 0, cols: 0))
    return layer.forward(pattern(9, T * B, D), batch: B, initial: initial)
  }

  @Test func lstmMatchesPyTorch() {
    let trace = run(.lstm)
    #expect(relativeError(trace.hidden.rows(B..<((T + 1) * B)).storage, ReferenceValues.lstmHidden) < 1e-13)
    #expect(relativeError(trace.cell.rows((T * B)..<((T + 1) * B)).storage, ReferenceValues.lstmLastCell) < 1e-13)
  }

  @Test func gruMatchesPyTorch() {
    let trace = run(.gru)
    #expect(relativeError(trace.hidden.rows(B..<((T + 1) * B)).storage, ReferenceValues.gruHidden) < 1e-13)
  }

  @Test func reluRNNMatchesPyTorch() {
    let trace = run(.reluRNN)
    let hidden = trace.hidden.rows(B..<((T + 1) * B)).storage
    // The pattern must exercise both sides of the kink, or the test could not tell ReLU from identity.
    #expect(hidden.contains(0) && hidden.contains { $0 > 0 })
    #expect(relativeError(hidden, ReferenceValues.reluHidden) < 1e-13)
  }

  @Test func kerasInitialisationConventions() {
    var rng = SeededGenerator(seed: 1)
    let lstm = RecurrentLayer<Double>(kind: .lstm, inputSize: 3, hiddenSize: 4, using: &rng)
    #expect(lstm.bias.storage == [0, 0, 0, 0, 1, 1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0])
    let rowsGram = Matrix.product(lstm.recurrentKernel, lstm.recurrentKernel, transposeB: true)
    #expect(relativeError(rowsGram.storage, Matrix<Double>.identity(4).storage) < 1e-13)
  }
}

import Linalg

extension RecurrentLayer {
  /// h_T (and c_T) from a zero initial state, forward only. `input(t, a)` writes step t's
  /// input pre-activations a_x = x_t W_x + b (B × G·H, t in 0..<T) into `a`; only the current
  /// state is kept, never a trace, so memory stays B·(2G + 5)·H whatever T is: evaluation
  /// runs in large batches. The numbers are those of `forward`, step for step.
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func finalState(steps T: Int, batch B: Int, input: (Int, UnsafeMutablePointer<Scalar>) -> Void) -> RecurrentState<Scalar> {
    precondition(B > 0 && T >= 0, "finalState: batch \(B) and \(T) steps")
    let (H, GH) = (hiddenSize, kind.gateCount * hiddenSize)
    let hasCell = kind.hasCellState
    // Two slots each for h and c: step t reads slot t % 2 and writes the other.
    var workspace = ForwardWorkspace<Scalar>(
      batch: B, hiddenSize: H, hidden: Matrix(rows: 2 * B, cols: H), cell: Matrix(rows: hasCell ? 2 * B : 0, cols: H),
      gates: Matrix(uninitializedRows: B, cols: GH), cache: Matrix(rows: B, cols: H), recurrentPre: Matrix(uninitializedRows: B, cols: GH))
    withRecurrentWeights { weights in
      workspace.withView { view in
        for t in 0..<T {
          input(t, view.gates)
          forwardStep(view.step(previous: t % 2, next: (t + 1) % 2, activations: 0), weights)
        }
      }
    }
    let last = (T % 2) * B
    return RecurrentState(
      hidden: workspace.hidden.rows(last..<(last + B)), cell: hasCell ? workspace.cell.rows(last..<(last + B)) : Matrix(rows: 0, cols: 0))
  }
}

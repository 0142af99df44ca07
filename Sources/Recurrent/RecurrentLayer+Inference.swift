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
    var hidden = Matrix<Scalar>(rows: 2 * B, cols: H)
    var cell = Matrix<Scalar>(rows: hasCell ? 2 * B : 0, cols: H)
    var gates = Matrix<Scalar>(uninitializedRows: B, cols: GH)
    var extra = Matrix<Scalar>(rows: B, cols: H)
    var recurrentPre = Matrix<Scalar>(uninitializedRows: B, cols: GH)
    withForwardBuffers(&hidden, &cell, &gates, &extra, &recurrentPre) { p in
      for t in 0..<T {
        let (from, to) = ((t % 2) * B * H, ((t + 1) % 2) * B * H)
        input(t, p.gates)
        forwardStep(
          StepBuffers(
            batch: B, hidden: H, gates: p.gates, recurrentPre: UnsafePointer(p.recurrentPre),
            hPrev: UnsafePointer(p.hidden + from), cPrev: hasCell ? UnsafePointer(p.cell + from) : nil,
            h: p.hidden + to, c: hasCell ? p.cell + to : nil, extra: p.extra),
          recurrentPre: p.recurrentPre, wh: p.wh, bh: p.bh)
      }
    }
    let last = (T % 2) * B
    return RecurrentState(hidden: hidden.rows(last..<(last + B)), cell: hasCell ? cell.rows(last..<(last + B)) : Matrix(rows: 0, cols: 0))
  }
}

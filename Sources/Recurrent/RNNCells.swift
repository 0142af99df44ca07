import Linalg

/// Linear RNN: h_t = a_t with a_t = x_t W_x + b + h_{t-1} W_h.
/// With W_h = s·Q (Q orthogonal), ||dL/dh_t|| = s^(T-t) ||dL/dh_T|| exactly.
enum LinearCell {
  static func forward<T>(_ s: StepBuffers<T>) {
    let n = s.batch * s.hidden
    for k in 0..<n {
      // h = a
      s.h[k] = s.inputPre[k] + s.recurrentPre[k]
    }
  }

  static func backward<T>(_ s: StepBuffers<T>, _ g: StepGradients<T>) {
    let n = s.batch * s.hidden
    for k in 0..<n {
      // da = dh
      g.dInputPre[k] = g.dh[k]
      g.dRecurrentPre[k] = g.dh[k]
      g.dhPrevDirect[k] = 0
    }
  }
}

/// Vanilla (Elman) RNN: h_t = tanh(x_t W_x + b + h_{t-1} W_h).
enum TanhCell {
  static func forward<T>(_ s: StepBuffers<T>) {
    let n = s.batch * s.hidden
    for k in 0..<n {
      // h = tanh(a)
      s.h[k] = T.tanh(s.inputPre[k] + s.recurrentPre[k])
    }
  }

  static func backward<T>(_ s: StepBuffers<T>, _ g: StepGradients<T>) {
    let n = s.batch * s.hidden
    for k in 0..<n {
      // da = dh ⊙ (1 - h²)
      let h = s.h[k]
      let da = g.dh[k] * (1 - h * h)
      g.dInputPre[k] = da
      g.dRecurrentPre[k] = da
      g.dhPrevDirect[k] = 0
    }
  }
}

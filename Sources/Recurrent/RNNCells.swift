import Linalg

/// Linear RNN: h_t = a_t with a_t = x_t W_x + b + h_{t-1} W_h.
/// With W_h = s·Q (Q orthogonal), ||dL/dh_t|| = s^(T-t) ||dL/dh_T|| exactly.
enum LinearCell {
  static func forward<T>(_ s: StepBuffers<T>) {
    let n = s.batch * s.hidden
    // h = a
    addRecurrent(s, count: n)
    s.h.update(from: s.gates, count: n)
  }

  static func backward<T>(_ s: StepTrace<T>, _ g: StepGradients<T>) {
    // da = dh
    g.dInputPre.update(from: g.dh, count: s.batch * s.hidden)
  }
}

/// Vanilla (Elman) RNN: h_t = tanh(x_t W_x + b + h_{t-1} W_h).
enum TanhCell {
  static func forward<T>(_ s: StepBuffers<T>) {
    let n = s.batch * s.hidden
    // h = tanh(a)
    addRecurrent(s, count: n)
    T.tanhInPlace(s.gates, count: n)
    s.h.update(from: s.gates, count: n)
  }

  static func backward<T>(_ s: StepTrace<T>, _ g: StepGradients<T>) {
    for k in 0..<(s.batch * s.hidden) {
      // da = dh ⊙ (1 - h²)
      let h = s.h[k]
      g.dInputPre[k] = g.dh[k] * (1 - h * h)
    }
  }
}

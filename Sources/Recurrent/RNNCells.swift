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

/// Elman RNN with ReLU: h_t = max(0, x_t W_x + b + h_{t-1} W_h).
enum ReLUCell {
  static func forward<T>(_ s: StepBuffers<T>) {
    let n = s.batch * s.hidden
    // h = max(0, a)  (NaN stays NaN, as in PyTorch)
    addRecurrent(s, count: n)
    for k in 0..<n where s.gates[k] < 0 { s.gates[k] = 0 }
    s.h.update(from: s.gates, count: n)
  }

  static func backward<T>(_ s: StepTrace<T>, _ g: StepGradients<T>) {
    for k in 0..<(s.batch * s.hidden) {
      // da = dh ⊙ [h > 0]  (the subgradient 0 at a = 0, as PyTorch)
      g.dInputPre[k] = s.h[k] > 0 ? g.dh[k] : 0
    }
  }
}

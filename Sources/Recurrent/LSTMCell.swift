import Linalg

/// LSTM step, Keras flavour, gates `[i | f | g | o]` side by side (B × 4H):
///
///     i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)      a = x W_x + b + h_prev W_h
///     c = f ⊙ c_prev + i ⊙ g
///     h = o ⊙ tanh(c)
///
/// The cell path dc_prev = dc ⊙ f is the constant error carousel: with f near 1 the
/// gradient passes back through time undamped, whatever W_h is.
enum LSTMCell {
  static func forward<T>(_ s: StepBuffers<T>) {
    let (B, H) = (s.batch, s.hidden)
    guard let c = s.c, let cPrev = s.cPrev else { preconditionFailure("LSTM step without cell state") }
    for b in 0..<B {
      let row = b * 4 * H
      for j in 0..<H {
        let (ki, kf, kg, ko) = (row + j, row + H + j, row + 2 * H + j, row + 3 * H + j)
        // i, f, o = σ(a); g = tanh(a)
        let i = sigmoid(s.inputPre[ki] + s.recurrentPre[ki])
        let f = sigmoid(s.inputPre[kf] + s.recurrentPre[kf])
        let gg = T.tanh(s.inputPre[kg] + s.recurrentPre[kg])
        let o = sigmoid(s.inputPre[ko] + s.recurrentPre[ko])
        s.gates[ki] = i
        s.gates[kf] = f
        s.gates[kg] = gg
        s.gates[ko] = o
        let k = b * H + j
        // c = f ⊙ c_prev + i ⊙ g
        let cNew = f * cPrev[k] + i * gg
        c[k] = cNew
        // h = o ⊙ tanh(c)
        let tc = T.tanh(cNew)
        s.extra[k] = tc
        s.h[k] = o * tc
      }
    }
  }

  static func backward<T>(_ s: StepBuffers<T>, _ g: StepGradients<T>) {
    let (B, H) = (s.batch, s.hidden)
    guard let dc = g.dc, let cPrev = s.cPrev else { preconditionFailure("LSTM step without cell state") }
    for b in 0..<B {
      let row = b * 4 * H
      for j in 0..<H {
        let (ki, kf, kg, ko) = (row + j, row + H + j, row + 2 * H + j, row + 3 * H + j)
        let k = b * H + j
        let (i, f, gg, o, tc) = (s.gates[ki], s.gates[kf], s.gates[kg], s.gates[ko], s.extra[k])
        let dh = g.dh[k]
        // h = o ⊙ tanh(c):  do = dh ⊙ tanh(c),  dc += dh ⊙ o ⊙ (1 - tanh²(c))
        let dO = dh * tc
        let dcTotal = dc[k] + dh * o * (1 - tc * tc)
        // c = f ⊙ c_prev + i ⊙ g:  di = dc ⊙ g, dg = dc ⊙ i, df = dc ⊙ c_prev, dc_prev = dc ⊙ f
        let dI = dcTotal * gg
        let dG = dcTotal * i
        let dF = dcTotal * cPrev[k]
        dc[k] = dcTotal * f
        // through the activations: σ' = σ(1 - σ), tanh' = 1 - tanh²
        let dai = dI * i * (1 - i)
        let daf = dF * f * (1 - f)
        let dag = dG * (1 - gg * gg)
        let dao = dO * o * (1 - o)
        g.dInputPre[ki] = dai
        g.dInputPre[kf] = daf
        g.dInputPre[kg] = dag
        g.dInputPre[ko] = dao
        g.dRecurrentPre[ki] = dai
        g.dRecurrentPre[kf] = daf
        g.dRecurrentPre[kg] = dag
        g.dRecurrentPre[ko] = dao
        g.dhPrevDirect[k] = 0
      }
    }
  }
}

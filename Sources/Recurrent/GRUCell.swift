import Linalg

/// GRU step with the reset gate applied after the recurrent matmul (Keras reset_after=True,
/// identical to PyTorch's nn.GRU), gates `[z | r | n]` side by side (B × 3H):
///
///     z = σ(x W_xz + b_z + h_prev W_hz + b_hz)
///     r = σ(x W_xr + b_r + h_prev W_hr + b_hr)
///     n = tanh(x W_xn + b_n + r ⊙ (h_prev W_hn + b_hn))
///     h = z ⊙ h_prev + (1 - z) ⊙ n
enum GRUCell {
  static func forward<T>(_ s: StepBuffers<T>) {
    let (B, H) = (s.batch, s.hidden)
    for b in 0..<B {
      let (z, n) = (s.gates + b * 3 * H, s.gates + b * 3 * H + 2 * H)
      let r = z + H
      let (ah, hn) = (s.recurrentPre + b * 3 * H, s.recurrentCandidate + b * H)
      // z, r = σ(a_x + a_h)
      for k in 0..<(2 * H) { z[k] += ah[k] }
      T.sigmoidInPlace(z, count: 2 * H)
      // n = tanh(a_xn + r ⊙ a_hn)
      for j in 0..<H {
        hn[j] = ah[2 * H + j]
        n[j] += r[j] * hn[j]
      }
      T.tanhInPlace(n, count: H)
      // h = z ⊙ h_prev + (1 - z) ⊙ n
      let (h, hPrev) = (s.h + b * H, s.hPrev + b * H)
      for j in 0..<H { h[j] = z[j] * hPrev[j] + (1 - z[j]) * n[j] }
    }
  }

  static func backward<T>(_ s: StepTrace<T>, _ g: StepGradients<T>) {
    let (B, H) = (s.batch, s.hidden)
    guard let dRecurrentPre = g.dRecurrentPre, let dhPrevDirect = g.dhPrevDirect else {
      preconditionFailure("GRU step back without its recurrent-gradient buffers")
    }
    for b in 0..<B {
      let row = b * 3 * H
      for j in 0..<H {
        let (kz, kr, kn) = (row + j, row + H + j, row + 2 * H + j)
        let k = b * H + j
        let (z, r, n, hn) = (s.gates[kz], s.gates[kr], s.gates[kn], s.recurrentCandidate[k])
        let dh = g.dh[k]
        // h = z ⊙ h_prev + (1 - z) ⊙ n:  dz = dh ⊙ (h_prev - n), dn = dh ⊙ (1 - z), dh_prev ∋ dh ⊙ z
        let dZ = dh * (s.hPrev[k] - n)
        let dN = dh * (1 - z)
        dhPrevDirect[k] = dh * z
        // n = tanh(a_xn + r ⊙ a_hn):  da_xn = dn (1 - n²),  da_hn = da_xn ⊙ r,  dr = da_xn ⊙ a_hn
        let dan = dN * (1 - n * n)
        let dR = dan * hn
        // z, r = σ(a):  da = d· σ(1 - σ)
        let daz = dZ * z * (1 - z)
        let dar = dR * r * (1 - r)
        g.dInputPre[kz] = daz
        g.dInputPre[kr] = dar
        g.dInputPre[kn] = dan
        dRecurrentPre[kz] = daz
        dRecurrentPre[kr] = dar
        dRecurrentPre[kn] = dan * r
      }
    }
  }
}

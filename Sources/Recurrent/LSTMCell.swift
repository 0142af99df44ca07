import Linalg
import PointwiseKernels

/// LSTM step, Keras flavour, gates `[i | f | g | o]` side by side (B × 4H):
///
///     i = σ(a_i)   f = σ(a_f)   g = tanh(a_g)   o = σ(a_o)      a = x W_x + b + h_prev W_h
///     c = f ⊙ c_prev + i ⊙ g
///     h = o ⊙ tanh(c)
///
/// The cell path dc_prev = dc ⊙ f is the constant error carousel: with f near 1 the
/// gradient passes back through time undamped, whatever W_h is.
///
/// Float (training) runs each step forward and back as one pass of the pointwise kernels
/// (`gradlab_lstm_forward_f32`, `gradlab_lstm_backward_f32`: the same equations, the same
/// operations in the same order, sixteen units at a time at the CPU's vector width); Double
/// (analysis) runs the loops below with libm's tanh and exp.
enum LSTMCell {
  static func forward<T>(_ s: StepBuffers<T>) {
    let (B, H) = (s.batch, s.hidden)
    guard let c = s.c, let cPrev = s.cPrev else { preconditionFailure("LSTM step without cell state") }
    if T.self == Float.self {
      return gradlab_lstm_forward_f32(
        B, H, float(s.gates), float(s.recurrentPre), float(cPrev), float(c), float(s.tanhCell), float(s.h))
    }
    addRecurrent(s, count: B * 4 * H)
    for b in 0..<B {
      let (i, f, g, o) = (s.gates + b * 4 * H, s.gates + b * 4 * H + H, s.gates + b * 4 * H + 2 * H, s.gates + b * 4 * H + 3 * H)
      // i, f = σ(a);  g = tanh(a);  o = σ(a)
      T.sigmoidInPlace(i, count: 2 * H)
      T.tanhInPlace(g, count: H)
      T.sigmoidInPlace(o, count: H)
      let (cRow, cPrevRow, tcRow) = (c + b * H, cPrev + b * H, s.tanhCell + b * H)
      for j in 0..<H {
        // c = f ⊙ c_prev + i ⊙ g
        cRow[j] = f[j] * cPrevRow[j] + i[j] * g[j]
        tcRow[j] = cRow[j]
      }
    }
    // h = o ⊙ tanh(c)
    T.tanhInPlace(s.tanhCell, count: B * H)
    for b in 0..<B {
      let (o, tc, h) = (s.gates + b * 4 * H + 3 * H, s.tanhCell + b * H, s.h + b * H)
      for j in 0..<H { h[j] = o[j] * tc[j] }
    }
  }

  /// The whole step back in one pass, eight hidden units at a time (SIMD8; a shorter last
  /// group is padded with zeros and only its real lanes are stored).
  static func backward<T>(_ s: StepTrace<T>, _ g: StepGradients<T>) {
    let (B, H) = (s.batch, s.hidden)
    guard let dc = g.dc, let cPrev = s.cPrev else { preconditionFailure("LSTM step without cell state") }
    if T.self == Float.self {
      return gradlab_lstm_backward_f32(B, H, float(s.gates), float(s.tanhCell), float(cPrev), float(g.dh), float(dc), float(g.dInputPre))
    }
    for b in 0..<B {
      let row = b * 4 * H
      for j in stride(from: 0, to: H, by: 8) {
        let n = min(8, H - j)
        let (ki, kf, kg, ko) = (row + j, row + H + j, row + 2 * H + j, row + 3 * H + j)
        let k = b * H + j
        let (i, f, gg, o) = (Lanes.load(s.gates + ki, n), Lanes.load(s.gates + kf, n), Lanes.load(s.gates + kg, n), Lanes.load(s.gates + ko, n))
        let (tc, dh) = (Lanes.load(s.tanhCell + k, n), Lanes.load(g.dh + k, n))
        // h = o ⊙ tanh(c):  do = dh ⊙ tanh(c),  dc += dh ⊙ o ⊙ (1 - tanh²(c))
        let dO = dh * tc
        let dcTotal = Lanes.load(dc + k, n) + dh * o * (1 - tc * tc)
        // c = f ⊙ c_prev + i ⊙ g:  di = dc ⊙ g, dg = dc ⊙ i, df = dc ⊙ c_prev, dc_prev = dc ⊙ f
        let dI = dcTotal * gg
        let dG = dcTotal * i
        let dF = dcTotal * Lanes.load(cPrev + k, n)
        Lanes.store(dcTotal * f, dc + k, n)
        // through the activations: σ' = σ(1 - σ), tanh' = 1 - tanh²
        Lanes.store(dI * i * (1 - i), g.dInputPre + ki, n)
        Lanes.store(dF * f * (1 - f), g.dInputPre + kf, n)
        Lanes.store(dG * (1 - gg * gg), g.dInputPre + kg, n)
        Lanes.store(dO * o * (1 - o), g.dInputPre + ko, n)
      }
    }
  }
}

/// A pointer to T's elements as Float, for T == Float (the kernels' element type).
@inline(__always)
func float<T>(_ p: UnsafeMutablePointer<T>) -> UnsafeMutablePointer<Float> { UnsafeMutableRawPointer(p).assumingMemoryBound(to: Float.self) }
@inline(__always)
func float<T>(_ p: UnsafePointer<T>) -> UnsafePointer<Float> { UnsafeRawPointer(p).assumingMemoryBound(to: Float.self) }

/// Loads and stores of n ≤ 8 consecutive values as SIMD8 lanes (the rest zero).
enum Lanes {
  @inline(__always)
  static func load<T: BLASScalar>(_ p: UnsafePointer<T>, _ n: Int) -> SIMD8<T> {
    if n == 8 { return UnsafeRawPointer(p).loadUnaligned(as: SIMD8<T>.self) }
    var v = SIMD8<T>()
    for l in 0..<n { v[l] = p[l] }
    return v
  }

  @inline(__always)
  static func load<T: BLASScalar>(_ p: UnsafeMutablePointer<T>, _ n: Int) -> SIMD8<T> { load(UnsafePointer(p), n) }

  @inline(__always)
  static func store<T: BLASScalar>(_ v: SIMD8<T>, _ p: UnsafeMutablePointer<T>, _ n: Int) {
    if n == 8 { return UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<T>.self) }
    for l in 0..<n { p[l] = v[l] }
  }
}

import Linalg

/// One timestep's buffers as the cells' `forward` writes them; every block has B rows.
struct StepBuffers<T: BLASScalar> {
  let batch: Int
  let hidden: Int
  /// B × G·H. In: x_t · W_x + b. Out: the activated gates (LSTM i f g o, GRU z r n).
  let gates: UnsafeMutablePointer<T>
  /// B × G·H: h_{t-1} · W_h (+ b_h), written by the driver before the cell's step.
  let recurrentPre: UnsafeMutablePointer<T>
  /// B × H: h_{t-1} and c_{t-1} (c only for the LSTM).
  let hPrev: UnsafePointer<T>
  let cPrev: UnsafePointer<T>?
  /// B × H outputs h_t and c_t.
  let h: UnsafeMutablePointer<T>
  let c: UnsafeMutablePointer<T>?
  /// B × H, what a cell keeps of step t for its way back (the trace's `cache`).
  let cache: UnsafeMutablePointer<T>

  /// LSTM: the cache holds tanh(c_t).
  var tanhCell: UnsafeMutablePointer<T> { cache }
  /// GRU: the cache holds the recurrent candidate part a_hn = h_{t-1} W_hn + b_hn.
  var recurrentCandidate: UnsafeMutablePointer<T> { cache }
}

/// One timestep's forward results as the cells' `backward` reads them (read-only); every
/// block has B rows.
struct StepTrace<T: BLASScalar> {
  let batch: Int
  let hidden: Int
  /// B × G·H activated gates.
  let gates: UnsafePointer<T>
  /// B × H: h_{t-1}, c_{t-1} (LSTM), h_t.
  let hPrev: UnsafePointer<T>
  let cPrev: UnsafePointer<T>?
  let h: UnsafePointer<T>
  /// B × H: the cell's cache of step t (see `StepBuffers.cache`).
  let cache: UnsafePointer<T>

  /// LSTM: tanh(c_t).
  var tanhCell: UnsafePointer<T> { cache }
  /// GRU: a_hn = h_{t-1} W_hn + b_hn.
  var recurrentCandidate: UnsafePointer<T> { cache }
}

/// Pointers for one step back; every block has B rows.
struct StepGradients<T: BLASScalar> {
  /// In: dL/dh_t (B × H). In/out: dL/dc_t, overwritten with dL/dc_{t-1} (LSTM only).
  let dh: UnsafePointer<T>
  let dc: UnsafeMutablePointer<T>?
  /// Out: gradient w.r.t. the input pre-activation x_t W_x + b (B × G·H).
  let dInputPre: UnsafeMutablePointer<T>
  /// Out (GRU only): gradient w.r.t. the recurrent pre-activation h_{t-1} W_h + b_h; the
  /// other cells' equals `dInputPre`.
  let dRecurrentPre: UnsafeMutablePointer<T>?
  /// Out (GRU only): the part of dL/dh_{t-1} that bypasses W_h (z ⊙ dh); 0 for the others.
  let dhPrevDirect: UnsafeMutablePointer<T>?
}

/// W_h and b_h (the GRU's only; nil for the other cells) as the forward steps read them.
struct RecurrentWeights<T: BLASScalar> {
  let kernel: UnsafePointer<T>
  let bias: UnsafePointer<T>?
}

/// a += a_h: the gate pre-activations of the cells that simply add the recurrent part.
@inline(__always)
func addRecurrent<T: BLASScalar>(_ s: StepBuffers<T>, count: Int) {
  for k in 0..<count { s.gates[k] += s.recurrentPre[k] }
}

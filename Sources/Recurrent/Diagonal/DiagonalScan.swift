import ComplexModule
import Linalg
import RealModule

/// An element of a diagonal recurrence: real (minGRU) or complex (LRU).
///
/// Gradients of the real loss L follow one convention for both: for a complex value
/// z = x + iy, the gradient is g_z = ∂L/∂x + i ∂L/∂y. Then for h = a·p + b (complex product),
/// g_p = conj(a)·g_h, g_a = conj(p)·g_h, g_b = g_h; for reals conj is the identity.
public protocol DiagonalElement: AlgebraicField, Sendable {
  /// The real type of the element's parts.
  associatedtype Component: BLASScalar
  /// conj(z); z itself for a real.
  var conjugate: Self { get }
  /// How many reals one element is (1 real, 2 complex: re then im).
  static var realWidth: Int { get }
  /// The element's reals, in order, written at `destination`.
  func writeReals(to destination: UnsafeMutablePointer<Component>)
}

/// The real scalars the diagonal layers run on (Float, Double): BLAS types with RealModule's
/// functions, their own diagonal elements.
public protocol RealScalar: BLASScalar, Real, DiagonalElement where Component == Self {}

extension Float: RealScalar {}
extension Double: RealScalar {}

extension Float: DiagonalElement {
  public var conjugate: Float { self }
  public static var realWidth: Int { 1 }
  public func writeReals(to destination: UnsafeMutablePointer<Float>) { destination[0] = self }
}

extension Double: DiagonalElement {
  public var conjugate: Double { self }
  public static var realWidth: Int { 1 }
  public func writeReals(to destination: UnsafeMutablePointer<Double>) { destination[0] = self }
}

extension Complex: DiagonalElement where RealType: BLASScalar {
  public static var realWidth: Int { 2 }
  public func writeReals(to destination: UnsafeMutablePointer<RealType>) {
    destination[0] = real
    destination[1] = imaginary
  }
}

/// The driver of diagonal recurrences, the sibling of `RecurrentLayer`'s BPTT driver for
/// cells whose state update has no recurrent matrix:
///
///     h_t = a_t ⊙ h_{t-1} + b_t,        t = 1...T, N independent lanes per row
///
/// (LRU: a_t = λ, b_t = γ ⊙ B u_t; minGRU: a_t = 1 - z_t, b_t = z_t ⊙ h̃_t). The Jacobian
/// through time is diagonal, ∂h_T/∂h_t = Π_{s>t} diag(a_s), so the reverse loop is one
/// multiply per lane. The reverse loop is the one place where the probes record: it hands
/// dL/dh_t to a `BPTTRecorder` as a B × (N·realWidth) real matrix (complex lanes as re, im
/// pairs, whose Euclidean norm is the complex norm), for t = T down to 0, as the BPTT
/// driver does.
///
/// Layout: time-major, step t's B rows of N lanes start at element (t-1)·B·N; the states
/// h_0...h_T are (T+1)·B·N, h_0 first.
public enum DiagonalScan {
  /// The coefficients a_t: one per lane for every step and row (LRU's λ), or one per step,
  /// row and lane (minGRU's 1 - z_t, T·B·N).
  public enum Coefficients<E: DiagonalElement>: Sendable {
    case shared([E])
    case perStep([E])
  }

  /// h_0...h_T ((T+1)·B·N) from a_t, b_t (T·B·N) and h_0 (B·N, zeros if nil).
  @_specialize(where E == Float) @_specialize(where E == Double)
  @_specialize(where E == Complex<Float>) @_specialize(where E == Complex<Double>)
  public static func forward<E: DiagonalElement>(
    _ a: Coefficients<E>, _ b: [E], batch B: Int, lanes N: Int, initial: [E]? = nil
  ) -> [E] {
    precondition(B > 0 && N > 0 && b.count % (B * N) == 0, "DiagonalScan: \(b.count) inputs are not whole steps of \(B) rows × \(N) lanes")
    let (T, BN) = (b.count / (B * N), B * N)
    let (values, shared) = check(a, steps: T, rows: B, lanes: N)
    var h = [E](repeating: .zero, count: (T + 1) * BN)
    if let initial {
      precondition(initial.count == BN, "DiagonalScan: h_0 has \(initial.count) values, expected \(BN)")
      h.replaceSubrange(0..<BN, with: initial)
    }
    values.withUnsafeBufferPointer { a in
      b.withUnsafeBufferPointer { b in
        h.withUnsafeMutableBufferPointer { h in
          for t in stride(from: 1, through: T, by: 1) {
            // row r of step t: h_{t-1} starts at element at, h_t at at + B·N, a_t at aAt
            for r in 0..<B {
              let at = (t - 1) * BN + r * N
              let aAt = shared ? 0 : at
              for j in 0..<N {
                // h_t = a_t ⊙ h_{t-1} + b_t
                h[at + BN + j] = a[aAt + j] * h[at + j] + b[at + j]
              }
            }
          }
        }
      }
    }
    return h
  }

  /// The reverse loop. `dh` holds dL/dh_t from outside the recurrence (the readout) for
  /// t = 1...T and becomes the full dL/dh_t; returns dL/da (the shape of `a`: summed over
  /// steps and rows when shared) and dL/dh_0 (B·N). dL/db_t is the full dL/dh_t.
  ///
  ///     dh_{t-1} += conj(a_t) ⊙ dh_t        da_t = conj(h_{t-1}) ⊙ dh_t
  @_specialize(where E == Float) @_specialize(where E == Double)
  @_specialize(where E == Complex<Float>) @_specialize(where E == Complex<Double>)
  public static func backward<E: DiagonalElement>(
    _ a: Coefficients<E>, states h: [E], gradients dh: inout [E], batch B: Int, lanes N: Int,
    record: BPTTRecorder<E.Component>? = nil
  ) -> (coefficients: [E], initial: [E]) {
    let (T, BN) = (dh.count / (B * N), B * N)
    precondition(dh.count == T * BN && h.count == (T + 1) * BN, "DiagonalScan: \(dh.count) gradients and \(h.count) states do not fit \(B) rows × \(N) lanes")
    let (values, shared) = check(a, steps: T, rows: B, lanes: N)
    var da = [E](repeating: .zero, count: values.count)
    var dh0 = [E](repeating: .zero, count: BN)
    for t in stride(from: T, through: 1, by: -1) {
      let row = (t - 1) * BN
      record?(t, realMatrix(dh[row..<(row + BN)], rows: B), nil)
      values.withUnsafeBufferPointer { a in
        h.withUnsafeBufferPointer { h in
          dh.withUnsafeMutableBufferPointer { dh in
            da.withUnsafeMutableBufferPointer { da in
              dh0.withUnsafeMutableBufferPointer { dh0 in
                for r in 0..<B {
                  let k0 = r * N
                  let aAt = shared ? 0 : row + k0
                  for j in 0..<N {
                    let (k, i) = (k0 + j, aAt + j)
                    let g = dh[row + k]
                    // da_t = conj(h_{t-1}) ⊙ dh_t
                    da[i] += h[row + k].conjugate * g
                    // dh_{t-1} += conj(a_t) ⊙ dh_t
                    let back = a[i].conjugate * g
                    if t > 1 { dh[row - BN + k] += back } else { dh0[k] = back }
                  }
                }
              }
            }
          }
        }
      }
    }
    record?(0, realMatrix(dh0[...], rows: B), nil)
    return (da, dh0)
  }

  /// B rows of elements as a B × (N·realWidth) real matrix.
  public static func realMatrix<E: DiagonalElement>(_ values: ArraySlice<E>, rows B: Int) -> Matrix<E.Component> {
    let width = values.count / B * E.realWidth
    var m = Matrix<E.Component>(rows: B, cols: width)
    m.storage.withUnsafeMutableBufferPointer { p in
      for (k, v) in values.enumerated() { v.writeReals(to: p.baseAddress! + k * E.realWidth) }
    }
    return m
  }

  /// The coefficients' values and whether they are shared, after checking their count.
  static func check<E>(_ a: Coefficients<E>, steps T: Int, rows B: Int, lanes N: Int) -> (values: [E], shared: Bool) {
    switch a {
    case .shared(let values):
      precondition(values.count == N, "DiagonalScan: \(values.count) shared coefficients for \(N) lanes")
      return (values, true)
    case .perStep(let values):
      precondition(values.count == T * B * N, "DiagonalScan: \(values.count) coefficients for \(T) steps × \(B) rows × \(N) lanes")
      return (values, false)
    }
  }
}

/// e^x and log x through RealModule (BLASScalar carries its own functions of the same names).
@inline(__always) func realExp<R: Real>(_ x: R) -> R { .exp(x) }
@inline(__always) func realLog<R: Real>(_ x: R) -> R { .log(x) }

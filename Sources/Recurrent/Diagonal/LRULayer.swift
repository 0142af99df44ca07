import ComplexModule
import Linalg
import SeededRandom
import RealModule

/// The Linear Recurrent Unit (Orvieto et al. 2023, "Resurrecting Recurrent Neural Networks
/// for Long Sequences"): a diagonal complex linear recurrence with a real readout, run by
/// `DiagonalScan`. Row vectors as everywhere in GradLab (u_t B, not B u_t):
///
///     λ_j = exp(-e^{ν_j} + i e^{θ_j})          |λ_j| = exp(-e^{ν_j}) < 1 for every real ν_j
///     x_t = λ ⊙ x_{t-1} + γ ⊙ (u_t B)          B = B_re + i B_im, γ_j = e^{γlog_j}
///     y_t = Re(x_t C) + D ⊙ u_t                C = C_re + i C_im, D real
///
/// Shapes (B batch, T steps, D width, N complex lanes): ν, θ, γlog 1 × N; B_re, B_im D × N;
/// C_re, C_im N × D; D 1 × D. ∂x_T/∂x_t = diag(λ)^{T-t} exactly, so the gradient w.r.t.
/// x_t shrinks lane by lane at rate log|λ_j| per step. Parameter gradients are summed over
/// steps and rows.
public struct LRULayer<Scalar: RealScalar>: ParameterSet, Sendable {
  public var nu: Matrix<Scalar>
  public var theta: Matrix<Scalar>
  public var gammaLog: Matrix<Scalar>
  public var inputReal: Matrix<Scalar>
  public var inputImaginary: Matrix<Scalar>
  public var outputReal: Matrix<Scalar>
  public var outputImaginary: Matrix<Scalar>
  public var skip: Matrix<Scalar>

  public var width: Int { skip.cols }
  public var lanes: Int { nu.cols }

  public static var parameterPaths: [(name: String, path: WritableKeyPath<Self, Matrix<Scalar>>)] {
    [
      ("nu_log", \.nu), ("theta_log", \.theta), ("gamma_log", \.gammaLog),
      ("B_re", \.inputReal), ("B_im", \.inputImaginary), ("C_re", \.outputReal), ("C_im", \.outputImaginary),
      ("D", \.skip),
    ]
  }

  /// The paper's initialisation: |λ| uniform in area on the ring r_min ≤ |λ| ≤ r_max, arg λ
  /// uniform in [0, maxPhase], γ = sqrt(1 - |λ|²), B_re, B_im ~ N(0, 1/(2D)),
  /// C_re, C_im ~ N(0, 1/N), D ~ N(0, 1).
  public init(
    width D: Int, lanes N: Int, minRadius: Double = 0.9, maxRadius: Double = 0.999,
    maxPhase: Double = 2 * .pi, using rng: inout SeededGenerator
  ) {
    precondition(D > 0 && N > 0, "LRULayer needs positive sizes, got width \(D), lanes \(N)")
    precondition(0 <= minRadius && minRadius < maxRadius && maxRadius < 1, "LRULayer: the ring needs 0 ≤ r_min < r_max < 1, got \(minRadius), \(maxRadius)")
    precondition(maxPhase > 0, "LRULayer: maxPhase must be positive, got \(maxPhase)")
    (nu, theta, gammaLog) = (Matrix(rows: 1, cols: N), Matrix(rows: 1, cols: N), Matrix(rows: 1, cols: N))
    for j in 0..<N {
      // |λ|² uniform in [r_min², r_max²]: ν = log(-½ log(u (r_max² - r_min²) + r_min²))
      let r2 = rng.nextUniform() * (maxRadius * maxRadius - minRadius * minRadius) + minRadius * minRadius
      nu[0, j] = Scalar(realLog(-0.5 * realLog(r2)))
      theta[0, j] = Scalar(realLog(maxPhase * max(rng.nextUniform(), .leastNormalMagnitude)))
      // γ = sqrt(1 - |λ|²)
      gammaLog[0, j] = Scalar(0.5 * realLog(1 - r2))
    }
    inputReal = Initializer.scaledNormal(rows: D, cols: N, std: (1 / (2 * Double(D))).squareRoot(), using: &rng)
    inputImaginary = Initializer.scaledNormal(rows: D, cols: N, std: (1 / (2 * Double(D))).squareRoot(), using: &rng)
    outputReal = Initializer.scaledNormal(rows: N, cols: D, std: (1 / Double(N)).squareRoot(), using: &rng)
    outputImaginary = Initializer.scaledNormal(rows: N, cols: D, std: (1 / Double(N)).squareRoot(), using: &rng)
    skip = Initializer.scaledNormal(rows: 1, cols: D, std: 1, using: &rng)
  }

  /// A layer from given parameters; shapes are checked.
  public init(
    nu: Matrix<Scalar>, theta: Matrix<Scalar>, gammaLog: Matrix<Scalar>, inputReal: Matrix<Scalar>,
    inputImaginary: Matrix<Scalar>, outputReal: Matrix<Scalar>, outputImaginary: Matrix<Scalar>, skip: Matrix<Scalar>
  ) {
    let (D, N) = (skip.cols, nu.cols)
    precondition(skip.rows == 1 && [theta, gammaLog].allSatisfy { $0.rows == 1 && $0.cols == N }, "LRULayer: ν, θ, γlog must be 1 x N and D 1 x width, got \(nu.shape), \(theta.shape), \(gammaLog.shape), \(skip.shape)")
    precondition([inputReal, inputImaginary].allSatisfy { $0.rows == D && $0.cols == N }, "LRULayer: B_re, B_im must be \(D) x \(N), got \(inputReal.shape), \(inputImaginary.shape)")
    precondition([outputReal, outputImaginary].allSatisfy { $0.rows == N && $0.cols == D }, "LRULayer: C_re, C_im must be \(N) x \(D), got \(outputReal.shape), \(outputImaginary.shape)")
    (self.nu, self.theta, self.gammaLog, self.skip) = (nu, theta, gammaLog, skip)
    (self.inputReal, self.inputImaginary, self.outputReal, self.outputImaginary) = (inputReal, inputImaginary, outputReal, outputImaginary)
  }

  /// λ_j = exp(-e^{ν_j} + i e^{θ_j}), one per lane.
  public var eigenvalues: [Complex<Scalar>] {
    (0..<lanes).map { j in Complex.exp(Complex(-realExp(nu[0, j]), realExp(theta[0, j]))) }
  }

  /// γ_j = e^{γlog_j}.
  var gammas: [Scalar] { gammaLog.storage.map { realExp($0) } }
}

/// What the LRU's forward pass keeps for the backward pass (time-major, as `RecurrentTrace`).
public struct LRUTrace<Scalar: RealScalar>: Sendable {
  public let batch: Int
  public let steps: Int
  /// T·B × D inputs u_t.
  public let inputs: Matrix<Scalar>
  /// u_t B (T·B·N complex, before γ).
  let projected: [Complex<Scalar>]
  /// x_0...x_T ((T+1)·B·N complex).
  public let states: [Complex<Scalar>]
  /// Re x_t and Im x_t for t = 1...T (T·B × N each).
  let statesReal: Matrix<Scalar>
  let statesImaginary: Matrix<Scalar>
  /// T·B × D outputs y_t.
  public let outputs: Matrix<Scalar>
}

/// Gradients of one backward pass through the LRU.
public struct LRUGradients<Scalar: RealScalar>: Sendable {
  /// dL/dν, dL/dθ, dL/dγlog, dL/dB, dL/dC, dL/dD, summed over time.
  public var parameters: LRULayer<Scalar>
  /// T·B × D: dL/du_t.
  public var inputs: Matrix<Scalar>
  /// dL/dx_0 (B·N complex).
  public var initialState: [Complex<Scalar>]
}

extension LRULayer {
  /// Runs the layer over a time-major input (T·B × D) from x_0 = `initial` (zeros if nil).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func forward(_ u: Matrix<Scalar>, batch B: Int, initial: [Complex<Scalar>]? = nil) -> LRUTrace<Scalar> {
    precondition(B > 0 && u.rows % B == 0 && u.rows > 0, "LRU forward: \(u.rows) input rows are not whole steps of batch \(B)")
    precondition(u.cols == width, "LRU forward: inputs \(u.shape) but the layer has width \(width)")
    let (N, gamma) = (lanes, gammas)
    // P = u B = u B_re + i u B_im
    let (pRe, pIm) = (Matrix.product(u, inputReal), Matrix.product(u, inputImaginary))
    var projected = [Complex<Scalar>](repeating: .zero, count: pRe.count)
    var b = projected
    withStorage(pRe, pIm) { pRe, pIm in
      projected.withUnsafeMutableBufferPointer { projected in
        b.withUnsafeMutableBufferPointer { b in
          guard let pRe, let pIm else { return }
          for row in 0..<u.rows {
            for j in 0..<N {
              let k = row * N + j
              projected[k] = Complex(pRe[k], pIm[k])
              // b_t = γ ⊙ P_t
              b[k] = projected[k].multiplied(by: gamma[j])
            }
          }
        }
      }
    }
    // x_t = λ ⊙ x_{t-1} + b_t
    let states = DiagonalScan.forward(.shared(eigenvalues), b, batch: B, lanes: N, initial: initial)
    // y = Re(x C) + D ⊙ u = x_re C_re - x_im C_im + D ⊙ u
    let (xRe, xIm) = realAndImaginary(states[(B * N)...], rows: u.rows)
    var y = Matrix.product(xRe, outputReal)
    y.gemm(xIm, outputImaginary, alpha: -1, beta: 1)
    let D = width
    y.storage.withUnsafeMutableBufferPointer { y in
      u.storage.withUnsafeBufferPointer { u in
        for i in 0..<u.count / D { for d in 0..<D { y[i * D + d] += skip.storage[d] * u[i * D + d] } }
      }
    }
    return LRUTrace(
      batch: B, steps: u.rows / B, inputs: u, projected: projected, states: states, statesReal: xRe, statesImaginary: xIm, outputs: y)
  }

  /// Back through the layer from dL/dy_t (T·B × D, zero rows where the loss does not read
  /// y_t). `record` sees dL/dx_t for t = T down to 0 as B × 2N reals (re, im per lane).
  @_specialize(where Scalar == Float) @_specialize(where Scalar == Double)
  public func backward(_ trace: LRUTrace<Scalar>, outputGradient dy: Matrix<Scalar>, record: BPTTRecorder<Scalar>? = nil) -> LRUGradients<Scalar> {
    let (B, N, u) = (trace.batch, lanes, trace.inputs)
    checkShapes(dy.rows == u.rows && dy.cols == width, "LRU backward (dy vs y)", dy, trace.outputs)
    var grads = zeroed()
    // y = Re(x C) + D ⊙ u:  dD = Σ dy ⊙ u,  du = dy ⊙ D,  dC_re = x_reᵀ dy,  dC_im = -x_imᵀ dy
    let D = width
    var du = Matrix<Scalar>(rows: u.rows, cols: D)
    du.storage.withUnsafeMutableBufferPointer { du in
      grads.skip.storage.withUnsafeMutableBufferPointer { dSkip in
        for i in 0..<u.rows {
          for d in 0..<D {
            let k = i * D + d
            dSkip[d] += dy.storage[k] * u.storage[k]
            du[k] = dy.storage[k] * skip.storage[d]
          }
        }
      }
    }
    grads.outputReal.gemm(trace.statesReal, transposeA: true, dy)
    grads.outputImaginary.gemm(trace.statesImaginary, transposeA: true, dy, alpha: -1)
    //   dx_re = dy C_reᵀ,  dx_im = -dy C_imᵀ
    let gRe = Matrix.product(dy, outputReal, transposeB: true)
    var gIm = Matrix.product(dy, outputImaginary, transposeB: true)
    gIm.scale(by: -1)
    var dx = [Complex<Scalar>](repeating: .zero, count: gRe.count)
    for k in 0..<gRe.count { dx[k] = Complex(gRe.storage[k], gIm.storage[k]) }
    // x_t = λ ⊙ x_{t-1} + b_t:  dλ = Σ conj(x_{t-1}) ⊙ dx_t,  dx_{t-1} += conj(λ) ⊙ dx_t,  db_t = dx_t
    let lambda = eigenvalues
    let back = DiagonalScan.backward(.shared(lambda), states: trace.states, gradients: &dx, batch: B, lanes: N, record: record)
    for j in 0..<N {
      // λ = exp(w), w = -e^ν + i e^θ:  dw = conj(λ) dλ,  dν = Re(dw)·(-e^ν),  dθ = Im(dw)·e^θ
      let dw = lambda[j].conjugate * back.coefficients[j]
      grads.nu[0, j] = dw.real * -realExp(nu[0, j])
      grads.theta[0, j] = dw.imaginary * realExp(theta[0, j])
    }
    // b = γ ⊙ P:  dγ = Σ Re(conj(P) db),  dγlog = γ dγ,  dP = γ db
    let gamma = gammas
    var (dpRe, dpIm) = (Matrix<Scalar>(rows: u.rows, cols: N), Matrix<Scalar>(rows: u.rows, cols: N))
    dpRe.storage.withUnsafeMutableBufferPointer { dpRe in
      dpIm.storage.withUnsafeMutableBufferPointer { dpIm in
        grads.gammaLog.storage.withUnsafeMutableBufferPointer { dGammaLog in
          for row in 0..<u.rows {
            for j in 0..<N {
              let k = row * N + j
              dGammaLog[j] += gamma[j] * (trace.projected[k].conjugate * dx[k]).real
              dpRe[k] = gamma[j] * dx[k].real
              dpIm[k] = gamma[j] * dx[k].imaginary
            }
          }
        }
      }
    }
    // P = u B_re + i u B_im:  dB_re = uᵀ Re(dP),  dB_im = uᵀ Im(dP),  du += Re(dP) B_reᵀ + Im(dP) B_imᵀ
    grads.inputReal.gemm(u, transposeA: true, dpRe)
    grads.inputImaginary.gemm(u, transposeA: true, dpIm)
    du.gemm(dpRe, inputReal, transposeB: true, beta: 1)
    du.gemm(dpIm, inputImaginary, transposeB: true, beta: 1)
    return LRUGradients(parameters: grads, inputs: du, initialState: back.initial)
  }

  /// The real and imaginary parts of `rows` × N complex values as two matrices.
  func realAndImaginary(_ values: ArraySlice<Complex<Scalar>>, rows: Int) -> (Matrix<Scalar>, Matrix<Scalar>) {
    precondition(values.count == rows * lanes, "LRU: \(values.count) states for \(rows) rows × \(lanes) lanes")
    var (re, im) = (Matrix<Scalar>(uninitializedRows: rows, cols: lanes), Matrix<Scalar>(uninitializedRows: rows, cols: lanes))
    withMutableStorage(&re, &im) { re, im in
      values.withUnsafeBufferPointer { z in
        guard let re, let im else { return }
        for k in 0..<z.count { (re[k], im[k]) = (z[k].real, z[k].imaginary) }
      }
    }
    return (re, im)
  }
}

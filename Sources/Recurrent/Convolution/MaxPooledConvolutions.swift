import Linalg
import SeededRandom

/// Parallel 1-D convolutions over time of several widths, each followed by ReLU and a max
/// over time (Kim 2014's text CNN feature layer), with a hand-written backward pass.
///
/// For width k (filters F, input E, valid positions P = T - k + 1, stride 1, no padding):
///
///     z[p, b, f] = Σ_{j<k} x[p + j, b] · K_j[:, f] + bias[f]        p = 0..<P
///     a = relu(z),   y[b, f] = max_p a[p, b, f]
///
/// The input is time-major (T·B × E, row t·B + b, as `Embedding` returns it), so the rows
/// of timesteps p + j for every p form one contiguous block: each K_j is one GEMM.
/// `kernel` stacks the widths' K_j (rows Σ_k k·E, F columns: width k's block, then j, then
/// e), `bias` holds one F-block per width; the output is B × (widths·F), one F-block per
/// width. Keras initialisation per width: glorot-uniform over fan-in k·E and fan-out k·F,
/// zero bias. Parameter gradients add over positions and the batch.
public struct MaxPooledConvolutions<Scalar: BLASScalar>: Sendable {
  public let widths: [Int]
  public let filters: Int
  /// (Σ widths)·E × F.
  public var kernel: Matrix<Scalar>
  /// 1 × (widths.count·F).
  public var bias: Matrix<Scalar>

  public init(inputSize E: Int, widths: [Int], filters F: Int, using rng: inout SeededGenerator) {
    precondition(!widths.isEmpty && widths.allSatisfy { $0 >= 1 } && F >= 1 && E >= 1, "convolutions need widths >= 1, filters >= 1, input >= 1; got \(widths), \(F), \(E)")
    self.widths = widths
    self.filters = F
    var blocks = Matrix<Scalar>(rows: widths.reduce(0, +) * E, cols: F)
    var row = 0
    for k in widths {
      let limit = (6.0 / Double(k * E + k * F)).squareRoot()
      let block: Matrix<Scalar> = Initializer.uniform(rows: k * E, cols: F, limit: limit, using: &rng)
      blocks.storage.replaceSubrange((row * F)..<((row + k * E) * F), with: block.storage)
      row += k * E
    }
    kernel = blocks
    bias = Matrix(rows: 1, cols: widths.count * F)
  }

  public init(widths: [Int], kernel: Matrix<Scalar>, bias: Matrix<Scalar>) {
    let F = kernel.cols
    precondition(!widths.isEmpty && kernel.rows % widths.reduce(0, +) == 0, "convolution kernel \(kernel.shape) does not stack widths \(widths)")
    precondition(bias.rows == 1 && bias.cols == widths.count * F, "convolution bias \(bias.shape), expected 1x\(widths.count * F)")
    self.widths = widths
    self.filters = F
    self.kernel = kernel
    self.bias = bias
  }

  public var inputSize: Int { kernel.rows / widths.reduce(0, +) }
  public var outputSize: Int { widths.count * filters }

  /// What backward needs: the input and, per output (b, width block w, f), the maximising
  /// position and its pre-activation z.
  public struct Pass: Sendable {
    public let input: Matrix<Scalar>
    public let batch: Int
    /// B × (widths·F): y = relu(max_p z).
    public let output: Matrix<Scalar>
    /// B × (widths·F): argmax_p z (the first maximum).
    public let argmax: [Int32]
  }

  /// x: T·B × E, time-major. Needs T ≥ the widest width.
  public func forward(_ x: Matrix<Scalar>, batch B: Int) -> Pass {
    let E = inputSize
    precondition(B > 0 && x.rows % B == 0 && x.cols == E, "convolutions: input \(x.shape) is not T·\(B) × \(E)")
    let T = x.rows / B
    precondition(T >= (widths.max() ?? 1), "convolutions: \(T) timesteps are fewer than the widest filter \(widths.max() ?? 1)")
    let (F, W) = (filters, widths.count)
    var output = Matrix<Scalar>(rows: B, cols: W * F)
    var argmax = [Int32](repeating: 0, count: B * W * F)
    var kernelRow = 0
    for (w, k) in widths.enumerated() {
      let P = T - k + 1
      // z = Σ_j x[j·B ..< (j+P)·B] · K_j, then + bias
      var z = Matrix<Scalar>(uninitializedRows: P * B, cols: F)
      x.storage.withUnsafeBufferPointer { px in
        kernel.storage.withUnsafeBufferPointer { pk in
          z.storage.withUnsafeMutableBufferPointer { pz in
            guard let xs = px.baseAddress, let ks = pk.baseAddress, let zs = pz.baseAddress else { return }
            for j in 0..<k {
              Scalar.gemm(
                transposeA: false, transposeB: false, m: P * B, n: F, k: E, alpha: 1,
                a: xs + j * B * E, lda: E, b: ks + (kernelRow + j * E) * F, ldb: F,
                beta: j == 0 ? 0 : 1, c: zs, ldc: F)
            }
          }
        }
      }
      // y[b, f] = relu(max_p z[p, b, f] + bias[f]): relu and max commute.
      for b in 0..<B {
        for f in 0..<F {
          var (best, at) = (z[b, f], 0)
          for p in 1..<max(P, 1) where z[p * B + b, f] > best { (best, at) = (z[p * B + b, f], p) }
          let column = w * F + f
          output[b, column] = max(best + bias[0, column], 0)
          argmax[b * W * F + column] = Int32(at)
        }
      }
      kernelRow += k * E
    }
    return Pass(input: x, batch: B, output: output, argmax: argmax)
  }

  /// Gradients from dL/dy (B × widths·F). Only each output's maximising position receives
  /// gradient, and only where relu is active (y > 0):
  ///
  ///     dbias[f] += dy[b, f],   dK_j[:, f] += x[p* + j, b]ᵀ dy[b, f],   dx[p* + j, b] += dy[b, f] K_j[:, f]ᵀ
  ///
  /// Returns (dK, dbias, dx) with dx time-major like the input.
  public func backward(_ pass: Pass, outputGradient dy: Matrix<Scalar>) -> (kernel: Matrix<Scalar>, bias: Matrix<Scalar>, input: Matrix<Scalar>) {
    let (B, E, F, W) = (pass.batch, inputSize, filters, widths.count)
    precondition(dy.rows == B && dy.cols == W * F, "convolutions backward: gradient \(dy.shape), expected \(B)x\(W * F)")
    var dK = Matrix<Scalar>(rows: kernel.rows, cols: F)
    var dBias = Matrix<Scalar>(rows: 1, cols: W * F)
    var dx = Matrix<Scalar>(rows: pass.input.rows, cols: E)
    var kernelRow = 0
    for (w, k) in widths.enumerated() {
      for b in 0..<B {
        for f in 0..<F {
          let column = w * F + f
          let g = dy[b, column]
          guard pass.output[b, column] > 0, g != 0 else { continue }  // relu inactive: no gradient
          dBias[0, column] += g
          let p = Int(pass.argmax[b * W * F + column])
          for j in 0..<k {
            let (inputRow, kRow) = ((p + j) * B + b, kernelRow + j * E)
            for e in 0..<E {
              dK[kRow + e, f] += pass.input[inputRow, e] * g
              dx[inputRow, e] += kernel[kRow + e, f] * g
            }
          }
        }
      }
      kernelRow += k * E
    }
    return (dK, dBias, dx)
  }
}

import Linalg
import SeededRandom

/// Fully connected layer y = x W + b. x: B × I, W: I × O, b: 1 × O.
/// Keras initialisation: glorot-uniform W, zero b.
public struct Dense<Scalar: BLASScalar>: Sendable {
  public var weight: Matrix<Scalar>
  public var bias: Matrix<Scalar>

  public init(inputSize: Int, outputSize: Int, using rng: inout SeededGenerator) {
    weight = Initializer.glorotUniform(rows: inputSize, cols: outputSize, using: &rng)
    bias = Matrix(rows: 1, cols: outputSize)
  }

  public init(weight: Matrix<Scalar>, bias: Matrix<Scalar>) {
    precondition(bias.rows == 1 && bias.cols == weight.cols, "Dense: bias \(bias.shape) does not fit weight \(weight.shape)")
    self.weight = weight
    self.bias = bias
  }

  // y = x W + b
  public func forward(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
    checkShapes(x.cols == weight.rows, "Dense forward (x · W)", x, weight)
    var y = Matrix<Scalar>(rows: x.rows, cols: weight.cols)
    y.gemm(x, weight)
    y.addRowVector(bias)
    return y
  }

  /// dW = xᵀ dy, db = Σ_rows dy, dx = dy Wᵀ. Returns (dW, db, dx).
  public func backward(_ x: Matrix<Scalar>, outputGradient dy: Matrix<Scalar>) -> (weight: Matrix<Scalar>, bias: Matrix<Scalar>, input: Matrix<Scalar>) {
    checkShapes(dy.rows == x.rows && dy.cols == weight.cols, "Dense backward (dy vs x)", dy, x)
    let dW = Matrix.product(x, transposeA: true, dy)
    let dx = Matrix.product(dy, weight, transposeB: true)
    return (dW, dy.columnSums(), dx)
  }
}

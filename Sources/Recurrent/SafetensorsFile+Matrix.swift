import Linalg
import Storage

/// Matrices in safetensors files: shape `[rows, cols]` in row-major order (PyTorch's layout
/// of a 2-D tensor), in `S.safetensorsDType` (F32 or F64).
extension SafetensorsFile {
  /// Stores `m` as a 2-D tensor of shape `[rows, cols]`.
  public mutating func set<S: BLASScalar>(_ name: String, _ m: Matrix<S>) {
    setTensor(name, dtype: S.safetensorsDType, shape: [m.rows, m.cols], values: m.storage)
  }

  /// Stores the elements of `m` as a 1-D tensor of shape `[count]`, the layout PyTorch uses
  /// for biases.
  public mutating func setVector<S: BLASScalar>(_ name: String, _ m: Matrix<S>) {
    setTensor(name, dtype: S.safetensorsDType, shape: [m.count], values: m.storage)
  }

  /// The tensor `name` as a matrix of `S`: shape `[n]` becomes 1 × n, `[r, c]` becomes r × c.
  /// F32, F64, F16 and BF16 convert to `S` (rounding when `S` is narrower).
  public func matrix<S: BLASScalar>(_ name: String, as: S.Type = S.self) throws -> Matrix<S> {
    let found = try elements(name, as: S.self)
    return Matrix(rows: found.rows, cols: found.cols, storage: found.values)
  }

  /// The tensor `name` as a `rows` × `cols` matrix of `S`; throws `shapeMismatch` when the
  /// stored shape is anything else (a 1-D `[cols]` tensor matches `rows == 1`).
  public func matrix<S: BLASScalar>(_ name: String, rows: Int, cols: Int) throws -> Matrix<S> {
    Matrix(rows: rows, cols: cols, storage: try elements(name, rows: rows, cols: cols, as: S.self))
  }
}

import Foundation

/// An in-memory set of named tensors in the safetensors layout, the checkpoint format shared
/// with PyTorch and Keras.
///
/// On disk: an 8-byte little-endian header length N, N bytes of JSON header
/// `{"name": {"dtype": "F32", "shape": [r, c], "data_offsets": [begin, end]}, ...,
/// "__metadata__": {"key": "value"}}` (offsets count from the first byte after the header,
/// which may be padded with spaces), then the raw little-endian tensor bytes.
///
/// Matrices are stored as shape `[rows, cols]` in row-major order, PyTorch's layout for a
/// 2-D tensor; `setVector` stores a 1 × n matrix as the 1-D `[n]` that PyTorch uses for
/// biases. Reading accepts F32, F64, F16 and BF16 tensors and converts them to the requested
/// scalar type.
public struct SafetensorsFile {
  /// One tensor: its dtype name ("F32", "F64", ...), its shape, and its little-endian bytes.
  public struct Tensor: Equatable, Sendable {
    public var dtype: String
    public var shape: [Int]
    public var bytes: [UInt8]

    public init(dtype: String, shape: [Int], bytes: [UInt8]) {
      self.dtype = dtype
      self.shape = shape
      self.bytes = bytes
    }
  }

  public var tensors: [String: Tensor] = [:]
  /// The header's `__metadata__`: free-form string pairs (configuration, provenance).
  public var metadata: [String: String] = [:]
  /// Where the tensors came from, for error messages: the file path once read.
  var source = "(in memory)"

  public init() {}

  /// Stores `m` as a 2-D tensor of shape `[rows, cols]` in `S.safetensorsDType`.
  public mutating func set<S: BLASScalar>(_ name: String, _ m: Matrix<S>) {
    tensors[name] = Tensor(
      dtype: S.safetensorsDType, shape: [m.rows, m.cols], bytes: SafetensorsDType.encode(m.storage))
  }

  /// Stores the elements of `m` as a 1-D tensor of shape `[count]`, the layout PyTorch uses
  /// for biases.
  public mutating func setVector<S: BLASScalar>(_ name: String, _ m: Matrix<S>) {
    tensors[name] = Tensor(
      dtype: S.safetensorsDType, shape: [m.count], bytes: SafetensorsDType.encode(m.storage))
  }

  /// The tensor `name` as a matrix of `S`: shape `[n]` becomes 1 × n, `[r, c]` becomes r × c.
  /// F32, F64, F16 and BF16 convert to `S` (rounding when `S` is narrower).
  public func matrix<S: BLASScalar>(_ name: String, as: S.Type = S.self) throws -> Matrix<S> {
    let tensor = try self.tensor(name)
    let (rows, cols): (Int, Int)
    switch tensor.shape.count {
    case 1: (rows, cols) = (1, tensor.shape[0])
    case 2: (rows, cols) = (tensor.shape[0], tensor.shape[1])
    default:
      throw SafetensorsError.unsupportedRank(
        file: source, tensor: name, dtype: tensor.dtype, shape: tensor.shape)
    }
    try check(name, tensor)
    guard let values = SafetensorsDType.decode(tensor.bytes, dtype: tensor.dtype, as: S.self)
    else {
      throw SafetensorsError.notFloatingPoint(
        file: source, tensor: name, dtype: tensor.dtype, shape: tensor.shape)
    }
    return Matrix(rows: rows, cols: cols, storage: values)
  }

  /// The tensor `name` as a `rows` × `cols` matrix of `S`; throws `shapeMismatch` when the
  /// stored shape is anything else (a 1-D `[cols]` tensor matches `rows == 1`).
  public func matrix<S: BLASScalar>(_ name: String, rows: Int, cols: Int) throws -> Matrix<S> {
    let m: Matrix<S> = try matrix(name)
    guard m.rows == rows, m.cols == cols else {
      let tensor = try self.tensor(name)
      throw SafetensorsError.shapeMismatch(
        file: source, tensor: name, dtype: tensor.dtype, shape: tensor.shape,
        expected: [rows, cols])
    }
    return m
  }

  /// The tensor `name`, or `missingTensor` listing the names present.
  private func tensor(_ name: String) throws -> Tensor {
    guard let tensor = tensors[name] else {
      throw SafetensorsError.missingTensor(
        file: source, tensor: name, available: tensors.keys.sorted())
    }
    return tensor
  }

  /// Checks that `tensor` has a known dtype, a non-negative shape and exactly
  /// dtype size × element count bytes.
  func check(_ name: String, _ tensor: Tensor) throws {
    guard let size = SafetensorsDType.byteSizes[tensor.dtype] else {
      throw SafetensorsError.unknownDType(file: source, tensor: name, dtype: tensor.dtype)
    }
    var expected = size
    for dimension in tensor.shape {
      let (product, overflow) = expected.multipliedReportingOverflow(by: dimension)
      guard dimension >= 0, !overflow else {
        throw SafetensorsError.malformedEntry(
          file: source, tensor: name,
          reason: "shape \(tensor.shape) is negative or too large")
      }
      expected = product
    }
    guard tensor.bytes.count == expected else {
      throw SafetensorsError.sizeMismatch(
        file: source, tensor: name, dtype: tensor.dtype, shape: tensor.shape,
        byteCount: tensor.bytes.count, expected: expected)
    }
  }
}

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

  /// Stores `values` as a tensor of `shape` in `dtype` ("F32" or "F64"); the matrix
  /// forms (`set`, `setVector`, `matrix`) are in Recurrent's `SafetensorsFile+Matrix.swift`.
  public mutating func setTensor<S: BinaryFloatingPoint>(_ name: String, dtype: String, shape: [Int], values: [S]) {
    tensors[name] = Tensor(dtype: dtype, shape: shape, bytes: SafetensorsDType.encode(values, dtype: dtype))
  }

  /// The elements of tensor `name` as `S`, with its shape as rows × cols: shape `[n]` becomes
  /// 1 × n, `[r, c]` becomes r × c. F32, F64, F16 and BF16 convert to `S` (rounding when `S`
  /// is narrower).
  public func elements<S: BinaryFloatingPoint>(_ name: String, as: S.Type = S.self) throws -> (
    rows: Int, cols: Int, values: [S]
  ) {
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
    return (rows, cols, values)
  }

  /// The elements of tensor `name` as `S`; throws `shapeMismatch` when its shape is not
  /// `rows` × `cols` (a 1-D `[cols]` tensor matches `rows == 1`).
  public func elements<S: BinaryFloatingPoint>(_ name: String, rows: Int, cols: Int, as: S.Type = S.self) throws -> [S] {
    let found = try elements(name, as: S.self)
    guard found.rows == rows, found.cols == cols else {
      let tensor = try self.tensor(name)
      throw SafetensorsError.shapeMismatch(
        file: source, tensor: name, dtype: tensor.dtype, shape: tensor.shape,
        expected: [rows, cols])
    }
    return found.values
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

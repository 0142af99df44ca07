/// Everything that can go wrong reading, writing or converting a safetensors file. Each
/// description names the file and, where one is involved, the tensor with its dtype and
/// shape, and says what was expected.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
  /// No file at the path.
  case fileMissing(file: String)
  /// The file exists but cannot be read, or the checkpoint cannot be written there.
  case ioFailed(file: String, reason: String)
  /// Fewer than the 8 bytes of the header length.
  case tooShort(file: String, byteCount: Int)
  /// The header length (the first 8 bytes) points past the end of the file.
  case headerLengthBeyondFile(file: String, headerLength: UInt64, available: Int)
  /// The header is not a JSON object.
  case headerNotJSON(file: String, reason: String)
  /// A header entry lacks a field, has one of the wrong type, or uses a reserved name.
  case malformedEntry(file: String, tensor: String, reason: String)
  /// A dtype that the safetensors format does not define.
  case unknownDType(file: String, tensor: String, dtype: String)
  /// `data_offsets` are reversed or end past the data section.
  case offsetsOutOfRange(
    file: String, tensor: String, offsets: [Int], dataByteCount: Int)
  /// Two tensors claim the same bytes.
  case overlappingTensors(file: String, first: String, second: String)
  /// The byte count differs from dtype size × number of elements.
  case sizeMismatch(
    file: String, tensor: String, dtype: String, shape: [Int], byteCount: Int, expected: Int)
  /// No tensor of that name; `available` lists the names present, sorted.
  case missingTensor(file: String, tensor: String, available: [String])
  /// The dtype is valid but not floating point, so it cannot become a `Matrix`.
  case notFloatingPoint(file: String, tensor: String, dtype: String, shape: [Int])
  /// The tensor is neither 1-D nor 2-D, so it cannot become a `Matrix`.
  case unsupportedRank(file: String, tensor: String, dtype: String, shape: [Int])
  /// The tensor's shape differs from the one the caller asked for.
  case shapeMismatch(file: String, tensor: String, dtype: String, shape: [Int], expected: [Int])

  public var description: String {
    switch self {
    case .fileMissing(let file):
      return "safetensors file \(file) not found"
    case .ioFailed(let file, let reason):
      return "safetensors file \(file): \(reason)"
    case .tooShort(let file, let count):
      return "safetensors file \(file) is too short: \(count) bytes, "
        + "expected at least 8 (the header length)"
    case .headerLengthBeyondFile(let file, let length, let available):
      return "safetensors file \(file) declares a \(length)-byte header, but only "
        + "\(available) bytes follow the length field (truncated or not a safetensors file)"
    case .headerNotJSON(let file, let reason):
      return "safetensors file \(file): header is not a JSON object: \(reason)"
    case .malformedEntry(let file, let tensor, let reason):
      let expected =
        tensor == SafetensorsHeaderEntry.metadataKey
        ? #"{"key": "value", ...} with string values"#
        : #"{"dtype": "F32", "shape": [rows, cols], "data_offsets": [begin, end]}"#
      return "safetensors file \(file): header entry '\(tensor)' is malformed: \(reason); "
        + "expected \(expected)"
    case .unknownDType(let file, let tensor, let dtype):
      return "safetensors file \(file): tensor '\(tensor)' has unknown dtype '\(dtype)'; "
        + "expected one of \(SafetensorsDType.allNames.joined(separator: ", "))"
    case .offsetsOutOfRange(let file, let tensor, let offsets, let count):
      return "safetensors file \(file): tensor '\(tensor)' has data_offsets \(offsets), "
        + "expected 0 <= begin <= end <= \(count) (the size of the data section)"
    case .overlappingTensors(let file, let first, let second):
      return "safetensors file \(file): tensors '\(first)' and '\(second)' overlap"
    case .sizeMismatch(let file, let tensor, let dtype, let shape, let count, let expected):
      return "safetensors file \(file): tensor '\(tensor)' (\(dtype), shape \(shape)) "
        + "holds \(count) bytes, expected \(expected)"
    case .missingTensor(let file, let tensor, let available):
      let names = available.isEmpty ? "none" : available.joined(separator: ", ")
      return "safetensors file \(file) has no tensor '\(tensor)'; tensors present: \(names)"
    case .notFloatingPoint(let file, let tensor, let dtype, let shape):
      return "safetensors file \(file): tensor '\(tensor)' (\(dtype), shape \(shape)) "
        + "is not floating point; expected one of "
        + SafetensorsDType.floatingPointNames.joined(separator: ", ")
    case .unsupportedRank(let file, let tensor, let dtype, let shape):
      return "safetensors file \(file): tensor '\(tensor)' (\(dtype), shape \(shape)) "
        + "cannot be a matrix; expected shape [count] or [rows, cols]"
    case .shapeMismatch(let file, let tensor, let dtype, let shape, let expected):
      return "safetensors file \(file): tensor '\(tensor)' (\(dtype)) has shape \(shape), "
        + "expected \(expected)"
    }
  }
}

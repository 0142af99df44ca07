/// The element types of the safetensors format: their sizes, and conversion of the
/// floating-point ones from little-endian bytes to a `BinaryFloatingPoint` type.
enum SafetensorsDType {
  /// Bytes per element of every dtype the format defines.
  static let byteSizes: [String: Int] = [
    "BOOL": 1, "U8": 1, "I8": 1, "F8_E4M3": 1, "F8_E5M2": 1,
    "U16": 2, "I16": 2, "F16": 2, "BF16": 2,
    "U32": 4, "I32": 4, "F32": 4,
    "U64": 8, "I64": 8, "F64": 8,
  ]
  static let allNames = byteSizes.keys.sorted()
  /// The dtypes `decode` converts.
  static let floatingPointNames = ["F64", "F32", "F16", "BF16"]

  /// The elements of `bytes` (little-endian `dtype`) converted to `S`, or nil when `dtype` is
  /// not one of `floatingPointNames`. `bytes.count` must be a multiple of the dtype's size.
  static func decode<S: BinaryFloatingPoint>(_ bytes: [UInt8], dtype: String, as: S.Type) -> [S]? {
    bytes.withUnsafeBytes { raw -> [S]? in
      func load<T: FixedWidthInteger>(_: T.Type, _ i: Int) -> T {
        T(littleEndian: raw.loadUnaligned(fromByteOffset: i * MemoryLayout<T>.size, as: T.self))
      }
      switch dtype {
      case "F64":
        return (0..<raw.count / 8).map { S(Double(bitPattern: load(UInt64.self, $0))) }
      case "F32":
        return (0..<raw.count / 4).map { S(Float(bitPattern: load(UInt32.self, $0))) }
      case "F16":
        return (0..<raw.count / 2).map { S(halfToFloat(load(UInt16.self, $0))) }
      case "BF16":
        // bfloat16 is the upper half of a float32.
        return (0..<raw.count / 2).map { S(Float(bitPattern: UInt32(load(UInt16.self, $0)) << 16)) }
      default:
        return nil
      }
    }
  }

  /// The little-endian bytes of `values`, in `dtype` (F32 or F64). Values already in that
  /// type on a little-endian machine are copied as they lie in memory (the same bytes).
  @_specialize(where S == Float) @_specialize(where S == Double)
  static func encode<S: BinaryFloatingPoint>(_ values: [S], dtype: String) -> [UInt8] {
    if 1.littleEndian == 1, (dtype == "F32" && S.self == Float.self) || (dtype == "F64" && S.self == Double.self) {
      return values.withUnsafeBytes { [UInt8]($0) }
    }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(values.count * MemoryLayout<S>.size)
    switch dtype {
    case "F64":
      for v in values { withUnsafeBytes(of: Double(v).bitPattern.littleEndian) { bytes += $0 } }
    case "F32":
      for v in values { withUnsafeBytes(of: Float(v).bitPattern.littleEndian) { bytes += $0 } }
    default:
      preconditionFailure("SafetensorsFile cannot encode \(S.self) as '\(dtype)'")
    }
    return bytes
  }

  /// IEEE 754 binary16 to Float (exact): sign, 5-bit exponent (bias 15), 10-bit fraction.
  static func halfToFloat(_ h: UInt16) -> Float {
    let sign: Float = h & 0x8000 == 0 ? 1 : -1
    let exponent = Int((h >> 10) & 0x1F)
    let fraction = Float(h & 0x3FF)
    switch exponent {
    case 0: return sign * fraction * 0x1p-24  // subnormal: fraction × 2^-24
    case 31: return fraction == 0 ? sign * .infinity : .nan
    default:
      return sign * (1 + fraction / 1024)
        * Float(sign: .plus, exponent: exponent - 15, significand: 1)
    }
  }
}

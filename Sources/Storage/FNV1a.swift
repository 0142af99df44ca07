/// FNV-1a with 64 bits: a fast checksum (not a cryptographic hash). Each byte is mixed in
/// by `h = (h XOR byte) * prime`, a bijection of h, so any single changed byte, and so any
/// bit flip, changes the result.
public struct FNV1a {
  public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  public init() {}

  /// Mixes in `bytes` in order: h = (h XOR byte) * prime. Each byte waits for the previous
  /// byte's multiply, so wider loads do not make it faster in a release build.
  public mutating func add(_ bytes: UnsafeRawBufferPointer) {
    var h = value
    for byte in bytes {
      h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
    }
    value = h
  }

  /// Mixes in the bytes of `array`'s elements (their in-memory, little-endian layout).
  public mutating func add<Element: BitwiseCopyable>(_ array: [Element]) {
    array.withUnsafeBytes { add($0) }
  }

  /// Mixes in the UTF-8 bytes of `text` and a 0 byte, so "ab", "c" differs from "a", "bc".
  public mutating func add(_ text: String) {
    add(Array(text.utf8) + [0])
  }

  /// The value as 16 hex digits.
  public var hex: String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 16 - digits.count) + digits
  }
}

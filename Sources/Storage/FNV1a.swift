/// FNV-1a with 64 bits: a fast checksum (not a cryptographic hash). Each byte is mixed in
/// by `h = (h XOR byte) * prime`, a bijection of h, so any single changed byte, and so any
/// bit flip, changes the result.
public struct FNV1a {
  public private(set) var value: UInt64 = 0xcbf2_9ce4_8422_2325

  public init() {}

  /// Mixes in `bytes` in order, loaded 8 at a time (one unaligned little-endian word, its bytes
  /// mixed in from the lowest): the same value as one byte at a time, with an eighth of the
  /// loads and loop steps.
  /// - Complexity: O(n); each byte waits for the previous byte's multiply, so the loop runs at
  ///   about one multiply's latency per byte however the bytes are loaded.
  public mutating func add(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    let prime: UInt64 = 0x0000_0100_0000_01b3
    var h = value
    var i = 0
    while i + 8 <= bytes.count {
      let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: i, as: UInt64.self))
      // h = (h XOR byte) * prime for the word's 8 bytes, lowest first (written out: a loop
      // over the shifts runs 25 times slower in a debug build)
      h = (h ^ (word & 0xff)) &* prime
      h = (h ^ (word >> 8 & 0xff)) &* prime
      h = (h ^ (word >> 16 & 0xff)) &* prime
      h = (h ^ (word >> 24 & 0xff)) &* prime
      h = (h ^ (word >> 32 & 0xff)) &* prime
      h = (h ^ (word >> 40 & 0xff)) &* prime
      h = (h ^ (word >> 48 & 0xff)) &* prime
      h = (h ^ (word >> 56)) &* prime
      i += 8
    }
    while i < bytes.count {
      h = (h ^ UInt64(base.load(fromByteOffset: i, as: UInt8.self))) &* prime
      i += 1
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

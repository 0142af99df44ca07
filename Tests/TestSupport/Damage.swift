import Linalg
import SeededRandom

/// Seeded damage for fuzz-style tests: truncations and bit flips of a valid file.
public enum Damage {
  /// `count` damaged copies of `bytes`, the same for the same seed: half cut at a random
  /// length (0 ..< count), half with one to four random bits flipped. Each comes with a
  /// description for the failure message.
  public static func variants(of bytes: [UInt8], count: Int, seed: UInt64) -> [(what: String, bytes: [UInt8])] {
    var rng = SeededGenerator(seed: seed)
    return (0..<count).map { i in
      if i % 2 == 0 {
        let length = rng.index(below: bytes.count)
        return ("cut to \(length) of \(bytes.count) bytes", Array(bytes[..<length]))
      }
      var damaged = bytes
      var flips: [String] = []
      for _ in 0...rng.index(below: 4) {
        let (byte, bit) = (rng.index(below: bytes.count), rng.index(below: 8))
        damaged[byte] ^= 1 << bit
        flips.append("byte \(byte) bit \(bit)")
      }
      return ("flipped " + flips.joined(separator: ", "), damaged)
    }
  }
}

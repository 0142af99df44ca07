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

  /// `count` damaged copies of a tab-separated table, the same for the same seed, in turn:
  /// CRLF line ends (the same table), a cut at a random byte, a random field set to NaN,
  /// and random binary bytes written over a random place.
  public static func tableVariants(of text: String, count: Int, seed: UInt64) -> [(what: String, bytes: [UInt8], sameTable: Bool)] {
    var rng = SeededGenerator(seed: seed)
    let bytes = Array(text.utf8)
    return (0..<count).map { i in
      switch i % 4 {
      case 0:
        return ("CRLF line ends", Array(text.replacingOccurrences(of: "\n", with: "\r\n").utf8), true)
      case 1:
        let length = rng.index(below: bytes.count)
        return ("cut to \(length) of \(bytes.count) bytes", Array(bytes[..<length]), false)
      case 2:
        var lines = text.split(separator: "\n").map { $0.split(separator: "\t", omittingEmptySubsequences: false).map(String.init) }
        let line = 1 + rng.index(below: max(lines.count - 1, 1))
        guard line < lines.count else { return ("unchanged (no row)", bytes, true) }
        let field = rng.index(below: lines[line].count)
        lines[line][field] = "NaN"
        return ("NaN in line \(line + 1) field \(field + 1)", Array((lines.map { $0.joined(separator: "\t") }.joined(separator: "\n") + "\n").utf8), false)
      default:
        var damaged = bytes
        let start = rng.index(below: bytes.count)
        for j in start..<min(bytes.count, start + 1 + rng.index(below: 16)) { damaged[j] = UInt8(truncatingIfNeeded: rng.next()) }
        return ("binary bytes from byte \(start)", damaged, false)
      }
    }
  }
}

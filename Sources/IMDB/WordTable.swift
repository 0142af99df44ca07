import Foundation

/// Interns words given as UTF-8 bytes: each distinct byte string gets a dense id 0, 1, 2...
/// in order of first appearance. Words are compared byte for byte (no Unicode
/// normalisation), so the vocabulary does not depend on how Swift compares strings.
///
/// An open-addressing hash table (FNV-1a, linear probing, at most half full) over one
/// contiguous byte store.
struct WordTable: Sendable {
  /// All words back to back.
  private var storage: [UInt8] = []
  /// `ends[i]` is one past the last byte of word i; word i starts at `ends[i - 1]` (or 0).
  private var ends: [Int] = []
  /// Word id per slot, -1 for an empty slot; the count is a power of two.
  private var slots = [Int32](repeating: -1, count: 1 << 10)

  /// The number of distinct words.
  var count: Int { ends.count }

  /// The id of `word`, adding it if it is new.
  ///
  /// - Complexity: O(word.count) expected.
  mutating func intern(_ word: UnsafeBufferPointer<UInt8>) -> Int32 {
    let (slot, found) = probe(word)
    if let found { return found }
    let id = Int32(count)
    storage.append(contentsOf: word)
    ends.append(storage.count)
    slots[slot] = id
    if count * 2 > slots.count { grow() }
    return id
  }

  /// The id of `word`, or nil if it was never interned.
  func find(_ word: UnsafeBufferPointer<UInt8>) -> Int32? {
    probe(word).found
  }

  /// The bytes of word `id`.
  func bytes(of id: Int) -> ArraySlice<UInt8> {
    storage[(id == 0 ? 0 : ends[id - 1])..<ends[id]]
  }

  /// Whether word `a` sorts before word `b` in byte order.
  func precedes(_ a: Int, _ b: Int) -> Bool {
    bytes(of: a).lexicographicallyPrecedes(bytes(of: b))
  }

  /// The slot holding `word` and its id, or the empty slot where it would go.
  private func probe(_ word: UnsafeBufferPointer<UInt8>) -> (slot: Int, found: Int32?) {
    let mask = slots.count - 1
    var slot = Self.hash(word) & mask
    return storage.withUnsafeBufferPointer { store in
      slots.withUnsafeBufferPointer { slots in
        while true {
          let id = slots[slot]
          if id < 0 { return (slot, nil) }
          let end = ends[Int(id)]
          let start = id == 0 ? 0 : ends[Int(id) - 1]
          if end - start == word.count,
            let stored = store.baseAddress, let probe = word.baseAddress,
            memcmp(stored + start, probe, word.count) == 0
          {
            return (slot, id)
          }
          slot = (slot + 1) & mask
        }
      }
    }
  }

  /// Doubles the slot count and reinserts every word.
  private mutating func grow() {
    slots = [Int32](repeating: -1, count: slots.count * 2)
    let mask = slots.count - 1
    for id in 0..<count {
      var slot = bytes(of: id).withUnsafeBufferPointer { Self.hash($0) } & mask
      while slots[slot] >= 0 { slot = (slot + 1) & mask }
      slots[slot] = Int32(id)
    }
  }

  /// 64-bit FNV-1a, folded so the low bits used for the slot depend on every byte.
  @inline(__always)
  private static func hash(_ word: UnsafeBufferPointer<UInt8>) -> Int {
    var h: UInt64 = 0xcbf2_9ce4_8422_2325
    for byte in word { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
    return Int(truncatingIfNeeded: h ^ (h >> 29))
  }
}

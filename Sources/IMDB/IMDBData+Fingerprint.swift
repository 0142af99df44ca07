import Storage

extension IMDBData {
  /// An FNV-1a checksum of the encoded data (every split's tokens and labels, and the
  /// vocabulary), as "fnv1a64:<16 hex digits>": two loads give the same fingerprint exactly
  /// when they give the same data, wherever the archive lies.
  public var fingerprint: String {
    var hash = FNV1a()
    for split in [train, validation, test] {
      hash.add([split.count, split.length])
      hash.add(split.tokens)
      hash.add(split.labels)
    }
    for word in vocabulary { hash.add(word) }
    return "fnv1a64:" + hash.hex
  }
}

extension SafetensorsFile {
  /// The metadata key of `checksum`.
  public static let checksumKey = "checksum"

  /// An FNV-1a checksum of every tensor (name, dtype, shape and bytes, in name order), as
  /// "fnv1a64:<16 hex digits>". Checkpoints written before `checksum` store it as
  /// `tensor_checksum`.
  public var tensorChecksum: String {
    var hash = FNV1a()
    addTensors(to: &hash)
    return "fnv1a64:" + hash.hex
  }

  /// An FNV-1a checksum of the whole file's contents: every tensor as in `tensorChecksum`,
  /// then every metadata entry but `checksum` itself (key and value, in key order). Stored
  /// under `checksum`, it reveals a damaged header (a changed epoch, a changed setting) as
  /// well as damaged tensor data.
  public var checksum: String {
    var hash = FNV1a()
    addTensors(to: &hash)
    for (key, value) in metadata.sorted(by: { $0.key < $1.key }) where key != Self.checksumKey {
      hash.add(key)
      hash.add(value)
    }
    return "fnv1a64:" + hash.hex
  }

  private func addTensors(to hash: inout FNV1a) {
    for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
      hash.add(name)
      hash.add(tensor.dtype)
      hash.add(tensor.shape)
      hash.add(tensor.bytes)
    }
  }

  /// Why the stored checksum does not match the contents, or nil when it does. A file with
  /// `checksum` is checked whole; an older one with only `tensor_checksum` on its tensors
  /// (its metadata is then trusted); a file with neither is not checked.
  public var checksumProblem: String? {
    if let stored = metadata[Self.checksumKey] {
      let computed = checksum
      return stored == computed ? nil : "its contents do not match their checksum (\(stored) stored, \(computed) computed)"
    }
    if let stored = metadata["tensor_checksum"] {
      let computed = tensorChecksum
      return stored == computed ? nil : "its tensor data do not match their checksum (\(stored) stored, \(computed) computed)"
    }
    return nil
  }

  /// The first tensor (in name order) holding a NaN or an infinity, with the element's
  /// index, or nil when every floating-point tensor is finite.
  public func firstNonFinite() -> (tensor: String, index: Int)? {
    for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
      guard let values = SafetensorsDType.decode(tensor.bytes, dtype: tensor.dtype, as: Double.self) else { continue }
      if let index = values.firstIndex(where: { !$0.isFinite }) { return (name, index) }
    }
    return nil
  }
}

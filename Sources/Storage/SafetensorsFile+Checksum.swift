extension SafetensorsFile {
  /// An FNV-1a checksum of every tensor (name, dtype, shape and bytes, in name order), as
  /// "fnv1a64:<16 hex digits>": stored in a file's metadata, it reveals a damaged file.
  public var tensorChecksum: String {
    var hash = FNV1a()
    for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) {
      hash.add(name)
      hash.add(tensor.dtype)
      hash.add(tensor.shape)
      hash.add(tensor.bytes)
    }
    return "fnv1a64:" + hash.hex
  }
}

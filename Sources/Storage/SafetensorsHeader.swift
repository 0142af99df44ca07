/// The JSON header of a safetensors file, as the format spells it.

/// One value of the JSON header: a tensor's description, or the `__metadata__` table.
enum SafetensorsHeaderEntry: Codable {
  /// The header key that holds free-form metadata instead of a tensor.
  static let metadataKey = "__metadata__"

  case tensor(SafetensorsTensorHeader)
  case metadata([String: String])

  init(from decoder: Decoder) throws {
    if decoder.codingPath.last?.stringValue == Self.metadataKey {
      self = .metadata(try [String: String](from: decoder))
    } else {
      self = .tensor(try SafetensorsTensorHeader(from: decoder))
    }
  }

  func encode(to encoder: Encoder) throws {
    switch self {
    case .tensor(let header): try header.encode(to: encoder)
    case .metadata(let metadata): try metadata.encode(to: encoder)
    }
  }
}

/// A tensor's header entry, as the format spells it.
struct SafetensorsTensorHeader: Codable {
  var dtype: String
  var shape: [Int]
  var dataOffsets: [Int]

  enum CodingKeys: String, CodingKey {
    case dtype, shape
    case dataOffsets = "data_offsets"
  }
}

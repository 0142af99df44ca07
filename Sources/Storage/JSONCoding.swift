import Foundation

/// Pretty JSON with sorted keys and non-finite numbers as strings, for run descriptions,
/// results and records.
extension JSONEncoder {
  public static var pretty: JSONEncoder {
    let encoder = compact
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    return encoder
  }

  /// The same on one line (for a value inside a file's metadata).
  public static var compact: JSONEncoder {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return encoder
  }
}

extension JSONDecoder {
  /// Reads the "nan"/"inf" strings `JSONEncoder.pretty` writes for non-finite numbers.
  public static var tolerant: JSONDecoder {
    let decoder = JSONDecoder()
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
    return decoder
  }
}

import Foundation

/// A number as the prose prints it, and how precisely: "1.66e-7" is 1.66e-7 ± 0.005e-7,
/// "0.313" is ± 0.0005, "4,000" is ± 500 (trailing zeros of an integer are not significant),
/// "10^14" or "10¹⁴" is a power of ten whose exponent is ± 0.5. A trailing "%" or "×" and a
/// leading "≈" or "about" are read past; "−" counts as a minus sign.
public struct PrintedNumber: Equatable, Sendable {
  public let value: Double
  /// Half a unit in the last printed digit: the printed value is right when the true value
  /// lies within it. For a power of ten it applies to the exponent.
  public let halfUnit: Double
  public let isPowerOfTen: Bool

  public init?(_ text: String) {
    var s = text.trimmingCharacters(in: .whitespaces)
    for prefix in ["≈", "~", "about "] where s.hasPrefix(prefix) { s = String(s.dropFirst(prefix.count)) }
    for suffix in ["%", "×", "x"] where s.hasSuffix(suffix) { s = String(s.dropLast(suffix.count)) }
    s = s.replacingOccurrences(of: "−", with: "-").replacingOccurrences(of: " ", with: "")
    s = Self.replacingSuperscripts(s)
    if s.hasPrefix("10^") {
      guard let exponent = Self.plain(String(s.dropFirst(3))) else { return nil }
      self.value = pow(10, exponent.value)
      self.halfUnit = exponent.halfUnit
      self.isPowerOfTen = true
      return
    }
    var mantissa = s
    var exponent = 0.0
    for separator in ["×10^", "x10^", "e", "E"] {
      if let range = s.range(of: separator), range.lowerBound != s.startIndex {
        guard let e = Double(s[range.upperBound...]) else { return nil }
        mantissa = String(s[..<range.lowerBound])
        exponent = e
        break
      }
    }
    guard let m = Self.plain(mantissa) else { return nil }
    let scale = pow(10, exponent)
    self.value = m.value * scale
    self.halfUnit = m.halfUnit * scale
    self.isPowerOfTen = false
  }

  /// True when `measured` rounds to this printed number.
  public func matches(_ measured: Double) -> Bool {
    guard measured.isFinite, value.isFinite else { return measured.isNaN && value.isNaN }
    if isPowerOfTen {
      guard measured > 0 else { return false }
      return abs(log10(measured) - log10(value)) <= halfUnit * (1 + 1e-9)
    }
    return abs(measured - value) <= halfUnit * (1 + 1e-9) + abs(value) * 1e-12
  }

  /// Digits with an optional sign, thousands commas and decimal point.
  private static func plain(_ text: String) -> (value: Double, halfUnit: Double)? {
    let digits = text.replacingOccurrences(of: ",", with: "")
    guard !digits.isEmpty, digits.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" }),
      let value = Double(digits)
    else { return nil }
    if let dot = digits.firstIndex(of: ".") {
      let decimals = digits.distance(from: dot, to: digits.endIndex) - 1
      return (value, 0.5 * pow(10, -Double(decimals)))
    }
    let trailingZeros = digits.reversed().prefix(while: { $0 == "0" }).count
    let zeros = value == 0 ? 0 : trailingZeros
    return (value, 0.5 * pow(10, Double(zeros)))
  }

  private static func replacingSuperscripts(_ s: String) -> String {
    let map: [Character: String] = [
      "⁰": "0", "¹": "1", "²": "2", "³": "3", "⁴": "4", "⁵": "5", "⁶": "6", "⁷": "7", "⁸": "8", "⁹": "9",
      "⁻": "-", "⁺": "+",
    ]
    var out = ""
    var previousWasSuperscript = false
    for ch in s {
      if let digit = map[ch] {
        if !previousWasSuperscript { out += "^" }
        out += digit
        previousWasSuperscript = true
      } else {
        out.append(ch)
        previousWasSuperscript = false
      }
    }
    return out
  }
}

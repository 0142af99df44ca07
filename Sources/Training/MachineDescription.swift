import Foundation
import Linalg

/// What computed a result: float training is chaotic, so the same seed gives the same
/// numbers only on the same CPU model and BLAS kernels. Recorded in results.json.
public enum MachineDescription {
  /// The CPU's model name ("AMD EPYC", "Intel(R) Xeon(R) ..."), from /proc/cpuinfo on
  /// Linux; "unknown" where that is not available.
  public static var cpuModel: String {
    guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
    for line in text.split(separator: "\n") where line.hasPrefix("model name") {
      if let colon = line.firstIndex(of: ":") {
        return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
      }
    }
    return "unknown"
  }
}

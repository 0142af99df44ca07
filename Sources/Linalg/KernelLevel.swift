import PointwiseKernels

/// The vector width Float training's pointwise kernels (tanh, σ, the fused LSTM step and its
/// backward, Adam) run at, picked at run time for the CPU. Every level gives the same bits.
public enum KernelLevel: Int, CaseIterable, Sendable, Codable, CustomStringConvertible {
  /// 128 bits: baseline x86-64 (SSE2), arm64 (NEON).
  case portable
  /// 256 bits.
  case avx2
  /// 512 bits.
  case avx512

  /// The level in use: the CPU's best unless `use` chose another.
  public static var current: KernelLevel { KernelLevel(rawValue: Int(gradlab_kernels_level())) ?? .portable }

  /// Uses `level` from now on (nil: the CPU's best; a level the CPU cannot run falls back to
  /// its best) and returns the level in effect.
  @discardableResult
  public static func use(_ level: KernelLevel?) -> KernelLevel {
    KernelLevel(rawValue: Int(gradlab_kernels_use_level(Int32(level?.rawValue ?? -1)))) ?? .portable
  }

  /// "portable", "avx2", "avx512".
  public var description: String {
    switch self {
    case .portable: "portable"
    case .avx2: "avx2"
    case .avx512: "avx512"
    }
  }
}

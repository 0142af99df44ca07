#if canImport(Accelerate)
  import Accelerate
#else
  import CBLAS
#endif
import CPUControl
import Foundation

/// What the BLAS library is doing at run time, and the switches for it.
public enum BLASRuntime {
  /// The kernel family OpenBLAS selected ("SkylakeX", "Haswell", "Prescott", ...).
  public static var coreName: String {
    #if canImport(Accelerate)
      return "Accelerate"
    #else
      guard let name = openblas_get_corename() else { return "unknown" }
      return String(cString: name)
    #endif
  }

  /// Kernels that are far slower than what this CPU can run: OpenBLAS 0.3.21 falls back to
  /// them on CPUs it does not recognise.
  public static var usesGenericKernels: Bool {
    ["prescott", "generic", "katmai", "coppermine", "northwood", "banias", "core2", "penryn", "dunnington", "nehalem", "atom"]
      .contains(coreName.lowercased())
  }

  /// The OPENBLAS_CORETYPE this CPU should use, if the one OpenBLAS chose is generic.
  public static var recommendedCoreType: String? {
    guard usesGenericKernels else { return nil }
    if gradlab_cpu_has_avx512f() != 0 { return "SkylakeX" }
    if gradlab_cpu_has_avx2() != 0 { return "Haswell" }
    return nil
  }

  /// Sets the number of threads BLAS may use inside one call.
  public static func setThreads(_ n: Int) {
    #if !canImport(Accelerate)
      openblas_set_num_threads(Int32(n))
    #endif
  }

  /// Flush-to-zero and denormals-are-zero for the calling thread: training sets it (subnormal
  /// floats are 10-100 times slower), gradient analysis never does (it measures tiny values).
  public static func setFlushDenormals(_ on: Bool) { gradlab_set_flush_denormals(on ? 1 : 0) }
  public static var flushesDenormals: Bool { gradlab_flush_denormals_enabled() != 0 }
}

/// Runs `body` with subnormal numbers kept (flush-to-zero off) on the calling thread, then
/// restores the thread's setting: the one way to run analysis code, which measures tiny
/// gradients, on a thread that training may have set to flush them.
public func keepingDenormals<R>(_ body: () throws -> R) rethrows -> R {
  let flushed = BLASRuntime.flushesDenormals
  BLASRuntime.setFlushDenormals(false)
  defer { BLASRuntime.setFlushDenormals(flushed) }
  return try body()
}

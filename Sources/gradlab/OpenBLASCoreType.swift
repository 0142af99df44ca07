import Foundation
import Linalg

/// Debian's OpenBLAS 0.3.21 does not recognise recent CPUs and falls back to its generic
/// 'Prescott' kernels, ten times slower. It reads OPENBLAS_CORETYPE only while loading, so
/// when it chose a generic core on a CPU with AVX-512 or AVX2 and the variable is unset, the
/// program starts itself again with the variable set. Setting OPENBLAS_CORETYPE yourself
/// (any value) turns this off.
enum OpenBLASCoreType {
  static func reexecIfGeneric() {
    #if os(Linux)
      guard ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] == nil,
        let core = BLASRuntime.recommendedCoreType
      else { return }
      setenv("OPENBLAS_CORETYPE", core, 1)
      let args = CommandLine.arguments
      var cArgs = args.map { strdup($0) } + [nil]
      execv("/proc/self/exe", &cArgs)
      // Only reached if execv failed: carry on with the slow kernels, and say so.
      FileHandle.standardError.write(Data("warning: OpenBLAS uses generic '\(BLASRuntime.coreName)' kernels; set OPENBLAS_CORETYPE=\(core) for full speed\n".utf8))
    #endif
  }
}

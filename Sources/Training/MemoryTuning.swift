import CPUControl

public enum MemoryTuning {
  /// Keeps glibc from returning large blocks to the kernel after every training step: the
  /// step's buffers (up to ~7 MB each) would otherwise be mmap'ed, page-faulted and zeroed
  /// by the kernel afresh every time. Memory stays bounded by one step's working set.
  public static func reuseLargeAllocations() { gradlab_reuse_large_allocations() }
}

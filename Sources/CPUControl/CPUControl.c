#include "CPUControl.h"

#if defined(__x86_64__) || defined(__i386__)
#include <xmmintrin.h>
#include <pmmintrin.h>

int gradlab_cpu_has_avx512f(void) { __builtin_cpu_init(); return __builtin_cpu_supports("avx512f") ? 1 : 0; }
int gradlab_cpu_has_avx2(void) { __builtin_cpu_init(); return __builtin_cpu_supports("avx2") ? 1 : 0; }

// MXCSR bit 15 is flush-to-zero (FTZ), bit 6 is denormals-are-zero (DAZ).
void gradlab_set_flush_denormals(int on) {
  unsigned int csr = _mm_getcsr();
  csr = on ? (csr | 0x8040u) : (csr & ~0x8040u);
  _mm_setcsr(csr);
}
int gradlab_flush_denormals_enabled(void) { return (_mm_getcsr() & 0x8000u) ? 1 : 0; }

#else
int gradlab_cpu_has_avx512f(void) { return 0; }
int gradlab_cpu_has_avx2(void) { return 0; }
void gradlab_set_flush_denormals(int on) { (void)on; }
int gradlab_flush_denormals_enabled(void) { return 0; }
#endif

#if defined(__GLIBC__)
#include <malloc.h>
void gradlab_reuse_large_allocations(void) {
  mallopt(M_MMAP_THRESHOLD, 32 << 20);
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
}
#else
void gradlab_reuse_large_allocations(void) {}
#endif

// Thread-local, so a count taken on one thread is not disturbed by work on others.
static _Thread_local int blas_products = 0;
void gradlab_count_blas_product(void) { blas_products += 1; }
int gradlab_blas_products_on_this_thread(void) { return blas_products; }

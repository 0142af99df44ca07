#include "CPUControl.h"

#include <stdatomic.h>

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

#define GRADLAB_PHASES 16
static atomic_int phase_clocks_on = 0;
static _Thread_local double phase_seconds[GRADLAB_PHASES];
static _Thread_local double phase_total = 0;
void gradlab_phase_clocks_enable(int on) { atomic_store_explicit(&phase_clocks_on, on ? 1 : 0, memory_order_relaxed); }
int gradlab_phase_clocks_enabled(void) { return atomic_load_explicit(&phase_clocks_on, memory_order_relaxed); }
void gradlab_phase_add(int phase, double seconds) {
  if (phase >= 0 && phase < GRADLAB_PHASES) phase_seconds[phase] += seconds;
  phase_total += seconds;
}
double gradlab_phase_total(void) { return phase_total; }
void gradlab_phase_take(double *out, int count) {
  for (int k = 0; k < count && k < GRADLAB_PHASES; k++) {
    out[k] = phase_seconds[k];
    phase_seconds[k] = 0;
  }
}

#ifndef GRADLAB_CPU_CONTROL_H
#define GRADLAB_CPU_CONTROL_H
// Small C helpers Swift cannot express directly. Not a public API.

/// 1 when the CPU executes AVX-512F instructions, 0 otherwise (always 0 off x86).
int gradlab_cpu_has_avx512f(void);
/// 1 when the CPU executes AVX2 instructions, 0 otherwise (always 0 off x86).
int gradlab_cpu_has_avx2(void);
/// Sets (on != 0) or clears flush-to-zero and denormals-are-zero for the calling thread.
void gradlab_set_flush_denormals(int on);
/// 1 when flush-to-zero is set for the calling thread.
int gradlab_flush_denormals_enabled(void);

/// Raises glibc's mmap and trim thresholds so large blocks are reused, not returned to the
/// kernel on every free (no-op elsewhere).
void gradlab_reuse_large_allocations(void);

/// Counts one BLAS product made by the calling thread (a thread-local counter).
void gradlab_count_blas_product(void);
/// The calling thread's count of BLAS products.
int gradlab_blas_products_on_this_thread(void);

/// Phase clocks: per-thread sums of the seconds spent in numbered parts (0..<16) of a
/// computation, taken only while they are switched on (process-wide).
void gradlab_phase_clocks_enable(int on);
int gradlab_phase_clocks_enabled(void);
/// Adds `seconds` to the calling thread's sum for `phase`.
void gradlab_phase_add(int phase, double seconds);
/// Everything the calling thread has added so far, to any phase.
double gradlab_phase_total(void);
/// Copies the calling thread's sums of phases 0..<count into `out` and zeroes them.
void gradlab_phase_take(double *out, int count);

#endif

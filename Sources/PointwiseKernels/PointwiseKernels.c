#include "PointwiseKernels.h"

#include <math.h>
#include <stdatomic.h>
#include <string.h>

// Each element's operations stay exactly as written: no contraction into fused multiply-add.
#pragma STDC FP_CONTRACT OFF
#ifdef __clang__
#pragma clang fp contract(off)
#endif

// Every helper below is inlined into the kernel it serves, so no 512-bit vector crosses a
// call boundary of a baseline function (the ABI warning does not apply).
#ifdef __clang__
#pragma clang diagnostic ignored "-Wpsabi"
#endif

typedef float v16 __attribute__((vector_size(64)));
typedef int i16 __attribute__((vector_size(64)));

#define ALWAYS_INLINE static inline __attribute__((always_inline))

// n ≤ 16 consecutive floats; lanes past n are zero on load and left alone on store.
ALWAYS_INLINE v16 load16(const float *p, long n) {
  v16 x = {0};
  if (n == 16) memcpy(&x, p, sizeof x); else memcpy(&x, p, (size_t)n * sizeof(float));
  return x;
}
ALWAYS_INLINE void store16(float *p, v16 x, long n) {
  if (n == 16) memcpy(p, &x, sizeof x); else memcpy(p, &x, (size_t)n * sizeof(float));
}
ALWAYS_INLINE v16 splat(float s) { return (v16){0} + s; }
// where(mask, a, b): a in the lanes where mask is set, b elsewhere.
ALWAYS_INLINE v16 where(i16 mask, v16 a, v16 b) { return (v16)(((i16)a & mask) | ((i16)b & ~mask)); }
ALWAYS_INLINE v16 sqrt16(v16 x) {
#if __has_builtin(__builtin_elementwise_sqrt)
  return __builtin_elementwise_sqrt(x);
#else
  for (int l = 0; l < 16; l++) x[l] = sqrtf(x[l]);
  return x;
#endif
}

// tanh(x) ≈ x P(x²) / Q(x²) on [-7.99881172, 7.99881172], clamped outside (where tanh
// rounds to ±1 in Float); comparisons are false for NaN, which passes through.
ALWAYS_INLINE v16 tanh16(v16 x) {
  const v16 hi = splat(7.99881172180175781f), lo = splat(-7.99881172180175781f);
  v16 v = where(x > hi, hi, x);
  v = where(v < lo, lo, v);
  v16 x2 = v * v;
  // P: odd numerator coefficients α13...α1 (Horner), Q: even denominator β6...β0.
  v16 p = splat(-2.76076847742355e-16f);
  p = p * x2 + 2.00018790482477e-13f;
  p = p * x2 + -8.60467152213735e-11f;
  p = p * x2 + 5.12229709037114e-08f;
  p = p * x2 + 1.48572235717979e-05f;
  p = p * x2 + 6.37261928875436e-04f;
  p = p * x2 + 4.89352455891786e-03f;
  p = p * v;
  v16 q = splat(1.19825839466702e-06f);
  q = q * x2 + 1.18534705686654e-04f;
  q = q * x2 + 2.26843463243900e-03f;
  q = q * x2 + 4.89352518554385e-03f;
  return p / q;
}
// σ(x) = (1 + tanh(x/2)) / 2
ALWAYS_INLINE v16 sigmoid16(v16 x) { return 0.5f + 0.5f * tanh16(0.5f * x); }

ALWAYS_INLINE void tanh_body(float *x, long count) {
  for (long k = 0; k < count; k += 16) {
    long n = count - k < 16 ? count - k : 16;
    store16(x + k, tanh16(load16(x + k, n)), n);
  }
}

ALWAYS_INLINE void sigmoid_body(float *x, long count) {
  for (long k = 0; k < count; k += 16) {
    long n = count - k < 16 ? count - k : 16;
    store16(x + k, sigmoid16(load16(x + k, n)), n);
  }
}

ALWAYS_INLINE void lstm_forward_body(long B, long H, float *gates, const float *recurrentPre, const float *cPrev,
                                     float *c, float *tanhC, float *h) {
  for (long b = 0; b < B; b++) {
    float *a = gates + b * 4 * H;
    const float *r = recurrentPre + b * 4 * H;
    for (long j = 0; j < H; j += 16) {
      long n = H - j < 16 ? H - j : 16, k = b * H + j;
      // a = x W_x + b + h_prev W_h;  i, f, o = σ(a);  g = tanh(a)
      v16 i = sigmoid16(load16(a + j, n) + load16(r + j, n));
      v16 f = sigmoid16(load16(a + H + j, n) + load16(r + H + j, n));
      v16 g = tanh16(load16(a + 2 * H + j, n) + load16(r + 2 * H + j, n));
      v16 o = sigmoid16(load16(a + 3 * H + j, n) + load16(r + 3 * H + j, n));
      store16(a + j, i, n);
      store16(a + H + j, f, n);
      store16(a + 2 * H + j, g, n);
      store16(a + 3 * H + j, o, n);
      // c = f ⊙ c_prev + i ⊙ g
      v16 cell = f * load16(cPrev + k, n) + i * g;
      store16(c + k, cell, n);
      // h = o ⊙ tanh(c)
      v16 tc = tanh16(cell);
      store16(tanhC + k, tc, n);
      store16(h + k, o * tc, n);
    }
  }
}

ALWAYS_INLINE void lstm_backward_body(long B, long H, const float *gates, const float *tanhC, const float *cPrev,
                                      const float *dh, float *dc, float *dA) {
  for (long b = 0; b < B; b++) {
    const float *a = gates + b * 4 * H;
    float *d = dA + b * 4 * H;
    for (long j = 0; j < H; j += 16) {
      long n = H - j < 16 ? H - j : 16, k = b * H + j;
      v16 i = load16(a + j, n), f = load16(a + H + j, n), g = load16(a + 2 * H + j, n), o = load16(a + 3 * H + j, n);
      v16 tc = load16(tanhC + k, n), dhv = load16(dh + k, n);
      // h = o ⊙ tanh(c):  do = dh ⊙ tanh(c),  dc += dh ⊙ o ⊙ (1 - tanh²(c))
      v16 dO = dhv * tc;
      v16 dcTotal = load16(dc + k, n) + dhv * o * (1 - tc * tc);
      // c = f ⊙ c_prev + i ⊙ g:  di = dc ⊙ g, dg = dc ⊙ i, df = dc ⊙ c_prev, dc_prev = dc ⊙ f
      v16 dI = dcTotal * g, dG = dcTotal * i, dF = dcTotal * load16(cPrev + k, n);
      store16(dc + k, dcTotal * f, n);
      // through the activations: σ' = σ(1 - σ), tanh' = 1 - tanh²
      store16(d + j, dI * i * (1 - i), n);
      store16(d + H + j, dF * f * (1 - f), n);
      store16(d + 2 * H + j, dG * (1 - g * g), n);
      store16(d + 3 * H + j, dO * o * (1 - o), n);
    }
  }
}

ALWAYS_INLINE void adam_body(long count, const float *g, float *m, float *v, float *w, float alpha, float b1,
                             float oneMinusB1, float b2, float oneMinusB2, float eps) {
  for (long k = 0; k < count; k += 16) {
    long n = count - k < 16 ? count - k : 16;
    v16 gk = load16(g + k, n);
    // m = β1 m + (1 - β1) g;  v = β2 v + (1 - β2) g²;  w -= α m / (√v + ε)
    v16 mk = b1 * load16(m + k, n) + oneMinusB1 * gk;
    v16 vk = b2 * load16(v + k, n) + oneMinusB2 * gk * gk;
    store16(m + k, mk, n);
    store16(v + k, vk, n);
    store16(w + k, load16(w + k, n) - alpha * mk / (sqrt16(vk) + eps), n);
  }
}

// Each kernel's three variants: the same body, compiled for each target.
#if defined(__x86_64__) && (defined(__clang__) || defined(__GNUC__))
#define GRADLAB_X86_VARIANTS 1
#define VARIANTS(name, params, args)                                                     \
  __attribute__((target("avx512f"))) static void name##_avx512 params { name##_body args; } \
  __attribute__((target("avx2"))) static void name##_avx2 params { name##_body args; }      \
  static void name##_portable params { name##_body args; }
#else
#define VARIANTS(name, params, args) static void name##_portable params { name##_body args; }
#endif

VARIANTS(tanh, (float *x, long count), (x, count))
VARIANTS(sigmoid, (float *x, long count), (x, count))
VARIANTS(lstm_forward, (long B, long H, float *gates, const float *recurrentPre, const float *cPrev, float *c, float *tanhC, float *h),
         (B, H, gates, recurrentPre, cPrev, c, tanhC, h))
VARIANTS(lstm_backward, (long B, long H, const float *gates, const float *tanhC, const float *cPrev, const float *dh, float *dc, float *dA),
         (B, H, gates, tanhC, cPrev, dh, dc, dA))
VARIANTS(adam, (long count, const float *g, float *m, float *v, float *w, float alpha, float b1, float oneMinusB1, float b2, float oneMinusB2, float eps),
         (count, g, m, v, w, alpha, b1, oneMinusB1, b2, oneMinusB2, eps))

static int best_level(void) {
#ifdef GRADLAB_X86_VARIANTS
  __builtin_cpu_init();
  if (__builtin_cpu_supports("avx512f")) return 2;
  if (__builtin_cpu_supports("avx2")) return 1;
#endif
  return 0;
}

static atomic_int chosen = -1;

int gradlab_kernels_level(void) {
  int level = atomic_load_explicit(&chosen, memory_order_relaxed);
  if (level < 0) {
    level = best_level();
    atomic_store_explicit(&chosen, level, memory_order_relaxed);
  }
  return level;
}

int gradlab_kernels_use_level(int level) {
  int best = best_level();
  atomic_store_explicit(&chosen, level < 0 || level > best ? best : level, memory_order_relaxed);
  return gradlab_kernels_level();
}

#ifdef GRADLAB_X86_VARIANTS
#define DISPATCH(name, args)                                  \
  switch (gradlab_kernels_level()) {                           \
    case 2: name##_avx512 args; return;                        \
    case 1: name##_avx2 args; return;                          \
    default: name##_portable args; return;                     \
  }
#else
#define DISPATCH(name, args) name##_portable args;
#endif

void gradlab_tanh_f32(float *x, long count) { DISPATCH(tanh, (x, count)) }
void gradlab_sigmoid_f32(float *x, long count) { DISPATCH(sigmoid, (x, count)) }
void gradlab_lstm_forward_f32(long B, long H, float *gates, const float *recurrentPre, const float *cPrev,
                              float *c, float *tanhC, float *h) {
  DISPATCH(lstm_forward, (B, H, gates, recurrentPre, cPrev, c, tanhC, h))
}
void gradlab_lstm_backward_f32(long B, long H, const float *gates, const float *tanhC, const float *cPrev,
                               const float *dh, float *dc, float *dA) {
  DISPATCH(lstm_backward, (B, H, gates, tanhC, cPrev, dh, dc, dA))
}
void gradlab_adam_f32(long count, const float *g, float *m, float *v, float *w, float alpha, float b1,
                      float oneMinusB1, float b2, float oneMinusB2, float eps) {
  DISPATCH(adam, (count, g, m, v, w, alpha, b1, oneMinusB1, b2, oneMinusB2, eps))
}

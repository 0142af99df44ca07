#ifndef GRADLAB_POINTWISE_KERNELS_H
#define GRADLAB_POINTWISE_KERNELS_H
// Float training's hot pointwise loops, sixteen values at a time, compiled three times: for
// AVX-512, for AVX2 (per-function target attributes, no compiler flags) and portably
// (baseline x86-64 SSE2, arm64 NEON), and picked at run time for the CPU. Every variant does
// the same IEEE operations in the same order on each element (no fused multiply-add, lanes
// never mixed), so all of them give the same bits. Not a public API: Linalg and Recurrent
// wrap it.

/// The vector width in use: 2 AVX-512, 1 AVX2, 0 portable.
int gradlab_kernels_level(void);
/// Uses `level` from now on (capped at what the CPU executes; -1: the CPU's best) and
/// returns the level in effect.
int gradlab_kernels_use_level(int level);

/// x = tanh(x) for `count` values: the odd rational minimax approximation Eigen uses for
/// float tanh, clamped to ±7.99881172 (max error below 5e-7; NaN stays NaN).
void gradlab_tanh_f32(float *x, long count);
/// x = σ(x) = (1 + tanh(x/2)) / 2 with the same tanh.
void gradlab_sigmoid_f32(float *x, long count);

/// One LSTM step forward for B rows, gates [i | f | g | o] (B × 4H): a = gates + recurrentPre,
/// then gates = (σ(a_i), σ(a_f), tanh(a_g), σ(a_o)), c = f ⊙ cPrev + i ⊙ g, tanhC = tanh(c),
/// h = o ⊙ tanhC (B × H each).
void gradlab_lstm_forward_f32(long B, long H, float *gates, const float *recurrentPre, const float *cPrev,
                              float *c, float *tanhC, float *h);
/// One LSTM step back from the step's activated gates, tanh(c_t) and c_{t-1}: dh (dL/dh_t)
/// and dc (dL/dc_t, overwritten with dL/dc_{t-1}) give dA = dL/da (B × 4H).
void gradlab_lstm_backward_f32(long B, long H, const float *gates, const float *tanhC, const float *cPrev,
                               const float *dh, float *dc, float *dA);

/// Adam (Keras) on `count` values: m = b1 m + (1 - b1) g, v = b2 v + (1 - b2) g², then
/// w -= alpha m / (√v + eps); oneMinusB1 and oneMinusB2 are 1 - b1 and 1 - b2 in Float.
void gradlab_adam_f32(long count, const float *g, float *m, float *v, float *w, float alpha, float b1,
                      float oneMinusB1, float b2, float oneMinusB2, float eps);

#endif

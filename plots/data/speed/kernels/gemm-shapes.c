// dL/dh_{t-1} = da W_hᵀ of one 32-review shard (B 32, G·H 256, H 64), 200 steps, single-
// threaded OpenBLAS: with W_h transposed by BLAS (as GradLab did) and from a transposed copy
// (as it does now), beside the forward h W_h. Best of 50 repetitions, ms per 200 products.
// cc -O2 gemm-shapes.c -o gemm-shapes -lopenblas
#include <cblas.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void) {
  struct timespec t;
  clock_gettime(CLOCK_MONOTONIC, &t);
  return t.tv_sec + t.tv_nsec * 1e-9;
}

int main(void) {
  openblas_set_num_threads(1);
  const int B = 32, H = 64, G = 256;
  float *h = malloc(sizeof(float) * B * H), *w = malloc(sizeof(float) * H * G), *wt = malloc(sizeof(float) * G * H);
  float *a = malloc(sizeof(float) * B * G), *dh = malloc(sizeof(float) * B * H);
  srand(1);
  for (int i = 0; i < B * H; i++) h[i] = rand() / (float)RAND_MAX - 0.5f;
  for (int i = 0; i < B * G; i++) a[i] = rand() / (float)RAND_MAX - 0.5f;
  for (int i = 0; i < H; i++)
    for (int j = 0; j < G; j++) wt[j * H + i] = w[i * G + j] = rand() / (float)RAND_MAX - 0.5f;
  double best[3] = {1e9, 1e9, 1e9};
  for (int r = 0; r < 50; r++) {
    double t = now();
    for (int s = 0; s < 200; s++) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, G, H, 1, h, H, w, G, 0, a, G);
    if ((t = now() - t) < best[0]) best[0] = t;
    t = now();
    for (int s = 0; s < 200; s++) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, B, H, G, 1, a, G, w, G, 0, dh, H);
    if ((t = now() - t) < best[1]) best[1] = t;
    t = now();
    for (int s = 0; s < 200; s++) cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, B, H, G, 1, a, G, wt, H, 0, dh, H);
    if ((t = now() - t) < best[2]) best[2] = t;
  }
  printf("OpenBLAS core %s, ms per 200 products: h W_h %.3f; da W_h transposed by BLAS %.3f; da times a transposed copy %.3f\n",
         openblas_get_corename(), best[0] * 1e3, best[1] * 1e3, best[2] * 1e3);
  return 0;
}

// Debian's OpenBLAS installs <cblas.h> through the alternatives system (libopenblas-dev).
// Besides the CBLAS calls it declares openblas_get_corename and openblas_set_num_threads.
#include <cblas.h>
#include <stddef.h>

// LAPACK ships inside the same libopenblas (Debian builds it in), but no header of
// libopenblas-dev declares it: the one routine GradLab calls, as the Fortran symbol, 32-bit
// integers (LP64 OpenBLAS), gfortran's hidden character lengths last.
// dgeev: eigenvalues (wr + i wi) and optionally eigenvectors of a general n x n matrix.
void dgeev_(const char *jobvl, const char *jobvr, const int *n, double *a, const int *lda,
            double *wr, double *wi, double *vl, const int *ldvl, double *vr, const int *ldvr,
            double *work, const int *lwork, int *info, size_t jobvl_len, size_t jobvr_len);

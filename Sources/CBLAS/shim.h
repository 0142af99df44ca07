// Debian's OpenBLAS installs <cblas.h> through the alternatives system (libopenblas-dev).
// Besides the CBLAS calls it declares openblas_get_corename and openblas_set_num_threads.
#include <cblas.h>
#include <stddef.h>

// LAPACK ships inside the same libopenblas (Debian builds it in), but no header of
// libopenblas-dev declares it: the one routine GradLab calls, as the Fortran symbol, 32-bit
// integers (LP64 OpenBLAS), gfortran's hidden character lengths last.
// dgeevx: eigenvalues (wr + i wi) of a general n x n matrix, with balancing, eigenvectors,
// the one-norm of the balanced matrix (abnrm) and each eigenvalue's reciprocal condition
// number (rconde).
void dgeevx_(const char *balanc, const char *jobvl, const char *jobvr, const char *sense, const int *n,
             double *a, const int *lda, double *wr, double *wi, double *vl, const int *ldvl, double *vr,
             const int *ldvr, int *ilo, int *ihi, double *scale, double *abnrm, double *rconde,
             double *rcondv, double *work, const int *lwork, int *iwork, int *info, size_t balanc_len,
             size_t jobvl_len, size_t jobvr_len, size_t sense_len);

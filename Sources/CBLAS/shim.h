// Debian's OpenBLAS installs <cblas.h> through the alternatives system (libopenblas-dev).
// Besides the CBLAS calls it declares openblas_get_corename and openblas_set_num_threads.
#include <cblas.h>

#!/usr/bin/env bash
# Reproducible figures: regenerating every course table and figure must leave the checkout
# byte-identical, on any CPU and OpenBLAS kernel (the Double analysis makes no BLAS product,
# and radii keep only the digits their condition supports; docs/reproducibility.md). The
# environment's OPENBLAS_CORETYPE is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
make figures
if [ -n "$(git status --porcelain)" ]; then
  git status --short
  echo "make figures changed the files above: commit what it writes, or find what is time-, path- or machine-dependent (docs/reproducibility.md)" >&2
  exit 1
fi
echo "figures: make figures left every committed file byte-identical"

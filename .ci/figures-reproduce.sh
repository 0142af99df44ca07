#!/usr/bin/env bash
# Reproducible figures: regenerating every course table and figure must leave the checkout
# byte-identical, on the OpenBLAS kernels the committed tables were made with (recorded as
# blasCore in plots/data/decay_config.json; another kernel changes last digits). The
# environment's OPENBLAS_CORETYPE is left as it is.
set -euo pipefail
cd "$(dirname "$0")/.."
core() { sed -n 's/.*"blasCore" : "\(.*\)".*/\1/p'; }
committed=$(git show HEAD:plots/data/decay_config.json | core)
make figures
used=$(core < plots/data/decay_config.json)
if [ "$committed" != "$used" ]; then
  echo "figures: the committed tables were made with OpenBLAS '$committed' kernels, this machine used '$used': byte-identity holds per kernel, so the comparison is skipped"
  git checkout -q -- plots
  git clean -qfd -- plots
  exit 0
fi
if [ -n "$(git status --porcelain)" ]; then
  git status --short
  echo "make figures changed the files above: commit what it writes, or find what is time-, path- or machine-dependent" >&2
  exit 1
fi
echo "figures: make figures left every committed file byte-identical (OpenBLAS '$used')"

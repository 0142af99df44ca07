#!/usr/bin/env bash
# The quiet-window timings of plots/data/speed/epoch-split: make bench-peers (PyTorch + FTZ,
# then GradLab, OPENBLAS_CORETYPE unset), the 100-epoch LSTM, then gradlab bench with this
# machine's OPENBLAS_CORETYPE=Haswell. Runs in the repository (relative paths are taken from
# there) with the release build; DATA is the IMDB archive, CACHE its encoded cache, OUT where
# the outputs go.
set -u
cd "$(dirname "$0")/../../../.."
DATA=${DATA:-../shared/data/imdb/aclImdb-labelled.tar.gz}    # gradlab's first default location
CACHE=${CACHE:-runs/cache}
OUT=${OUT:-runs/speed}
mkdir -p "$OUT"
stamp() { { date -u '+%F %T UTC'; uptime; } >> "$OUT/run.log"; }
{ lscpu | grep 'Model name'; echo "OPENBLAS_CORETYPE in the environment: ${OPENBLAS_CORETYPE:-unset}"; } > "$OUT/run.log"
stamp
env -u OPENBLAS_CORETYPE make bench-peers > "$OUT/bench-peers.out" 2>&1
cp runs/peers/bench-peers.txt runs/peers/gradlab.json runs/peers/torch_ftz.json "$OUT/"
stamp
rm -rf "$OUT/train-lstm"
env -u OPENBLAS_CORETYPE /usr/bin/time -v .build/release/gradlab train --cell lstm --epochs 100 \
  --data "$DATA" --cache "$CACHE" --output "$OUT/train-lstm" > "$OUT/train.txt" 2>&1
stamp
.build/release/gradlab bench --iterations 40 --no-ceiling > "$OUT/gradlab-haswell.txt" 2>&1
stamp

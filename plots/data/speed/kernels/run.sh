#!/usr/bin/env bash
# The quiet-window timings: GradLab (bench, all kernel widths, both OpenBLAS cores) alternated
# with PyTorch + FTZ, then `make bench-peers`, then one 100-epoch LSTM. The sweep stays paused
# only while this runs (resumed by the trap). Paths are variables: PEERS and PEERS_PY as in the
# Makefile, DATA the IMDB archive, PAUSE_PGID the process group of background work to pause
# (none when unset); the outputs go beside this script, relative defaults are taken from the
# repository.
set -u
cd "$(dirname "$0")"
ROOT=$(cd ../../../.. && pwd)
G=$PWD/gradlab; cp "$ROOT/.build/release/gradlab" "$G"
[ -x gemm-shapes ] || cc -O2 gemm-shapes.c -o gemm-shapes -lopenblas
PY=${PEERS_PY:-$HOME/peers-venv/bin/python}; PEERS=${PEERS:-$ROOT/../shared/peers}
DATA=${DATA:-$ROOT/../shared/data/imdb/aclImdb-labelled.tar.gz}
PG=${PAUSE_PGID:-}
if [ -n "$PG" ]; then
  trap 'kill -CONT -$PG; ps -o stat= -g $PG | sort | uniq -c' EXIT
  kill -STOP -$PG
fi
date -u; nproc; grep -m1 "model name" /proc/cpuinfo; uname -r
for round in 1 2; do
  echo "== round $round: gradlab (OPENBLAS_CORETYPE unset)"; uptime
  env -u OPENBLAS_CORETYPE /usr/bin/time -v "$G" bench --iterations 40 --json gradlab-$round.json > gradlab-$round.txt 2> gradlab-$round.err; cat gradlab-$round.txt; grep "Maximum resident" gradlab-$round.err
  echo "== round $round: pytorch + ftz"; uptime
  /usr/bin/time -v $PY $PEERS/bench_torch.py --epochs 3 --flush-denormal --out torch-$round.json > torch-$round.txt 2> torch-$round.err; grep "Maximum resident" torch-$round.err
  $PY -c "import json; print(json.load(open('torch-$round.json'))['summary'])"
done
echo "== gradlab, environment core (OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE)"; uptime
"$G" bench --iterations 40 --no-ceiling --peer-json torch-2.json > gradlab-haswell.txt 2>/dev/null; cat gradlab-haswell.txt
for k in portable avx2; do
  echo "== gradlab, kernels $k"; uptime
  env -u OPENBLAS_CORETYPE "$G" bench --iterations 40 --no-ceiling --kernels $k --peer-json torch-2.json > gradlab-$k.txt 2>/dev/null; cat gradlab-$k.txt
done
echo "== transposed products"; uptime
env -u OPENBLAS_CORETYPE ./gemm-shapes
echo "== make bench-peers"; uptime
(cd "$ROOT" && env -u OPENBLAS_CORETYPE make bench-peers PEERS="$PEERS" PEERS_PY="$PY") > bench-peers.log 2>&1; tail -12 bench-peers.log
echo "== 100-epoch LSTM"; uptime
rm -rf imdb-lstm
env -u OPENBLAS_CORETYPE /usr/bin/time -v "$G" train --cell lstm --epochs 100 --data "$DATA" --cache cache --output imdb-lstm > train.txt 2> train.err; tail -5 train.txt; grep -E "Elapsed|Maximum resident" train.err
uptime; date -u

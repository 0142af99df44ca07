#!/usr/bin/env bash
# lead: main at the final commit beside PyTorch on a quieter machine (after CI and the RNN rerun; the
# lead's seed trainings wait in the spool meanwhile), one after the other: PyTorch, then GradLab with
# OpenBLAS's own choice (variable unset: Cooperlake) and with the environment's Haswell.
# Paths are variables: CHECKOUT the clone whose release build is measured (a copy of its binary
# goes to OUT), PEERS and PEERS_PY as in the Makefile, OUT where the outputs go; relative
# defaults are taken from this repository.
set -u  # ran at 03:29 UTC, after CI and the other spool jobs had finished
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
CHECKOUT=${CHECKOUT:-$ROOT}
PEERS=${PEERS:-$ROOT/../shared/peers}; PY=${PEERS_PY:-$HOME/peers-venv/bin/python}
out=${OUT:-$ROOT/runs/speed/quiet}; mkdir -p "$out"; cd "$out"
G=$out/gradlab; cp "$CHECKOUT/.build/release/gradlab" "$G"
git -C "$CHECKOUT" log --oneline -1
uptime; nproc; grep -m1 "model name" /proc/cpuinfo
echo "== torch"; /usr/bin/time -v "$PY" "$PEERS/bench_torch.py" --epochs 3 --flush-denormal --out torch_ftz.json > torch.txt 2> torch.err; tail -2 torch.txt; grep "Maximum resident" torch.err
uptime
echo "== gradlab, OPENBLAS_CORETYPE unset (OpenBLAS picks Cooperlake)"; env -u OPENBLAS_CORETYPE /usr/bin/time -v "$G" bench --iterations 40 --json gradlab-cooperlake.json --peer-json torch_ftz.json > gradlab-cooperlake.txt 2> gradlab-cooperlake.err; cat gradlab-cooperlake.txt; grep "Maximum resident" gradlab-cooperlake.err
uptime
echo "== gradlab, environment core (Haswell)"; "$G" bench --iterations 40 --no-ceiling --peer-json torch_ftz.json > gradlab-haswell.txt 2>/dev/null; cat gradlab-haswell.txt
uptime

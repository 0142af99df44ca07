#!/usr/bin/env bash
# i9: the landed code (62a11db) beside PyTorch, one after the other; OpenBLAS's own choice (variable unset: Cooperlake), SkylakeX, and the environment's Haswell.
# Paths are variables: GRADLAB the binary measured, GRADLAB_BEFORE a release build of the code
# before the distinct-token projection (its step is skipped when unset), PEERS and PEERS_PY as
# in the Makefile, OUT where the outputs go; relative defaults are taken from the repository.
set -u
ROOT=$(cd "$(dirname "$0")/../../../.." && pwd)
G=${GRADLAB:-$ROOT/.build/release/gradlab}
PEERS=${PEERS:-$ROOT/../shared/peers}; PY=${PEERS_PY:-$HOME/peers-venv/bin/python}
out=${OUT:-$ROOT/runs/speed/distinct-tokens}; mkdir -p "$out"; cd "$out"
echo "binary $G"
uptime; nproc; grep -m1 "model name" /proc/cpuinfo
echo "== torch"; /usr/bin/time -v "$PY" "$PEERS/bench_torch.py" --epochs 3 --flush-denormal --out torch_ftz.json > torch.txt 2> torch.err; tail -2 torch.txt; grep "Maximum resident" torch.err
uptime
echo "== gradlab SkylakeX"; OPENBLAS_CORETYPE=SkylakeX /usr/bin/time -v "$G" bench --iterations 40 --json gradlab-skylakex.json --peer-json torch_ftz.json > gradlab-skylakex.txt 2> gradlab-skylakex.err; cat gradlab-skylakex.txt; grep "Maximum resident" gradlab-skylakex.err
uptime
echo "== gradlab, OPENBLAS_CORETYPE unset (OpenBLAS picks Cooperlake)"; env -u OPENBLAS_CORETYPE /usr/bin/time -v "$G" bench --iterations 40 --json gradlab-default.json --peer-json torch_ftz.json > gradlab-default.txt 2> gradlab-default.err; cat gradlab-default.txt; grep "Maximum resident" gradlab-default.err
uptime
echo "== gradlab, environment core (Haswell)"; "$G" bench --iterations 40 --no-ceiling --peer-json torch_ftz.json > gradlab-haswell.txt 2>/dev/null; cat gradlab-haswell.txt
echo "== gradlab Cooperlake, uniform tokens (worst case)"; env -u OPENBLAS_CORETYPE "$G" bench --iterations 40 --no-ceiling --tokens uniform --peer-json torch_ftz.json > gradlab-uniform.txt 2>/dev/null; cat gradlab-uniform.txt
[ -n "${GRADLAB_BEFORE:-}" ] && { echo "== main before issue 9 (dense projection), Cooperlake"; env -u OPENBLAS_CORETYPE "$GRADLAB_BEFORE" bench --iterations 40 --no-ceiling --peer-json torch_ftz.json > main-cooperlake.txt 2>/dev/null; cat main-cooperlake.txt; }
uptime

#!/usr/bin/env bash
# lead: main at the final commit beside PyTorch on a quieter machine (after CI and the RNN rerun; the
# lead's seed trainings wait in the spool meanwhile), one after the other: PyTorch, then GradLab with
# OpenBLAS's own choice (variable unset: Cooperlake) and with the environment's Haswell.
set -u  # ran at 03:29 UTC, after CI and the other spool jobs had finished
out=/work/longruns/lead-bench/out; mkdir -p $out; cd $out
G=$out/gradlab; cp /work/ci-final/.build/release/gradlab $G
git -C /work/ci-final log --oneline -1
uptime; nproc; grep -m1 "model name" /proc/cpuinfo
echo "== torch"; /usr/bin/time -v ~/peers-venv/bin/python /work/shared/peers/bench_torch.py --epochs 3 --flush-denormal --out torch_ftz.json > torch.txt 2> torch.err; tail -2 torch.txt; grep "Maximum resident" torch.err
uptime
echo "== gradlab, OPENBLAS_CORETYPE unset (OpenBLAS picks Cooperlake)"; env -u OPENBLAS_CORETYPE /usr/bin/time -v $G bench --iterations 40 --json gradlab-cooperlake.json --peer-json torch_ftz.json > gradlab-cooperlake.txt 2> gradlab-cooperlake.err; cat gradlab-cooperlake.txt; grep "Maximum resident" gradlab-cooperlake.err
uptime
echo "== gradlab, environment core (Haswell)"; $G bench --iterations 40 --no-ceiling --peer-json torch_ftz.json > gradlab-haswell.txt 2>/dev/null; cat gradlab-haswell.txt
uptime

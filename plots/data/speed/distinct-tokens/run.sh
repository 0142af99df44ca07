#!/usr/bin/env bash
# i9: the landed code (62a11db) beside PyTorch, one after the other; OpenBLAS's own choice (variable unset: Cooperlake), SkylakeX, and the environment's Haswell.
set -u
out=/work/longruns/i9/final; mkdir -p $out; cd $out
G=/work/longruns/i9/gradlab-final; [ -x /work/longruns/i9/gradlab-final2 ] && G=/work/longruns/i9/gradlab-final2
echo "binary $G"
uptime; nproc; grep -m1 "model name" /proc/cpuinfo
echo "== torch"; /usr/bin/time -v ~/peers-venv/bin/python /work/shared/peers/bench_torch.py --epochs 3 --flush-denormal --out torch_ftz.json > torch.txt 2> torch.err; tail -2 torch.txt; grep "Maximum resident" torch.err
uptime
echo "== gradlab SkylakeX"; OPENBLAS_CORETYPE=SkylakeX /usr/bin/time -v $G bench --iterations 40 --json gradlab-skylakex.json --peer-json torch_ftz.json > gradlab-skylakex.txt 2> gradlab-skylakex.err; cat gradlab-skylakex.txt; grep "Maximum resident" gradlab-skylakex.err
uptime
echo "== gradlab, OPENBLAS_CORETYPE unset (OpenBLAS picks Cooperlake)"; env -u OPENBLAS_CORETYPE /usr/bin/time -v $G bench --iterations 40 --json gradlab-default.json --peer-json torch_ftz.json > gradlab-default.txt 2> gradlab-default.err; cat gradlab-default.txt; grep "Maximum resident" gradlab-default.err
uptime
echo "== gradlab, environment core (Haswell)"; $G bench --iterations 40 --no-ceiling --peer-json torch_ftz.json > gradlab-haswell.txt 2>/dev/null; cat gradlab-haswell.txt
echo "== gradlab Cooperlake, uniform tokens (worst case)"; env -u OPENBLAS_CORETYPE $G bench --iterations 40 --no-ceiling --tokens uniform --peer-json torch_ftz.json > gradlab-uniform.txt 2>/dev/null; cat gradlab-uniform.txt
echo "== main before issue 9 (dense projection), Cooperlake"; env -u OPENBLAS_CORETYPE /work/longruns/i9/gradlab-main bench --iterations 40 --no-ceiling --peer-json torch_ftz.json > main-cooperlake.txt 2>/dev/null; cat main-cooperlake.txt
uptime

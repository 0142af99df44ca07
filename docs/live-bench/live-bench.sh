#!/usr/bin/env bash
# gradlab train with and without --live, interleaved in one run (ABBA order), on a small
# aclImdb-layout set (make_tiny_imdb.py: 3000 training, 600 test reviews). Appends to
# $out/live-bench.tsv; resumable (a finished rep+mode is skipped). After each run, counts the
# processes that still carry the run's token in their environment (gnuplot inherits it).
set -u
# Usage: python3 docs/live-bench/make_tiny_imdb.py runs/live-bench-imdb 3000 600
#        docs/live-bench/live-bench.sh [output folder]   (GRADLAB, DATA and REPS may be set)
G=$(realpath "${GRADLAB:-.build/release/gradlab}")
data=$(realpath "${DATA:-runs/live-bench-imdb}")
out=${1:-runs/live-bench}; mkdir -p $out; cd $out
reps=${REPS:-4}
[ -f live-bench.tsv ] || printf "rep\tmode\twall_s\ttrain_s\tepochs\tleft_behind\n" > live-bench.tsv
for rep in $(seq 1 $reps); do
  if [ $((rep % 2)) = 1 ]; then modes="off live"; else modes="live off"; fi
  for mode in $modes; do
    grep -q "^$rep	$mode	" live-bench.tsv && continue
    run=$out/run-$rep-$mode; rm -rf $run
    token=I13_BENCH_TOKEN=$rep-$mode-$$
    flag=""; [ $mode = live ] && flag=--live
    start=$(date +%s.%N)
    env $token $G train $flag --data $data --cache $out/cache --output $run \
      --epochs 5 --vocabulary-size 300 --length 60 --embedding-size 32 --hidden-size 64 --batch-size 32 --gradient-epochs 0,1,5 \
      > $run.log 2>&1 || { echo "run $rep $mode failed"; tail -3 $run.log; continue; }
    end=$(date +%s.%N)
    sleep 1
    left=$(grep -l "$token" /proc/[0-9]*/environ 2>/dev/null | wc -l)
    train=$(awk -F'\t' 'NR>1 {s+=$6} END {printf "%.3f", s}' $run/metrics.tsv)
    printf "%s\t%s\t%.3f\t%s\t5\t%s\n" $rep $mode $(echo "$end - $start" | bc) $train $left >> live-bench.tsv
  done
done
cat live-bench.tsv
awk -F'\t' 'NR>1 {w[$2]=w[$2]" "$3; t[$2]=t[$2]" "$4} END {for (m in w) print m, "wall:" w[m], " train:" t[m]}' live-bench.tsv

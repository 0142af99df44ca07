#!/usr/bin/env bash
# A task sweep spread over 2 GNU parallel jobs (--unit N, then --tables-only) must give the
# tables of the same sweep run in one process, byte for byte (the wall clock is in
# timings.tsv, apart). Uses the release build; about 10 s.
set -euo pipefail
cd "$(dirname "$0")/.."
gradlab=.build/release/gradlab
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
flags=(task-sweep --task adding --cells rnn gru --lengths 10 20 --seeds 1 2 --steps 60 --hidden-size 4
  --batch-size 8 --test-size 32 --evaluate-every 20)

"$gradlab" "${flags[@]}" --threads 1 --output "$work/serial" >/dev/null 2>"$work/serial.log"
"$gradlab" "${flags[@]}" --list-units | cut -f1 \
  | parallel --will-cite --jobs 2 --halt now,fail=1 "$gradlab" "${flags[@]}" --output "$work/spread" --unit {} 2>"$work/spread.log"
"$gradlab" "${flags[@]}" --output "$work/spread" --tables-only >/dev/null 2>>"$work/spread.log"

# The course's tables, byte for byte; timings.tsv (the wall clock) for the same runs and steps.
for table in runs curves gradients summary; do
  if ! cmp -s "$work/serial/$table.tsv" "$work/spread/$table.tsv"; then
    echo "sweep-parallel: $table.tsv of the 2-job sweep differs from the serial one:" >&2
    diff "$work/serial/$table.tsv" "$work/spread/$table.tsv" | head -20 >&2
    exit 1
  fi
done
if ! cmp -s <(cut -f1-15 "$work/serial/timings.tsv") <(cut -f1-15 "$work/spread/timings.tsv"); then
  echo "sweep-parallel: timings.tsv of the 2-job sweep lists other runs or steps than the serial one" >&2
  exit 1
fi
rows=$(($(wc -l <"$work/serial/runs.tsv") - 1))
[ "$rows" -eq 8 ] || { echo "sweep-parallel: expected 8 runs, found $rows" >&2; exit 1; }
echo "sweep-parallel: 8 runs over 2 GNU parallel jobs give the serial tables (runs, curves, gradients, summary)"

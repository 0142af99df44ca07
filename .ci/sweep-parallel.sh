#!/usr/bin/env bash
# A task sweep spread over 2 GNU parallel jobs (--unit N, then --tables-only) must give the
# tables of the same sweep run in one process, byte for byte once the wall-clock columns
# (*seconds*) are left out. Uses the release build; about 10 s.
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

# The columns of a table whose header does not name seconds.
timeless() { awk -F'\t' 'NR == 1 { for (i = 1; i <= NF; i++) keep[i] = ($i !~ /seconds/) }
  { line = ""; for (i = 1; i <= NF; i++) if (keep[i]) line = line (line == "" ? "" : "\t") $i; print line }' "$1"; }
for table in runs curves gradients summary; do
  if ! cmp -s <(timeless "$work/serial/$table.tsv") <(timeless "$work/spread/$table.tsv"); then
    echo "sweep-parallel: $table.tsv of the 2-job sweep differs from the serial one:" >&2
    diff <(timeless "$work/serial/$table.tsv") <(timeless "$work/spread/$table.tsv") | head -20 >&2
    exit 1
  fi
done
rows=$(($(wc -l <"$work/serial/runs.tsv") - 1))
[ "$rows" -eq 8 ] || { echo "sweep-parallel: expected 8 runs, found $rows" >&2; exit 1; }
echo "sweep-parallel: 8 runs over 2 GNU parallel jobs give the serial tables (runs, curves, gradients, summary)"

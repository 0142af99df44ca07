#!/usr/bin/env bash
# Behaviour check between two gradlab binaries (a refactoring must change nothing):
#   .ci/behaviour-check.sh OLD_GRADLAB NEW_GRADLAB [WORK_FOLDER]
# Runs the same commands with both binaries, each in its own folder (same relative paths,
# so the commands recorded in the outputs match), then compares every file they wrote byte
# for byte (.ci/behaviour-compare.py), except wall-clock seconds, which it names.
# Commands: the `make figures` table commands (decay x3, saturation); `train` for lstm, rnn
# and gru on a small IMDB model (2 epochs, Adam with clipping, SGD with momentum and
# clipping, step logs); a small `compare` (all four models, one seed); `task` runs (Adam,
# SGD with momentum and clipping, step logs); a quick `clipping` experiment.
# Both binaries must run on the same machine and BLAS kernels. Several minutes on 2 cores
# (two IMDB caches are built): not part of CI.
set -euo pipefail
old=$(realpath "$1")
new=$(realpath "$2")
work=${3:-$(mktemp -d)}
mkdir -p "$work"
DATA=$(realpath "${GRADLAB_IMDB:-/work/shared/data/imdb/aclImdb-labelled.tar.gz}")
here=$(cd "$(dirname "$0")" && pwd)

run() {
  local gradlab=$1 folder=$2
  rm -rf "$folder"
  mkdir -p "$folder"
  cd "$folder"
  # The data path as seen from the run's folder: both binaries record the same command
  # whether or not they write absolute paths relative.
  local data
  data=$(realpath --relative-to=. "$DATA")
  "$gradlab" decay --output plots/data
  "$gradlab" decay --matrix gaussian --models linear,rnn --sigmas 1.5 --forget-biases none --output plots/data/decay-gaussian
  "$gradlab" decay --matrix nonnormal --radius-ratio 0.1 --models linear,rnn --sigmas 6 --forget-biases none --output plots/data/decay-nonnormal
  "$gradlab" saturation --output plots/data
  local small=(--vocabulary-size 2000 --length 40 --embedding-size 16 --hidden-size 8
    --gradient-epochs 0,1,2 --log-steps --data "$data" --cache cache)
  for cell in lstm rnn gru; do
    "$gradlab" train --cell "$cell" "${small[@]}" --epochs 2 --clip-norm 1 --output "runs/$cell-adam"
    "$gradlab" train --cell "$cell" "${small[@]}" --epochs 2 --optimizer sgd --learning-rate 0.05 --momentum 0.9 --clip-norm 1 \
      --output "runs/$cell-sgd"
  done
  # A resumed run: 1 epoch, then on to 2.
  "$gradlab" train --cell lstm "${small[@]}" --epochs 1 --optimizer sgd --momentum 0.5 --output runs/lstm-resumed
  "$gradlab" train --cell lstm "${small[@]}" --epochs 2 --optimizer sgd --momentum 0.5 --resume --output runs/lstm-resumed
  "$gradlab" compare --models rnn,lstm,gru,cnn --seeds 1 --lengths 30 --epochs 2 --patience 1 --hidden-size 8 \
    --embedding-size 16 --filters 4 --probe-reviews 8 --data "$data" --cache cache --output runs/compare
  "$gradlab" task adding --cell lstm --length 20 --hidden-size 8 --steps 200 --evaluate-every 50 --log-steps \
    --keep-going --output runs/task-adam
  "$gradlab" task first --cell gru --length 20 --hidden-size 8 --steps 200 --optimizer sgd --learning-rate 0.05 \
    --momentum 0.9 --clip-norm 1 --log-steps --keep-going --output runs/task-sgd
  "$gradlab" task adding --cell rnn --length 10 --hidden-size 8 --steps 100 --optimizer sgd --learning-rate 0.05 \
    --output runs/task-plain-sgd
  "$gradlab" clipping --quick --steps 100 --output runs/clipping
}

(run "$old" "$work/old") > "$work/old.log" 2>&1 || { echo "the old binary failed: $work/old.log" >&2; exit 1; }
(run "$new" "$work/new") > "$work/new.log" 2>&1 || { echo "the new binary failed: $work/new.log" >&2; exit 1; }
python3 "$here/behaviour-compare.py" "$work/old" "$work/new"

#!/usr/bin/env bash
# The comparison's diagonal models against the GRU and the LSTM, one step benchmark each in
# turn, three rounds, on whatever else the machine is doing (the load average is printed
# before each). Run from the checkout: plots/data/speed/diagonal/run.sh > plots/data/speed/diagonal/run.log
G=${GRADLAB:-.build/release/gradlab}
for round in 1 2 3; do
  for model in "--model lru" "--cell gru" "--model mingru" "--cell lstm"; do
    echo "== round $round: gradlab bench $model --iterations 10 --no-ceiling; $(uptime)"
    $G bench $model --iterations 10 --no-ceiling 2>&1 | grep -v '^step '
  done
done

# Learning curves of the length sweep: test loss against optimiser steps, one panel per cell,
# one colour per sequence length T, one thin line per seed. A run stops at its first
# evaluation below the success threshold (dashed), or at the budget.
#
# Data:   $datadir/tasks/$sweep/curves.tsv and summary.tsv, made by gradlab task-sweep
# Render: gnuplot -e "set terminal pngcairo size 1600,560 font 'DejaVu Sans,11'; set output 'tasks_curves.png'; datadir='plots/data'" plots/tasks_curves.gp
#
# curves.tsv: 1 task 2 cell 3 length ... 12 success_loss 13 seed 14 step 15 train_loss 16 test_loss
#             17 test_acc 18 grad_norm_median 19 grad_norm_max 20 marker_ratio

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
if (!exists("sweep")) sweep = "adding-sweep"
dir = datadir."/tasks/".sweep

# --- settings you may tweak --------------------------------------------------------------
cells = "rnn lstm gru"
names = "'tanh RNN' LSTM GRU"
colours = "#e6ab02 #66a61e #1b9e77 #7570b3 #d95f02 #e7298a #000000"   # one per length, short to long
# ------------------------------------------------------------------------------------------

set datafile separator tab
lengths = ""
seedlist = ""
stats dir."/summary.tsv" skip 1 using (strcol(2) eq word(cells, 1) ? (lengths = lengths.strcol(3)." ", 0) : 0, \
      task = strcol(1), budget = $11, threshold = $12, 0) nooutput
stats dir."/curves.tsv" skip 1 using (strstrt(" ".seedlist, " ".strcol(13)." ") == 0 ? (seedlist = seedlist.strcol(13)." ", 0) : 0) nooutput
nl = words(lengths)
ns = words(seedlist)
pick(cell, i, s) = (strcol(2) eq cell && strcol(3) eq word(lengths, i) && strcol(13) eq word(seedlist, s)) ? $16 : NaN

set multiplot layout 1,3 title sprintf("%s task: test loss while training (every seed; a run stops when it is below %.3g, or after %d steps)", task, threshold, budget) font ",12"
set logscale y
set format y "10^{%L}"
set xlabel "optimiser step"
set ylabel "test loss"
set xrange [0:budget]
set yrange [1e-3:1]
set grid lc rgb "#e0e0e0"
set key bottom left font ",10" box lc rgb "#bbbbbb" opaque title "T"

do for [c=1:3] {
  set title word(names, c)
  plot for [i=1:nl] for [s=1:ns] dir."/curves.tsv" skip 1 using 14:(pick(word(cells, c), i, s)) with lines lw 1.5 \
         lc rgb word(colours, i) title (s == 1 ? word(lengths, i) : ""), \
       threshold with lines dt 2 lw 2 lc rgb "#000000" notitle
}
unset multiplot

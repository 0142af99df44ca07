# Which cells learn a long-lag task at which sequence length T, over seeds.
# Left: the fraction of seeds that solve the task (test loss below the success threshold
# within the step budget). Middle: every run's final test loss (the solving evaluation's, or
# the last one's), with the threshold and the baseline (the loss of the best constant
# answer). Right: the median number of steps the solved runs needed, with the budget.
#
# Data:   $datadir/tasks/$sweep/summary.tsv, runs.tsv and config.json, made by
#         gradlab task-sweep (the command is in config.json)
# Render: gnuplot -e "set terminal pngcairo size 1600,560 font 'DejaVu Sans,11'; set output 'tasks_sweep.png'; datadir='plots/data'" plots/tasks_sweep.gp
#
# summary.tsv: 1 task 2 cell 3 length 4 hidden 5 batch 6 optimizer 7 learning_rate 8 momentum 9 sigma
#              10 clip_norm 11 budget_steps 12 success_loss 13 runs 14 solved 15 fraction_solved 16 blew_up
#              17 median_solved_step 18 median_final_test_loss
# runs.tsv:    1-13 the settings (13 seed), 14 solved 15 solved_step 16 steps_run 17 final_test_loss ...

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
if (!exists("sweep")) sweep = "adding-sweep"
dir = datadir."/tasks/".sweep

# --- settings you may tweak --------------------------------------------------------------
cells = "rnn lstm gru"
names = "'tanh RNN' 'LSTM' 'GRU'"
colours = "#d62728 #1f77b4 #2ca02c"
points = "7 5 9"
offsets = "0.92 1.0 1.08"    # x-offsets of the cells' points (multiplicative: log axis)
# ------------------------------------------------------------------------------------------

set datafile separator tab
# The experiment's settings, from the first row of summary.tsv.
stats dir."/summary.tsv" skip 1 every ::0::0 using (task = strcol(1), hidden = strcol(4), batch = strcol(5), \
      optimizer = strcol(6), rate = strcol(7), budget = $11, threshold = $12, seeds = strcol(13), 0) nooutput
fraction = system("sed -n 's/.*\"successFraction\" : \\([0-9.e-]*\\).*/\\1/p' ".dir."/config.json | head -1") + 0
baseline = threshold / fraction
name(i) = word(names, i)
pick(i, c) = strcol(2) eq word(cells, i) ? column(c) : NaN

set multiplot layout 1,3 title sprintf("%s task: solved = test loss below %.3g (%g%% of the baseline %.3g) within %d steps;  H %s, B %s, %s lr %s, %s seeds per point", \
    task, threshold, 100 * fraction, baseline, budget, hidden, batch, optimizer, rate, seeds) font ",12"
set logscale x 2
set xlabel "sequence length T"
set grid lc rgb "#e0e0e0"
# The cells are named once, in the left panel's key; the other keys name their lines only.
# Each key sits in a band above the data that holds no point (fractions stop at 1, final
# losses a decade below the top, solving steps at the budget).
set key top center horizontal font ",10" box lc rgb "#bbbbbb"

set title "fraction of seeds solved"
set ylabel "fraction solved"
set yrange [-0.05:1.3]
set ytics 0, 0.2, 1
plot for [i=1:3] dir."/summary.tsv" skip 1 using ($3 * word(offsets, i)):(pick(i, 15)) with linespoints lw 2.5 pt (word(points, i) + 0) ps 1.4 \
       lc rgb word(colours, i) title name(i)

set title "final test loss of every run"
set ylabel "test loss (log scale)"
set logscale y
set format y "10^{%L}"
stats dir."/runs.tsv" skip 1 using 17 nooutput
set yrange [*:10**(ceil(log10(STATS_max > baseline ? STATS_max : baseline)) + 1)]
set ytics autofreq
plot for [i=1:3] dir."/runs.tsv" skip 1 using ($3 * word(offsets, i)):(pick(i, 17)) with points pt (word(points, i) + 0) ps 1.2 \
       lc rgb word(colours, i) notitle, \
     threshold with lines dt 2 lw 2 lc rgb "#000000" title "success threshold", \
     baseline with lines dt 3 lw 2 lc rgb "#777777" title "baseline (best constant answer)"

set title "median steps to solve (solved runs only)"
set ylabel "optimiser steps"
set yrange [*:budget * 4]
plot for [i=1:3] dir."/summary.tsv" skip 1 using ($3 * word(offsets, i)):(pick(i, 17)) with linespoints lw 2.5 pt (word(points, i) + 0) ps 1.4 \
       lc rgb word(colours, i) notitle, \
     budget with lines dt 2 lw 2 lc rgb "#000000" title "budget"
unset multiplot

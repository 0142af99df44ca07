# Does the gradient from the loss reach the input that matters? The probe: the first 64 test
# sequences, in Double. For each sequence, the ratio ||dL/dh_p|| / ||dL/dh_T|| between the
# gradient at the first marked step p (adding: the first marker; first: step 1) and at the
# last step; the median over the 64 sequences.
# Left: that ratio before training (open) and where each run stopped (filled), against T;
# a ratio of exactly 0 (the gradient fell below Double's smallest number) has no place on the
# log axis and is drawn as a triangle at the panel's bottom, counted in the key.
# Middle: the ratio during training at one length (exact zeros counted in the title). Right: ||dL/dh_t|| over t at that length
# before training (dashed) and where the profiled seed stopped (solid).
#
# Data:   $datadir/tasks/$sweep/runs.tsv, curves.tsv and gradients.tsv, made by gradlab task-sweep
# Render: gnuplot -e "set terminal pngcairo size 1600,560 font 'DejaVu Sans,11'; set output 'tasks_gradients.png'; datadir='plots/data'" plots/tasks_gradients.gp
#
# runs.tsv:      1-13 settings (2 cell, 3 length, 13 seed) ... 24 marker_ratio_start 25 marker_ratio_end
# curves.tsv:    1-13 settings, 14 step ... 20 marker_ratio
# gradients.tsv: 1-13 settings, 14 step 15 t 16 lag 17 grad_norm

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
if (!exists("sweep")) sweep = "adding-sweep"
dir = datadir."/tasks/".sweep

# --- settings you may tweak --------------------------------------------------------------
length = "100"      # the length of the middle and right panels
cells = "rnn lstm gru"
names = "'tanh RNN' LSTM GRU"
colours = "#d62728 #1f77b4 #2ca02c"
points = "7 5 9"
offsets = "0.92 1.0 1.08"
# ------------------------------------------------------------------------------------------

set datafile separator tab
stats dir."/gradients.tsv" skip 1 every ::0::0 using (task = strcol(1), seed = strcol(13), 0) nooutput
is(i) = strcol(2) eq word(cells, i)
atlength(i) = is(i) && strcol(3) eq length

set multiplot layout 1,3 title sprintf("%s task: how much of the loss's gradient reaches the marked step (probe of 64 test sequences, Double)", task) font ",12"
set grid lc rgb "#e0e0e0"
set logscale y
set format y "10^{%L}"
set key bottom left font ",10" box lc rgb "#bbbbbb" opaque

# Exact zeros: how many, and a place for them below the smallest positive ratio (6% of the
# axis' decades lower, with 3% more below them).
stats dir."/runs.tsv" skip 1 using ($24 > 0 ? $24 : NaN) nooutput
smallest = STATS_min
stats dir."/runs.tsv" skip 1 using ($25 > 0 ? $25 : NaN) nooutput
smallest = STATS_min < smallest ? STATS_min : smallest
stats dir."/runs.tsv" skip 1 using (($24 == 0) + ($25 == 0)) nooutput
zeros = int(STATS_sum)
decades = -log10(smallest) > 1 ? -log10(smallest) : 1
zero_at = smallest / 10**(0.06 * decades)

set title "||dL/dh_p|| / ||dL/dh_T|| of every run (open: before training, filled: at its end)" font ",10"
set key at graph 0.03, graph 0.5 left Left reverse
set logscale x 2
set xlabel "sequence length T"
set ylabel "median ratio over the probe"
set yrange [zero_at / 10**(0.03 * decades):*]
plot for [i=1:3] dir."/runs.tsv" skip 1 using ($3 * word(offsets, i)):(is(i) ? $24 : NaN) with points pt (word(points, i) - 1) ps 1.1 \
       lc rgb word(colours, i) notitle, \
     for [i=1:3] dir."/runs.tsv" skip 1 using ($3 * word(offsets, i)):(is(i) ? $25 : NaN) with points pt (word(points, i) + 0) ps 1.1 \
       lc rgb word(colours, i) title word(names, i), \
     for [i=1:3] dir."/runs.tsv" skip 1 using ($3 * word(offsets, i)):((is(i) && ($24 == 0 || $25 == 0)) ? zero_at : NaN) \
       with points pt 11 ps 1.4 lc rgb word(colours, i) notitle, \
     NaN with points pt 11 ps 1.4 lc rgb "#555555" title sprintf("exactly 0 (%d), drawn at the bottom", zeros)
set autoscale y

stats dir."/curves.tsv" skip 1 using ((strcol(3) eq length && $20 == 0) ? 1 : 0) nooutput
middle_zeros = int(STATS_sum)
set title "the same ratio during training, T = ".length.(middle_zeros > 0 ? sprintf(" (%d exact zeros not drawn)", middle_zeros) : "") font ",11"
unset logscale x
set xlabel "optimiser step"
set key default
set key bottom left font ",10" box lc rgb "#bbbbbb" opaque
# One line per seed (the seeds' rows follow each other; a NaN row breaks nothing, so each
# seed is drawn on its own).
seedlist = ""
stats dir."/curves.tsv" skip 1 using (strstrt(" ".seedlist, " ".strcol(13)." ") == 0 ? (seedlist = seedlist.strcol(13)." ", 0) : 0) nooutput
ns = words(seedlist)
plot for [i=1:3] for [s=1:ns] dir."/curves.tsv" skip 1 using 14:((atlength(i) && strcol(13) eq word(seedlist, s)) ? $20 : NaN) \
       with lines lw 1.5 lc rgb word(colours, i) title (s == 1 ? word(names, i) : "")

set title "||dL/dh_t|| over t, T = ".length.", seed ".seed
set xlabel "step t"
set ylabel "||dL/dh_t|| on the probe batch"
set key bottom right
set xrange [0:length + 0]
plot for [i=1:3] dir."/gradients.tsv" skip 1 using 15:((atlength(i) && $14 == 0) ? $17 : NaN) with lines lw 1.5 dt 2 \
       lc rgb word(colours, i) title word(names, i)." before training", \
     for [i=1:3] dir."/gradients.tsv" skip 1 using 15:((atlength(i) && $14 > 0) ? $17 : NaN) with lines lw 2.5 \
       lc rgb word(colours, i) title word(names, i)." where it stopped"
unset multiplot

# The classic and the modern cells on one long-lag task, against the sequence length T
# (a cell absent from every folder draws nothing but its key entry; `cells` may name a prefix
# of the list below to leave the last ones out).
# Left: the fraction of seeds that solve the task within the budget. Middle: the median final
# test loss over seeds, with the success threshold and the baseline, reaching down to the
# lowest finite median (a fifth of the threshold at least); a median above `cap` (a
# diverged run) is drawn at cap in a triangle, and one the table gives as NaN or inf at `top`,
# crossed and counted in the panel. Right: the median number
# of steps the solved runs needed. Each folder is its own task-sweep with the same budget
# rules; points of one cell from one folder are joined below T = `alone`, and points at
# T >= `alone` (the runs at T = 1000, most from folders of their own) stand alone. A ring
# marks a point of fewer runs than `seeds` (each folder's summary.tsv gives the count).
#
# Data:   $datadir/tasks/<folder>/summary.tsv for each folder in `folders`, made by
#         gradlab task-sweep (each folder's command is in its config.json); the first folder's
#         config.json gives the success fraction and the evaluation interval
# Render: gnuplot -e "set terminal pngcairo size 1800,600 font 'DejaVu Sans,11'; set output 'tasks_modern.png'; datadir='plots/data'" plots/tasks_modern.gp
#
# summary.tsv: 1 task 2 cell 3 length 4 hidden 5 batch 6 optimizer 7 learning_rate 8 momentum 9 sigma
#              10 clip_norm 11 budget_steps 12 success_loss 13 runs 14 solved 15 fraction_solved 16 blew_up
#              17 median_solved_step 18 median_final_test_loss

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
if (!exists("seeds")) seeds = 5    # the seeds a full point has; points with fewer runs are ringed
if (!exists("xmin")) xmin = 7
if (!exists("xmax")) xmax = 1500
if (!exists("alone")) alone = 1000    # points at this T and above are not joined to the line
seeds = seeds + 0; xmin = xmin + 0; xmax = xmax + 0; alone = alone + 0    # numbers, also when set as strings
if (!exists("folders")) folders = "adding-sweep modern/adding-new modern/adding-1000-lstm-gru modern/adding-1000 modern/adding-1000-rnn modern/adding-lru"

# --- settings you may tweak --------------------------------------------------------------
if (!exists("cells")) cells = "rnn lstm gru irnn chrono mingru lru linear"    # a prefix of this list draws fewer
names = "'tanh RNN' 'LSTM (forget bias 1)' 'GRU' 'IRNN' 'chrono LSTM' 'minGRU' 'LRU' 'linear RNN'"
colours = "#d62728 #1f77b4 #2ca02c #ff7f0e #9467bd #8c564b #17becf #7f7f7f"
points = "7 5 9 11 13 15 3 1"
offsets = "0.80 0.86 0.92 0.98 1.04 1.10 1.17 1.24"    # x-offsets of the cells' points (log axis)
# ------------------------------------------------------------------------------------------

set datafile separator tab
first = word(folders, 1)
stats datadir."/tasks/".first."/summary.tsv" skip 1 every ::0::0 using (task = strcol(1), hidden = strcol(4), batch = strcol(5), \
      optimizer = strcol(6), rate = strcol(7), budget = $11, threshold = $12, 0) nooutput
name(i) = word(names, i)
pick(i, c) = strcol(2) eq word(cells, i) ? column(c) : NaN
joined(y) = $3 < alone ? y : NaN       # drawn with linespoints
single(y) = $3 >= alone ? y : NaN      # drawn with points
few(i, c) = strcol(2) eq word(cells, i) && $13 < seeds ? column(c) : NaN    # points of fewer runs
file(j) = datadir."/tasks/".word(folders, j)."/summary.tsv"
n = words(folders)
ncells = words(cells)

set multiplot layout 1,3 title sprintf("%s task: solved = test loss below %.3g within %d steps;  H %s, B %s, %s lr %s, %d seeds per point", \
    task, threshold, budget, hidden, batch, optimizer, rate, seeds) font ",12"
set logscale x 2
set xrange [xmin:xmax]
set xtics (10, 20, 50, 100, 200, 400, 1000)
fraction = system("sed -n 's/.*\"successFraction\" : \\([0-9.e-]*\\).*/\\1/p' ".datadir."/tasks/".first."/config.json | head -1") + 0
evaluate = system("sed -n 's/.*\"evaluateEvery\" : \\([0-9]*\\).*/\\1/p' ".datadir."/tasks/".first."/config.json | head -1") + 0
baseline = threshold / fraction
set xlabel "sequence length T"
set grid lc rgb "#e0e0e0"

set title "fraction of seeds solved"
set ylabel "fraction solved"
set yrange [-0.05:1.05]
set ytics 0, 0.2, 1
# One key for both panels, in a band below them.
set bmargin at screen 0.24
set key at screen 0.5, 0.07 center center horizontal maxrows 2 font ",10" box lc rgb "#bbbbbb" width 1
# The key names each cell once (NaN draws nothing); the data plots carry no title.
plot for [i=1:ncells] NaN with linespoints lw 2.5 pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) title name(i), \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(joined(pick(i, 15))) with linespoints lw 2.5 \
       pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) notitle, \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(single(pick(i, 15))) with points \
       pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) notitle, \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(few(i, 15)) with points pt 6 ps 3 lw 1.5 \
       lc rgb "#000000" title (i == 1 && j == 1 ? sprintf("ringed: fewer than %d runs", seeds) : "")

cap = baseline * 30    # losses above this (diverged runs) are drawn at this height, in a triangle
top = cap * 4          # a median the table gives as NaN or inf is drawn at this height, crossed
# Non-finite by the table: "NaN" read as text (gnuplot drops a point that reads a NaN column),
# an infinity by its value (inf - inf is NaN).
nonfinite(c) = strcol(c) eq "NaN" ? 1 : (column(c) - column(c) != column(c) - column(c))
drawn(s) = strstrt(" ".cells." ", " ".s." ") > 0
nonfinites = 0
do for [j=1:n] {
  stats file(j) skip 1 using ((drawn(strcol(2)) && nonfinite(18)) ? 1 : 0) nooutput
  nonfinites = nonfinites + int(STATS_sum)
}
set yrange [*:*]    # stats below reads every loss
# The range reaches down to the lowest finite median drawn (halved), at least to threshold / 5.
lowest = threshold / 5
do for [j=1:n] {
  stats file(j) skip 1 using ((drawn(strcol(2)) && !nonfinite(18) && column(18) > 0 && column(18) < lowest) ? (lowest = column(18)) : 0) nooutput
}
set title sprintf("median final test loss over seeds (above %.3g: in a triangle, at %.3g)", cap, cap)
set ylabel "test loss (log scale)"
set logscale y
set format y "10^{%L}"
set yrange [(lowest < threshold / 5 ? lowest / 2 : lowest):top * 2]
set ytics autofreq
unset key
inrange(i, c) = pick(i, c) < cap ? pick(i, c) : NaN
above(i, c) = pick(i, c) >= cap && !nonfinite(c) ? cap : NaN
notfinite(i, c) = strcol(2) eq word(cells, i) && nonfinite(c) ? top : NaN
set label 2 "success threshold" at graph 0.02, first threshold * 0.45 font ",10"
set label 3 "baseline" at graph 0.02, first baseline * 1.6 font ",10"
if (nonfinites > 0) set label 4 sprintf("crossed, at the top: a median NaN or inf (%d)", nonfinites) at graph 0.02, first top font ",10"
plot for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(joined(inrange(i, 18))) with linespoints lw 2.5 \
       pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) notitle, \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(single(inrange(i, 18))) with points \
       pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) notitle, \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(above(i, 18)) with points \
       pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) notitle, \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(above(i, 18)) with points pt 8 ps 3 lw 1.5 \
       lc rgb "#000000" notitle, \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(notfinite(i, 18)) with points pt 2 ps 3.5 lw 2 \
       lc rgb "#000000" notitle, \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(notfinite(i, 18)) with points \
       pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) notitle, \
     threshold with lines dt 2 lw 2 lc rgb "#000000" notitle, \
     baseline with lines dt 3 lw 2 lc rgb "#777777" notitle
unset label 2
unset label 3
unset label 4
set format y "%g"

set title "median steps to solve (solved runs only)"
set ylabel "optimiser steps"
set logscale y
set yrange [evaluate / 1.5:budget * 1.5]    # a run solved at the first evaluation is in range
set ytics autofreq
unset key
set label 1 "budget" at graph 0.02, first budget * 1.12 font ",10"
plot for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(joined(pick(i, 17))) with linespoints lw 2.5 \
       pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) notitle, \
     for [i=1:ncells] for [j=1:n] file(j) skip 1 using ($3 * word(offsets, i)):(single(pick(i, 17))) with points \
       pt (word(points, i) + 0) ps 1.4 lc rgb word(colours, i) notitle, \
     budget with lines dt 2 lw 2 lc rgb "#000000" notitle
unset multiplot

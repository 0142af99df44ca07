# Figure (c): the fitted decay rate per step, the least-squares slope of ln ||dL/dh_t||
# against the lag (median over seeds, bars from the first to the third quartile), against
# the spectral norm sigma of W_h, beside the theory log(gamma sigma) with gamma = 1 (tanh).
# The theory line is the RNN's bound: a theorem for the linear and the tanh RNN only.
#
# Data:   $datadir/decay_rates.tsv, made by gradlab decay (see decay_config.json)
# Render: gnuplot -e "set terminal pngcairo size 900,620 font 'Sans,11'; set output 'decay_rates.png'; datadir='plots/data'" plots/decay_rates.gp
#
# Columns: 1 model  2 sigma  3 rate_median  4 rate_q1  5 rate_q3  6 theory  7 seeds

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
rates = datadir."/decay_rates.tsv"

# --- settings you may tweak --------------------------------------------------------------
gamma = 1.0
models = "linear rnn lstm gru"
names = "'linear RNN' 'tanh RNN' 'LSTM (forget bias 1)' 'GRU'"
colours = "#000000 #d62728 #1f77b4 #2ca02c"
points = "6 7 5 9"
# ------------------------------------------------------------------------------------------

name(i) = word(names, i)
pick(i, c) = strcol(1) eq word(models, i) ? column(c) : NaN

set title "Decay rate per step of ||dL/dh_t|| against σ = ||W_h||_2  (T = 100, H = 32)" font ",13"
set xlabel "σ = spectral norm of every recurrent gate block W_h"
set ylabel "rate per step  d ln||dL/dh_t|| / d(lag)   (< 0: vanishing)"
set logscale x
set xrange [0.22:3.4]
set xtics (0.25, 0.5, 0.75, 1, 1.5, 2, 3)
set yrange [-1.8:1.3]
set ytics 0.5
set mytics 5
set grid xtics ytics lc rgb "#e0e0e0"
set key top left reverse Left box lc rgb "#bbbbbb" opaque samplen 3 spacing 1.2
set arrow 1 from 1.0 / gamma, graph 0 to 1.0 / gamma, graph 1 nohead dt (8,5) lc rgb "#777777"
set arrow 2 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#777777"
set label 1 "σ = 1/γ" at 1.0 / gamma, graph 0.04 left offset 0.5, 0 textcolor rgb "#555555"
set label 2 "vanishing" at graph 0.98, graph 0.06 right textcolor rgb "#555555"
set label 3 "exploding" at graph 0.98, first 0.12 right textcolor rgb "#555555"
set samples 200

plot for [i=1:words(models)] rates skip 1 using 2:(pick(i, 3)):(pick(i, 4)):(pick(i, 5)) \
       with yerrorbars pt (word(points, i) + 0) ps 1.2 lw 1.5 lc rgb word(colours, i) notitle, \
     for [i=1:words(models)] rates skip 1 using 2:(pick(i, 3)) \
       with linespoints pt (word(points, i) + 0) ps 1.2 lw 1.5 lc rgb word(colours, i) title name(i), \
     log(gamma * x) with lines lw 3 dt (6,6) lc rgb "#ff7f0e" title "theory log(γσ), γ = 1 (RNN bound)"

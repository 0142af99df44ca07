# How far back the gradient reaches through the recurrences built against vanishing
# gradients, at initialisation. Left: ||dL/dh_t|| / ||dL/dh_T|| against the lag T - t (median
# of the seeds) for IRNN, chrono, minGRU and the cells they improve on. Right: the LRU's rate
# per step against |λ|_max, measured (ring [0.5 r, r], and every |λ| = r) beside log |λ|_max.
#
# Data:   $datadir/decay-modern/decay_modern.tsv and decay_modern_rates.tsv, made by gradlab decay-modern
# Render: gnuplot -e "set terminal pngcairo size 1500,600 font 'Sans,11'; set output 'decay_modern.png'; datadir='plots/data'" plots/decay_modern.gp
#
# Columns (decay_modern.tsv): 1 model  2 setting  3 radius  4 lag  5 grad_median  6 grad_min  7 grad_max
# Columns (decay_modern_rates.tsv): 1 model  2 setting  3 radius  4 lambda_max  5 rate_median
#          6 rate_min  7 rate_max  8 exact_rate  9 steps  10 seeds

set encoding utf8
set datafile separator "\t"
if (!exists("datadir")) datadir = "plots/data"
curves = datadir."/decay-modern/decay_modern.tsv"
rates = datadir."/decay-modern/decay_modern_rates.tsv"

# --- settings you may tweak --------------------------------------------------------------
models = "irnn relu-rnn rnn chrono lstm mingru"
names = "'IRNN (ReLU, W_h = I)' 'ReLU RNN, orthogonal W_h' 'tanh RNN, orthogonal W_h' 'LSTM, chrono biases (T_{max} = T)' 'LSTM, forget bias 1' 'minGRU, zero biases'"
colours = "#2ca02c #98df8a #d62728 #1f77b4 #9467bd #ff7f0e"
lruRadius = 0.99
# ------------------------------------------------------------------------------------------

T = system(sprintf("awk -F'\t' 'NR == 2 { print $9 }' '%s'", rates))
seeds = system(sprintf("awk -F'\t' 'NR == 2 { print $10 }' '%s'", rates))
pick(i) = (strcol(1) eq word(models, i)) ? column(5) : NaN
pickLRU(c) = (strcol(1) eq "lru" && strcol(2) eq "ring" && abs(column(3) - lruRadius) < 1e-12) ? column(c) : NaN

set multiplot layout 1, 2 title sprintf("Gradient reach at initialisation, the modern recurrences (T = %s, H = 32, D = 4, median of %s seeds)", T, seeds) font ",13"

set title "||dL/dh_t|| / ||dL/dh_T|| against the lag"
set xlabel "lag T - t"
set ylabel "relative gradient norm"
set logscale y
set format y "10^{%L}"
set yrange [1e-30:1e3]
set xrange [0:T + 0]
set grid lc rgb "#e0e0e0"
set key at graph 0.98, graph 0.62 right box lc rgb "#bbbbbb" opaque font ",9"
plot for [i=1:words(models)] curves skip 1 using 4:(pick(i)) with lines lw 2.5 lc rgb word(colours, i) title word(names, i), \
     curves skip 1 using 4:(pickLRU(5)) with lines lw 2.5 dt 2 lc rgb "#000000" title sprintf("LRU, |λ| on the ring [%.3g, %.3g]", 0.5 * lruRadius, lruRadius)

set title "LRU: rate per step against its largest |λ| (median of the seeds)"
set xlabel "|λ|_{max}"
set ylabel "rate per step (log of the factor per step)"
unset logscale y
set format y "%g"
set yrange [*:0.05]
set xrange [0.45:1.01]
set key default
set key inside top left box lc rgb "#bbbbbb" opaque font ",9"
plot log(x) with lines lw 1.5 lc rgb "#888888" title "log |λ|_{max}", \
     rates skip 1 using 4:((strcol(1) eq "lru" && strcol(2) eq "equal") ? column(5) : NaN) with points pt 7 ps 1.6 lc rgb "#000000" title "every |λ| = r (exactly log r)", \
     rates skip 1 using 4:((strcol(1) eq "lru" && strcol(2) eq "ring") ? column(5) : NaN):6:7 with yerrorbars pt 5 ps 1.2 lc rgb "#1f77b4" title "ring [0.5 r, r] (median, min-max of seeds)"
unset multiplot

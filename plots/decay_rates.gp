# Figure (c): the fitted decay rate per step, the least-squares slope of ln ||dL/dh_t||
# against the lag (median over seeds, bars from the first to the third quartile), against
# the spectral norm sigma of W_h, beside two theory lines: the Pascanu bound log(gamma sigma)
# with gamma = 1 (an upper bound, a theorem for the linear and the tanh RNN only) and, for the
# linear RNN, log rho, the rate ||W_h^k|| tends to (rho = spectral radius <= sigma; rho = sigma
# for a normal W_h such as sigma * orthogonal).
#
# Data:   $datadir/decay_rates.tsv and decay_settings.tsv, made by gradlab decay
# Render: gnuplot -e "set terminal pngcairo size 900,620 font 'Sans,11'; set output 'decay_rates.png'; datadir='plots/data'" plots/decay_rates.gp
#
# Columns: 1 model  2 sigma  3 rate_median  4 rate_q1  5 rate_q3  6 theory  7 seeds
#          8 norm_median  9 radius_median  10 theory_radius

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
rates = datadir."/decay_rates.tsv"
# The shared settings loader, beside this script (ARG0 is the script's path).
load ARG0[1:strlen(ARG0) - strlen("decay_rates.gp")]."decay_settings.gp"

# --- settings you may tweak --------------------------------------------------------------
gamma = 1.0
# colour and point type per model (a model the run lacks is simply not drawn)
style_models = "linear rnn lstm gru"
style_colours = "#000000 #d62728 #1f77b4 #2ca02c"
style_points = "6 7 5 9"
# ------------------------------------------------------------------------------------------

models = S_models
nm = words(models)
sigmas = S_sigmas
n = words(sigmas)
sig(i) = word(sigmas, i) + 0
style(m, list) = (p_ = strstrt(" ".style_models." ", " ".m." "), \
  p_ == 0 ? word(list, 1) : word(list, words(substr(style_models, 1, p_ - 1)) + 1))
pick(i, c) = strcol(1) eq word(models, i) ? column(c) : NaN
has_linear = strstrt(" ".models." ", " linear ") > 0

set title "Decay rate per step of ||dL/dh_t|| against σ = ||W_h||_2\n".setup_line font ",13"
set xlabel "σ = spectral norm of every recurrent gate block W_h"
set ylabel "rate per step  d ln||dL/dh_t|| / d(lag)   (< 0: vanishing)"
set logscale x
set xrange [sig(1) / 1.12:sig(n) * 1.12]
set xtics () 
do for [i=1:n] { set xtics add (sprintf("%.3g", sig(i)) sig(i)) }
set ytics 0.5
set mytics 5
set grid xtics ytics lc rgb "#e0e0e0"
set key outside below reverse Left box lc rgb "#bbbbbb" samplen 3 spacing 1.1 maxcols 2
if (1.0 / gamma > sig(1) / 1.12 && 1.0 / gamma < sig(n) * 1.12) {
  set arrow 1 from 1.0 / gamma, graph 0 to 1.0 / gamma, graph 1 nohead dt (8,5) lc rgb "#777777"
  set label 1 "σ = 1/γ" at 1.0 / gamma, graph 0.04 left offset 0.5, 0 textcolor rgb "#555555"
}
set arrow 2 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#777777"
set samples 200

plot for [i=1:nm] rates skip 1 using 2:(pick(i, 3)):(pick(i, 4)):(pick(i, 5)) \
       with yerrorbars pt (style(word(models, i), style_points) + 0) ps 1.2 lw 1.5 lc rgb style(word(models, i), style_colours) notitle, \
     for [i=1:nm] rates skip 1 using 2:(pick(i, 3)) \
       with linespoints pt (style(word(models, i), style_points) + 0) ps 1.2 lw 1.5 lc rgb style(word(models, i), style_colours) \
       title model_name(word(models, i)).spectrum_of(word(models, i)), \
     log(gamma * x) with lines lw 3 dt (6,6) lc rgb "#ff7f0e" title "bound log(γσ), γ = 1 (upper bound for the RNNs)", \
     rates skip 1 using 2:(has_linear && strcol(1) eq "linear" ? column(10) : NaN) \
       with linespoints lw 2 dt (2,3) pt 12 ps 2 lc rgb "#9467bd" title "linear RNN: asymptote log ρ"

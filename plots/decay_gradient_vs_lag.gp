# Figure (a): how the gradient ||dL/dh_t|| shrinks or grows with the lag T - t,
# one curve per spectral norm sigma of W_h, for the tanh RNN | LSTM | GRU side by side.
#
# Data:   $datadir/decay_summary.tsv (median and quartiles over seeds), made by
#         gradlab decay            (see decay_config.json for the exact command)
# Render: the Figures module sets terminal and output; by hand:
#         gnuplot -e "set terminal pngcairo size 1500,560 font 'Sans,11'; set output 'decay_gradient_vs_lag.png'; datadir='plots/data'" plots/decay_gradient_vs_lag.gp
#
# Columns of decay_summary.tsv:
#   1 model  2 sigma  3 lag  4 grad_median  5 grad_q1  6 grad_q3  7 product_median
#   8 product_q1  9 product_q3  10 jacobian_median  11 bound  12 cell_grad_median  13 forget_median

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
summary = datadir."/decay_summary.tsv"
rates = datadir."/decay_rates.tsv"

# --- settings you may tweak --------------------------------------------------------------
ymin = 1e-75; ymax = 1e15            # shared y range, so the three panels compare directly
show_band = 1                        # 1: shade the quartiles over the seeds
bound_sigmas = "0.5 1 2"             # dashed Pascanu bound sigma^(T-t) on the RNN panel for these
                                     # sigmas ("" for none); it is a theorem for the RNN only
# ------------------------------------------------------------------------------------------

# The sigma values of the sweep, read from the rates table (one line per model and sigma).
if (!exists("sigmas")) {
  sigmas = ""
  first_model = ""
  stats rates skip 1 using (first_model eq "" ? (first_model = strcol(1), 0) : 0, \
                            strcol(1) eq first_model ? (sigmas = sigmas.strcol(2)." ", 0) : 0) nooutput
}
n = words(sigmas)

# Colours by rank: blues below sigma = 1 (vanishing, darker = smaller), black at sigma = 1,
# reds above (exploding, darker = larger).
nb = 0; na = 0
do for [i=1:n] { s = word(sigmas, i) + 0; if (s < 1) { nb = nb + 1 }; if (s > 1) { na = na + 1 } }
set palette defined (-1 "#08306b", -0.1 "#6baed6", 0 "#000000", 0.1 "#fb6a4a", 1 "#67000d")
set cbrange [-1:1]
unset colorbox
sig(i) = word(sigmas, i) + 0
col(i) = sig(i) < 1 ? -(nb - i + 1.0) / nb : (sig(i) > 1 ? (i - (n - na)) / (1.0 * na) : 0)
width(i) = sig(i) == 1 ? 3 : 1.8

sel(m, i, c) = (strcol(1) eq m && strcol(2) eq word(sigmas, i)) ? column(c) : NaN

set logscale y
set format y "10^{%L}"
set yrange [ymin:ymax]
# A tic every 10 decades (start, step and end given: gnuplot 5.4 is very slow with a bare
# step this large on a log axis).
set ytics 10**(10 * ceil(log10(ymin) / 10)), 1e10, ymax
unset mytics
set xrange [0:*]
set xlabel "lag T - t (steps back from the loss)"
set grid ytics lc rgb "#dddddd" lw 1
set style fill transparent solid 0.15 noborder

set multiplot layout 1,3 title "Gradient norm ||dL/dh_t|| against lag: tanh RNN, LSTM, GRU (T = 100, H = 32, median over seeds)" font ",13"

# Is sigma number i one of bound_sigmas?
has_bound(i) = strstrt(" ".bound_sigmas." ", " ".word(sigmas, i)." ") > 0

set title "tanh RNN (dashed: bound σ^{T-t} for σ = ".bound_sigmas.")"
set ylabel "||dL/dh_t||   (at lag 0: ||dL/dh_T|| = 1)"
unset key
plot for [i=1:n] summary skip 1 using 3:(show_band ? sel("rnn", i, 5) : NaN):(sel("rnn", i, 6)) \
       with filledcurves lc palette cb col(i) notitle, \
     for [i=1:n] summary skip 1 using 3:(has_bound(i) ? sel("rnn", i, 11) : NaN) \
       with lines dt (8,5) lw 1.5 lc palette cb col(i) notitle, \
     for [i=1:n] summary skip 1 using 3:(sel("rnn", i, 4)) \
       with lines lw width(i) lc palette cb col(i) notitle

set title "LSTM (forget-gate bias 1)"
set ylabel ""
set key bottom left reverse Left samplen 2.5 spacing 1.1 font ",10" title "σ = ||W_h||_2" box lc rgb "#bbbbbb" width 1
plot for [i=1:n] summary skip 1 using 3:(show_band ? sel("lstm", i, 5) : NaN):(sel("lstm", i, 6)) \
       with filledcurves lc palette cb col(i) notitle, \
     for [i=1:n] summary skip 1 using 3:(sel("lstm", i, 4)) \
       with lines lw width(i) lc palette cb col(i) title sprintf("σ = %s", word(sigmas, i))
unset key

set title "GRU"
plot for [i=1:n] summary skip 1 using 3:(show_band ? sel("gru", i, 5) : NaN):(sel("gru", i, 6)) \
       with filledcurves lc palette cb col(i) notitle, \
     for [i=1:n] summary skip 1 using 3:(sel("gru", i, 4)) \
       with lines lw width(i) lc palette cb col(i) notitle

unset multiplot

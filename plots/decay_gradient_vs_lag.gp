# Figure (a): how the gradient ||dL/dh_t|| shrinks or grows with the lag T - t, one curve per
# spectral norm sigma of W_h, one panel per model of the run (the linear RNN, the closed-form
# check, is left to decay_rates and decay_nonnormal unless it is the only model).
#
# Data:   $datadir/decay_summary.tsv (median and quartiles over seeds), decay_rates.tsv and
#         decay_settings.tsv, made by gradlab decay (see decay_config.json for the command).
# Render: the Figures module sets terminal and output; by hand:
#         gnuplot -e "set terminal pngcairo size 1500,560 font 'DejaVu Sans,11'; set output 'decay_gradient_vs_lag.png'; datadir='plots/data'" plots/decay_gradient_vs_lag.gp
#
# Columns of decay_summary.tsv:
#   1 model  2 sigma  3 lag  4 grad_median  5 grad_q1  6 grad_q3  7 product_median
#   8 product_q1  9 product_q3  10 jacobian_median  11 bound  12 cell_grad_median
#   13 forget_median  14 power_median

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
summary = datadir."/decay_summary.tsv"
# The shared settings loader, beside this script (ARG0 is the script's path).
load ARG0[1:strlen(ARG0) - strlen("decay_gradient_vs_lag.gp")]."decay_settings.gp"

# --- settings you may tweak --------------------------------------------------------------
show_band = 1                        # 1: shade the quartiles over the seeds
# ------------------------------------------------------------------------------------------

sigmas = S_sigmas
n = words(sigmas)
np = words(panels)
# Dashed Pascanu bound (γσ)^(T-t) for the smallest, the middle and the largest sigma, on the
# panels where it is a theorem (rnn, linear; the table leaves it NaN elsewhere).
has_bound(i) = i == 1 || i == n || i == int((n + 1) / 2)

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
on_panel(c) = strstrt(" ".panels, " ".strcol(1)." ") > 0 && column(c) > 0 ? column(c) : NaN

# One y range for every panel (so they compare directly), whole decades around the quartiles.
stats summary skip 1 using (on_panel(5)) nooutput
lo = floor(log10(STATS_min))
stats summary skip 1 using (on_panel(6)) nooutput
hi = ceil(log10(STATS_max)) + 1
step = hi - lo > 40 ? 10 : (hi - lo > 16 ? 5 : (hi - lo > 8 ? 2 : 1))
lo = step * floor(lo / (1.0 * step))
set logscale y
set format y "10^{%L}"
set yrange [10.0**lo:10.0**hi]
set ytics 10.0**lo, 10.0**step, 10.0**hi
unset mytics
set xrange [0:*]
set xlabel "lag T - t (steps back from the loss)"
set grid ytics lc rgb "#dddddd" lw 1
set style fill transparent solid 0.15 noborder

set multiplot layout 1,np title "Gradient norm ||dL/dh_t|| against lag (".setup_line.")" font ",13"

do for [k=1:np] {
  m = word(panels, k)
  bounded = m eq "rnn" || m eq "linear"
  set title model_name(m).spectrum_of(m).(bounded ? "; dashed: bound (γσ)^{T-t}" : "")
  set ylabel (k == 1 ? "||dL/dh_t||   (at lag 0: ||dL/dh_T|| = 1)" : "")
  # The key on the middle panel: σ = ||W_h||_2 of every gate block.
  if (k == int((np + 1) / 2)) {
    set key bottom left reverse Left samplen 2.5 spacing 1.1 font ",10" title "σ = ||W_h||_2" box lc rgb "#bbbbbb" width 1
  } else {
    unset key
  }
  plot for [i=1:n] summary skip 1 using 3:(show_band ? sel(m, i, 5) : NaN):(sel(m, i, 6)) \
         with filledcurves lc palette cb col(i) notitle, \
       for [i=1:n] summary skip 1 using 3:(has_bound(i) ? sel(m, i, 11) : NaN) \
         with lines dt (8,5) lw 1.5 lc palette cb col(i) notitle, \
       for [i=1:n] summary skip 1 using 3:(sel(m, i, 4)) \
         with lines lw width(i) lc palette cb col(i) title sprintf("σ = %.3g", sig(i))
}

unset multiplot

# Figure (e): when W_h is not normal, its spectral norm sigma and its spectral radius rho part
# ways. Left: Gaussian W_h (N(0, 1/H) rescaled to norm sigma; rho about sigma/2). Right: a
# non-normal W_h with rho chosen far below sigma (triangular in a random basis). Each panel:
# the linear RNN's ||dL/dh_t|| (median, quartile band) and ||W_h^k||_2 from exact powers (its
# accumulated Jacobian), the tanh RNN's ||dL/dh_t|| on a W_h drawn the same way (its own seeds,
# the same sigma; the same rho/sigma for the non-normal family), the Pascanu bound
# sigma^k (gamma = 1) and a line of slope log rho through the last ||W_h^k||: the rate the
# linear RNN tends to. For the tanh RNN neither line is a law: its Jacobians diag(tanh') W_h
# are not powers of W_h.
#
# Data:   $datadir/decay-gaussian/ and $datadir/decay-nonnormal/, each decay_summary.tsv,
#         decay_rates.tsv and decay_settings.tsv, made by `make figures` (the two gradlab decay
#         commands are in the Makefile and in each folder's decay_config.json)
# Render: gnuplot -e "set terminal pngcairo size 1500,620 font 'DejaVu Sans,11'; set output 'decay_nonnormal.png'; datadir='plots/data'" plots/decay_nonnormal.gp
#
# Columns of decay_summary.tsv: 1 model  2 sigma  3 lag  4 grad_median  5 grad_q1  6 grad_q3
#   ... 11 bound ... 14 power_median

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
base = datadir
here = ARG0[1:strlen(ARG0) - strlen("decay_nonnormal.gp")]

# --- settings you may tweak --------------------------------------------------------------
folders = "decay-gaussian decay-nonnormal"
linear_colour = "#000000"; power_colour = "#d62728"; rnn_colour = "#1f77b4"
bound_colour = "#ff7f0e"; radius_colour = "#9467bd"
# ------------------------------------------------------------------------------------------

set logscale y
set format y "10^{%L}"
set xlabel "lag k = T - t (steps back from the loss)"
set grid ytics lc rgb "#dddddd"
set style fill transparent solid 0.2 noborder
set key inside bottom left reverse Left box lc rgb "#bbbbbb" opaque samplen 3 spacing 1.1 font ",10"

set multiplot layout 1,words(folders) title "Norm against radius: σ = ||W_h||_2 bounds every step; the linear RNN's long run follows the spectral radius ρ" font ",13"
do for [f=1:words(folders)] {
  datadir = base."/".word(folders, f)
  set autoscale xy   # the previous panel's ranges would filter the stats below
  load here."decay_settings.gp"
  summary = datadir."/decay_summary.tsv"
  s1 = word(S_sigmas, 1)
  T = S_steps + 0
  sel(m, c) = strcol(1) eq m && strcol(2) eq s1 ? column(c) : NaN
  rho = radius_at("linear", s1)
  stats summary skip 1 using (sel("linear", 3) == T ? sel("linear", 14) : NaN) nooutput
  anchor = STATS_max
  positive(c) = column(c) > 0 ? column(c) : NaN
  stats summary skip 1 using (positive(5)) nooutput
  lo = floor(log10(STATS_min))
  stats summary skip 1 using (positive(4)) nooutput
  hi = STATS_max
  stats summary skip 1 using (positive(14)) nooutput
  hi = ceil(log10(hi > STATS_max ? hi : STATS_max)) + 2
  step = hi - lo > 40 ? 10 : (hi - lo > 16 ? 5 : (hi - lo > 8 ? 2 : 1))
  lo = step * floor(lo / (1.0 * step))
  set yrange [10.0**lo:10.0**hi]
  set ytics 10.0**lo, 10.0**step, 10.0**hi
  unset mytics
  set xrange [0:T]
  set samples T + 1
  set title sprintf("%s: σ = %.3g, ρ = %.3g (median over %s seeds)\nT = %s, H = %s", matrix_label, s1 + 0, rho, S_seeds, S_steps, S_hidden)
  set ylabel (f == 1 ? "norm  (||dL/dh_T|| = 1)" : "")
  plot summary skip 1 using 3:(sel("linear", 5)):(sel("linear", 6)) with filledcurves lc rgb linear_colour notitle, \
       summary skip 1 using 3:(sel("linear", 4)) with lines lw 2.5 lc rgb linear_colour title "linear RNN ||dL/dh_t||", \
       summary skip 1 using 3:(sel("linear", 14)) with lines lw 2 dt (10,4) lc rgb power_colour title "||W_h^k||_2 (exact powers)", \
       summary skip 1 using 3:(sel("rnn", 4)) with lines lw 2 lc rgb rnn_colour title "tanh RNN ||dL/dh_t||", \
       summary skip 1 using 3:(sel("linear", 11)) with lines lw 1.5 dt (3,3) lc rgb bound_colour \
         title sprintf("bound σ^k: rate log σ = %+.3f", log(s1 + 0)), \
       '+' using 1:(anchor * rho ** ($1 - T)) with lines lw 1.5 dt (12,4,2,4) lc rgb radius_colour \
         title sprintf("slope log ρ = %+.3f (through the last ||W_h^k||)", log(rho))
}
unset multiplot

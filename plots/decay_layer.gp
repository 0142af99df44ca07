# One imported layer (gradlab decay --weights FILE): how the gradient ||dL/dh_t|| and the
# accumulated Jacobian ||dh_T/dh_t|| (the product norm, where transient growth shows) change
# with the lag, beside the Pascanu bound (gamma sigma)^(T-t) (an upper bound for the linear
# and tanh RNN) and a line of slope log rho (rho = spectral radius, the rate the linear RNN's
# ||W_h^k|| tends to) drawn through the product norm's last point. One colour per sigma
# (one, the layer as it is, unless --sigmas rescaled it).
#
# Data:   $datadir/decay_summary.tsv, decay_rates.tsv, decay_settings.tsv and decay_layer.tsv,
#         made by gradlab decay --weights FILE --output DIR
# Render: gradlab figures --data DIR --output DIR --only decay_layer; by hand:
#         gnuplot -e "set terminal pngcairo size 1100,650 font 'DejaVu Sans,11'; set output 'decay_layer.png'; datadir='runs/weights'" plots/decay_layer.gp
#
# Columns of decay_summary.tsv: 1 model  2 sigma  3 lag  4 grad_median  5 grad_q1  6 grad_q3
#   7 product_median  8 product_q1  9 product_q3  10 jacobian_median  11 bound
#   12 cell_grad_median  13 forget_median  14 power_median
# decay_layer.tsv: 1 gate  2 norm  3 radius  4 radius_rcond  5 radius_step (the layer as imported,
#   before any rescaling; the radius to the digits its condition supports)

set encoding utf8
if (!exists("datadir")) datadir = "runs/weights"
summary = datadir."/decay_summary.tsv"
# The shared settings loader, beside this script (ARG0 is the script's path).
load ARG0[1:strlen(ARG0) - strlen("decay_layer.gp")]."decay_settings.gp"

# --- settings you may tweak --------------------------------------------------------------
colours = "#d62728 #1f77b4 #2ca02c #9467bd #ff7f0e #8c564b"   # one per sigma (cycled)
# ------------------------------------------------------------------------------------------

m = word(S_models, 1)
sigmas = S_sigmas
n = words(sigmas)
sig(i) = word(sigmas, i) + 0
colour(i) = word(colours, (i - 1) % words(colours) + 1)
T = S_steps + 0
sel(i, c) = strcol(1) eq m && strcol(2) eq word(sigmas, i) ? column(c) : NaN

# The layer as imported: the largest gate-block norm and radius.
stats datadir."/decay_layer.tsv" skip 1 using 2 nooutput
file_norm = STATS_max
stats datadir."/decay_layer.tsv" skip 1 using 3 nooutput
file_radius = STATS_max
gates = STATS_records

# Per sigma: rho, and the product norm at the last lag, through which the rho line is drawn.
radius(i) = radius_at(m, word(sigmas, i))
anchors = ""
do for [i=1:n] {
  stats summary skip 1 using (sel(i, 3) == T ? sel(i, 7) : NaN) nooutput
  anchors = anchors.sprintf("%.17g ", STATS_max)
}
rho_line(i, lag) = (word(anchors, i) + 0) * radius(i) ** (lag - T)
bounded = m eq "rnn" || m eq "relu-rnn" || m eq "linear"

positive(c) = column(c) > 0 ? column(c) : NaN
stats summary skip 1 using (positive(5)) nooutput
lo = floor(log10(STATS_min))
stats summary skip 1 using (positive(7)) nooutput
hi = ceil(log10(STATS_max)) + 1
step = hi - lo > 40 ? 10 : (hi - lo > 16 ? 5 : (hi - lo > 8 ? 2 : 1))
lo = step * floor(lo / (1.0 * step))

set title sprintf("%s imported from %s: ||dL/dh_t|| and ||dh_T/dh_t|| against lag\nT = %s, H = %s, D = %s; as imported: %sσ = ||W_h||_2 = %.4g, ρ = %.4g; median over %s seeds", \
  model_name(m), source_text, S_steps, S_hidden, S_input, gates == 1 ? "" : sprintf("largest over %d gate blocks ", gates), \
  file_norm, file_radius, S_seeds) font ",12"
set logscale y
set format y "10^{%L}"
set yrange [10.0**lo:10.0**hi]
set ytics 10.0**lo, 10.0**step, 10.0**hi
unset mytics
set xrange [0:T]
set xlabel "lag T - t (steps back from the loss)"
set ylabel "norm  (||dL/dh_T|| = ||dh_T/dh_T|| = 1)"
set grid ytics lc rgb "#dddddd"
set style fill transparent solid 0.15 noborder
set key inside bottom left reverse Left box lc rgb "#bbbbbb" opaque samplen 3 spacing 1.1
set samples T + 1

plot for [i=1:n] summary skip 1 using 3:(sel(i, 5)):(sel(i, 6)) with filledcurves lc rgb colour(i) notitle, \
     for [i=1:n] summary skip 1 using 3:(sel(i, 4)) with lines lw 2.5 lc rgb colour(i) \
       title sprintf("||dL/dh_t||  (σ = %.4g, ρ = %.4g)", sig(i), radius(i)), \
     for [i=1:n] summary skip 1 using 3:(sel(i, 7)) with lines lw 2 dt (10,4) lc rgb colour(i) \
       title sprintf("||dh_T/dh_t||%s", m eq "linear" ? " = ||W_h^{T-t}||_2" : ""), \
     for [i=1:n] summary skip 1 using 3:(bounded ? sel(i, 11) : NaN) with lines lw 1.5 dt (3,3) lc rgb colour(i) \
       title (bounded ? sprintf("bound (γσ)^{T-t}, rate log(γσ) = %+.3f", log(sig(i))) : "no bound: gated cell"), \
     for [i=1:n] '+' using 1:(rho_line(i, $1)) with lines lw 1.5 dt (12,4,2,4) lc rgb "#555555" \
       title sprintf("slope log ρ = %+.3f (through the last point)", log(radius(i)))

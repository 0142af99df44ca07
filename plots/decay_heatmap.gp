# Figure (b): log10 of the gradient norm ||dL/dh_t|| over lag (x) and the spectral norm
# sigma of W_h (y), one panel per model of the run (as decay_gradient_vs_lag). The dashed
# line is sigma = 1/gamma = 1, where the RNN's bound (gamma sigma)^(T-t) stops guaranteeing
# that gradients vanish.
#
# Data:   $datadir/decay_summary.tsv (median over seeds), decay_rates.tsv and
#         decay_settings.tsv, made by gradlab decay
# Render: gnuplot -e "set terminal pngcairo size 1500,520 font 'DejaVu Sans,11'; set output 'decay_heatmap.png'; datadir='plots/data'" plots/decay_heatmap.gp
# Render: gnuplot -e "set terminal pngcairo size 1500,520 font 'DejaVu Sans,11'; set output 'decay_heatmap.png'; datadir='plots/data'" plots/decay_heatmap.gp
#
# Columns used: 1 model  2 sigma  3 lag  4 grad_median

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
summary = datadir."/decay_summary.tsv"
# The shared settings loader, beside this script (ARG0 is the script's path).
load ARG0[1:strlen(ARG0) - strlen("decay_heatmap.gp")]."decay_settings.gp"

# --- settings you may tweak --------------------------------------------------------------
cmin = -40; cmax = 10     # colour range in decades; values outside get the end colours
gamma = 1.0               # |tanh'| <= 1
# ------------------------------------------------------------------------------------------

sigmas = S_sigmas
n = words(sigmas)
np = words(panels)
sig(i) = word(sigmas, i) + 0
# Each sigma gets a band from the geometric midpoints to its neighbours (log-scaled y axis);
# a single sigma gets a band of a factor 1.5 either side.
lo(i) = n == 1 ? sig(1) / 1.5 : (i == 1 ? sig(1) / sqrt(sig(2) / sig(1)) : sqrt(sig(i - 1) * sig(i)))
hi(i) = n == 1 ? sig(1) * 1.5 : (i == n ? sig(n) * sqrt(sig(n) / sig(n - 1)) : sqrt(sig(i) * sig(i + 1)))

clip(v) = v < cmin ? cmin : (v > cmax ? cmax : v)
# Rows of another model or sigma get y = NaN so they are skipped (a NaN colour alone would
# still paint a box).
is(m, i) = strcol(1) eq m && strcol(2) eq word(sigmas, i)
y(m, i) = is(m, i) ? sig(i) : NaN
cell(m, i) = is(m, i) ? clip(log10(column(4))) : NaN

# Blue: the gradient vanished (dark: by many decades); white: it kept its size; red: it grew.
set palette defined (cmin "#08306b", cmin / 2.0 "#2171b5", cmin / 8.0 "#9ecae1", 0 "#f7f7f7", cmax / 2.0 "#fb6a4a", cmax "#67000d")
set cbrange [cmin:cmax]
set cbtics 10
set cbtics add (sprintf("≤ %d", cmin) cmin, sprintf("≥ %d", cmax) cmax)
set cblabel "log_{10} ||dL/dh_t||"

set logscale y
set yrange [lo(1):hi(n)]
# the sweep's sigmas as the y tics
set ytics () nomirror font ",10"
do for [i=1:n] { set ytics add (sprintf("%.3g", sig(i)) sig(i)) }
set xrange [-0.5:*]
set autoscale xfixmax
set xlabel "lag T - t (steps back)"
set style fill solid 1.0 noborder
# The line sigma = 1/gamma, where it falls inside the range.
if (1.0 / gamma > lo(1) && 1.0 / gamma < hi(n)) {
  set arrow 1 from graph 0, first 1.0 / gamma to graph 1, first 1.0 / gamma nohead dt (8,5) lw 2 lc rgb "#000000" front
  set style textbox opaque noborder margins 2, 1
  set label 1 "σ = 1/γ" at graph 0.98, first 1.0 / gamma right offset 0, 0.9 front boxed font ",10"
}

right = 0.92
set multiplot layout 1,np title "log_{10} of the gradient norm over lag and σ = ||W_h||_2 (".setup_line."; ||dL/dh_T|| = 1)" font ",13" margins 0.06, right, 0.14, 0.86 spacing 0.05
unset colorbox

do for [k=1:np] {
  m = word(panels, k)
  set title model_name(m).spectrum_of(m)
  set ylabel (k == 1 ? "σ = ||W_h||_2  (every gate block)" : "")
  if (k == np) { set colorbox user origin right + 0.015, 0.14 size 0.012, 0.72 }
  plot for [i=1:n] summary skip 1 using 3:(y(m, i)):($3 - 0.6):($3 + 0.6):(lo(i)):(hi(i)):(cell(m, i)) \
         with boxxyerror fc palette notitle
}

unset multiplot

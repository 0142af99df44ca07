# Figure (b): log10 of the gradient norm ||dL/dh_t|| over lag (x) and the spectral norm
# sigma of W_h (y), for the tanh RNN | LSTM | GRU. The dashed line is sigma = 1/gamma = 1,
# where the RNN's bound (gamma sigma)^(T-t) stops guaranteeing that gradients vanish.
#
# Data:   $datadir/decay_summary.tsv (median over seeds), made by gradlab decay
# Render: gnuplot -e "set terminal pngcairo size 1500,520 font 'Sans,11'; set output 'decay_heatmap.png'; datadir='plots/data'" plots/decay_heatmap.gp
#
# Columns used: 1 model  2 sigma  3 lag  4 grad_median

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
summary = datadir."/decay_summary.tsv"
rates = datadir."/decay_rates.tsv"

# --- settings you may tweak --------------------------------------------------------------
cmin = -40; cmax = 10     # colour range in decades; values outside get the end colours
gamma = 1.0               # |tanh'| <= 1
# ------------------------------------------------------------------------------------------

# The sigma values of the sweep, read from the rates table (one line per model and sigma).
if (!exists("sigmas")) {
  sigmas = ""
  first_model = ""
  stats rates skip 1 using (first_model eq "" ? (first_model = strcol(1), 0) : 0, \
                            strcol(1) eq first_model ? (sigmas = sigmas.strcol(2)." ", 0) : 0) nooutput
}
n = words(sigmas)
sig(i) = word(sigmas, i) + 0
# Each sigma gets a band from the geometric midpoints to its neighbours (log-scaled y axis).
lo(i) = i == 1 ? sig(1) / sqrt(sig(2) / sig(1)) : sqrt(sig(i - 1) * sig(i))
hi(i) = i == n ? sig(n) * sqrt(sig(n) / sig(n - 1)) : sqrt(sig(i) * sig(i + 1))

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
do for [i=1:n] { set ytics add (word(sigmas, i) sig(i)) }
set xrange [-0.5:*]
set autoscale xfixmax
set xlabel "lag T - t (steps back)"
set style fill solid 1.0 noborder
set arrow 1 from graph 0, first 1.0 / gamma to graph 1, first 1.0 / gamma nohead dt (8,5) lw 2 lc rgb "#000000" front
set style textbox opaque noborder margins 2, 1
set label 1 "σ = 1/γ" at graph 0.98, first 1.0 / gamma right offset 0, 0.9 front boxed font ",10"

set multiplot layout 1,3 title "log_{10} of the gradient norm over lag and σ = ||W_h||_2 (median over seeds; ||dL/dh_T|| = 1)" font ",13" margins 0.06, 0.92, 0.14, 0.86 spacing 0.05
unset colorbox

set title "tanh RNN"
set ylabel "σ = ||W_h||_2  (every gate block)"
plot for [i=1:n] summary skip 1 using 3:(y("rnn", i)):($3 - 0.6):($3 + 0.6):(lo(i)):(hi(i)):(cell("rnn", i)) \
       with boxxyerror fc palette notitle

set title "LSTM (forget-gate bias 1)"
set ylabel ""
plot for [i=1:n] summary skip 1 using 3:(y("lstm", i)):($3 - 0.6):($3 + 0.6):(lo(i)):(hi(i)):(cell("lstm", i)) \
       with boxxyerror fc palette notitle

set title "GRU"
set colorbox user origin 0.935, 0.14 size 0.012, 0.72
plot for [i=1:n] summary skip 1 using 3:(y("gru", i)):($3 - 0.6):($3 + 0.6):(lo(i)):(hi(i)):(cell("gru", i)) \
       with boxxyerror fc palette notitle

unset multiplot

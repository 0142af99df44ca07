# Figure (d): the LSTM's cell path. Left: the product of forget gates
# prod_{k=t+1..T} f_k (mean over units) against the lag, for forget-gate biases 0, 1, 2.
# Right: the gradient ||dL/dh_t|| those LSTMs pass back, next to the tanh RNN with the same
# spectral norm sigma of W_h. Median over seeds; shaded: first to third quartile.
#
# Data:   $datadir/decay_forget.tsv, decay_rates.tsv and decay_settings.tsv, made by
#         gradlab decay (see decay_config.json)
# Render: gnuplot -e "set terminal pngcairo size 1300,560 font 'DejaVu Sans,11'; set output 'decay_forget.png'; datadir='plots/data'" plots/decay_forget.gp
#
# Columns: 1 model  2 forget_bias  3 sigma  4 lag  5 forget_median  6 forget_q1  7 forget_q3
#          8 grad_median  9 grad_q1  10 grad_q3

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
forget = datadir."/decay_forget.tsv"
# The shared settings loader, beside this script (ARG0 is the script's path).
load ARG0[1:strlen(ARG0) - strlen("decay_forget.gp")]."decay_settings.gp"

# --- settings you may tweak --------------------------------------------------------------
colours = "#fdae6b #e6550d #7f2704 #3182bd #31a354"   # one per forget bias, in table order (cycled)
rnn_colour = "#000000"
ymin = 1e-45
# ------------------------------------------------------------------------------------------

# The forget biases and sigma of the experiment, read from the table (lines at lag 0).
biases = ""
stats forget skip 1 using (strcol(1) eq "lstm" && $4 == 0 ? (biases = biases.strcol(2)." ", 0) : 0, \
                           sigma = strcol(3), 0) nooutput
nb = words(biases)
colour(i) = word(colours, (i - 1) % words(colours) + 1)

lstm(i, c) = (strcol(1) eq "lstm" && strcol(2) eq word(biases, i)) ? column(c) : NaN
rnn(c) = strcol(1) eq "rnn" ? column(c) : NaN

set logscale y
set format y "10^{%L}"
set xrange [0:*]
set xlabel "lag T - t (steps back from the loss)"
set grid ytics lc rgb "#e0e0e0"
set style fill transparent solid 0.2 noborder
set key bottom left reverse Left box lc rgb "#bbbbbb" opaque samplen 3 spacing 1.2

set multiplot layout 1,2 title "The LSTM cell path at σ = ||W_h||_2 = ".sigma.": forget gates decide how far back the gradient reaches\n(".setup_line.")" font ",13"

set title "product of forget gates  mean_j Π_{k=t+1..T} f_k[j]"
set ylabel "forget-gate product (1 at lag 0)"
set yrange [ymin:2]
set ytics 10**(5 * ceil(log10(ymin) / 5)), 1e5, 1
unset mytics
plot for [i=1:nb] forget skip 1 using 4:(lstm(i, 6)):(lstm(i, 7)) with filledcurves lc rgb colour(i) notitle, \
     for [i=1:nb] forget skip 1 using 4:(lstm(i, 5)) with lines lw 2.5 lc rgb colour(i) \
       title sprintf("LSTM, forget bias b_f = %s", word(biases, i))

set title "gradient ||dL/dh_t||  (||dL/dh_T|| = 1)"
set ylabel "||dL/dh_t||"
plot for [i=1:nb] forget skip 1 using 4:(lstm(i, 9)):(lstm(i, 10)) with filledcurves lc rgb colour(i) notitle, \
     for [i=1:nb] forget skip 1 using 4:(lstm(i, 8)) with lines lw 2.5 lc rgb colour(i) \
       title sprintf("LSTM, b_f = %s", word(biases, i)), \
     forget skip 1 using 4:(rnn(9)):(rnn(10)) with filledcurves lc rgb rnn_colour notitle, \
     forget skip 1 using 4:(rnn(8)) with lines lw 2.5 dt (8,4) lc rgb rnn_colour title "tanh RNN, same σ"

unset multiplot

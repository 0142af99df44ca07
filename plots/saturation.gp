# Saturation, shown: left, tanh and its slope tanh' = 1 - tanh² against the pre-activation a;
# right, the measured distribution of the slopes φ'(a_t) = 1 - h_t² of the decay sweep's tanh
# RNN (every step, unit and seed) at a few σ. A slope near 0 passes almost no gradient back.
#
# Data:   $datadir/saturation.tsv and saturation_config.json, made by gradlab saturation
# Render: gnuplot -e "set terminal pngcairo size 1300,540 font 'DejaVu Sans,11'; set output 'saturation.png'; datadir='plots/data'" plots/saturation.gp
#
# Columns: 1 model  2 sigma  3 bin_low  4 bin_high  5 fraction

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
table = datadir."/saturation.tsv"
config = datadir."/saturation_config.json"

# --- settings you may tweak --------------------------------------------------------------
sigmas = "0.5 1 3"
colours = "#1f77b4 #000000 #d62728"
# ------------------------------------------------------------------------------------------

# The run's settings, read from its configuration (so the title says what the data hold).
setting(key) = system(sprintf("sed -n 's/.*\"%s\" : \\([0-9.]*\\).*/\\1/p' '%s' | head -n 1", key, config))
T = setting("steps")
H = setting("hiddenSize")
seeds = setting("seeds")
scale = setting("inputScale")

pick(i, c) = (strcol(1) eq "rnn" && abs(column(2) - word(sigmas, i)) < 1e-9) ? column(c) : NaN

set multiplot layout 1, 2 title sprintf("tanh saturates: its slope, and the slopes the sweep's tanh RNN meets  (T = %s, H = %s, %s seeds, inputs N(0, %s²))", T, H, seeds, scale) font ",13"

set title "tanh and its slope"
set xlabel "pre-activation a"
set ylabel ""
set xrange [-4:4]
set yrange [-1.1:1.1]
set grid lc rgb "#e0e0e0"
set key bottom right box lc rgb "#bbbbbb" opaque
set samples 400
plot tanh(x) lw 2.5 lc rgb "#555555" title "tanh(a)", \
     1 - tanh(x)**2 lw 2.5 lc rgb "#ff7f0e" title "slope tanh'(a) = 1 - tanh(a)²"

set title "measured slopes φ'(a_t) = 1 - h_t² of the tanh RNN"
set xlabel "slope φ'(a_t)  (0: saturated, 1: linear)"
set ylabel "fraction of all (step, unit, seed)"
set xrange [0:1]
set yrange [0:*]
set key top left
plot for [i=1:words(sigmas)] table skip 1 using ((column(3) + column(4)) / 2):(pick(i, 5)) \
       with histeps lw 2.5 lc rgb word(colours, i) title "σ = ".word(sigmas, i)
unset multiplot

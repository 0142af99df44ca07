# The modern recurrences on the course's rate chart. Left: the rate per step of ||dL/dh_t||
# (least-squares slope of its log against the lag; median over seeds, bars from the first to
# the third quartile) against σ of the recurrent matrix (σ = ρ for σ I, σ · orthogonal and the
# LRU's diagonal Λ; ρ < σ for the LSTM's gate blocks: radius_median), beside the course's tanh RNN and LSTM on the same data, and
# log σ (the LRU's exact rate when every |λ| = σ; an upper bound for the IRNN). Right: minGRU,
# which has no recurrent matrix, against its mean gate z̄ (one point per gate bias b_z),
# beside log(1 - z̄), the rate if every 1 - z_t equalled its mean.
#
# Data:   $datadir/decay-modern/decay_modern_sigma.tsv (gradlab decay-modern) and
#         $datadir/decay_rates.tsv (gradlab decay, the course sweep on the same data)
# Render: gnuplot -e "set terminal pngcairo size 1500,620 font 'Sans,11'; set output 'decay_modern_sigma.png'; datadir='plots/data'" plots/decay_modern_sigma.gp
#
# Columns (decay_modern_sigma.tsv): 1 model  2 setting  3 sigma  4 gate_bias  5 norm_median
#   6 radius_median  7 mean_gate_median  8 rate_median  9 rate_q1  10 rate_q3  11 exact_rate
#   12 seeds  13 steps  14 hidden  15 input
# Columns (decay_rates.tsv): 1 model  2 sigma  3 rate_median  4 rate_q1  5 rate_q3

set encoding utf8
set datafile separator "\t"
if (!exists("datadir")) datadir = "plots/data"
modern = datadir."/decay-modern/decay_modern_sigma.tsv"
course = datadir."/decay_rates.tsv"

# --- settings you may tweak --------------------------------------------------------------
models = "irnn relu-rnn chrono lru:equal lru:ring"
names = "'IRNN (ReLU, W_h = σ I)' 'ReLU RNN, σ · orthogonal W_h' 'LSTM, chrono biases (T_{max} = T)' 'LRU, every |λ| = σ' 'LRU, |λ| on the ring [σ/2, σ]'"
colours = "#2ca02c #98df8a #1f77b4 #000000 #8c564b"
points = "7 6 5 9 8"
courseModels = "rnn lstm"
courseNames = "'tanh RNN, σ · orthogonal W_h (course sweep)' 'LSTM, forget bias 1 (course sweep)'"
courseColours = "#d62728 #9467bd"
# ------------------------------------------------------------------------------------------

field(c) = system(sprintf("awk -F'\t' 'NR == 2 { print $%d }' '%s'", c, modern))
T = field(13)
H = field(14)
D = field(15)
seeds = field(12)
key(i) = word(models, i)
modelOf(k) = strstrt(k, ":") > 0 ? k[1:strstrt(k, ":") - 1] : k
settingOf(k) = strstrt(k, ":") > 0 ? k[strstrt(k, ":") + 1:] : ""
pick(i, c) = (strcol(1) eq modelOf(key(i)) && (settingOf(key(i)) eq "" || strcol(2) eq settingOf(key(i)))) ? column(c) : NaN
pickCourse(i, c) = (strcol(1) eq word(courseModels, i)) ? column(c) : NaN
isMinGRU(c) = (strcol(1) eq "mingru") ? column(c) : NaN

set multiplot layout 1, 2 title sprintf("Decay rate per step at initialisation, the modern recurrences on the course's data (T = %s, H = %s, D = %s, median of %s seeds)", T, H, D, seeds) font ",13"

set title "Rate per step against the recurrent matrix's spectral norm σ"
set xlabel "σ (= ρ for the RNNs' σ I, σ · orthogonal and the LRU's diagonal Λ; ρ < σ for the LSTM's gate blocks)"
set ylabel "rate per step  d ln||dL/dh_t|| / d(lag)   (< 0: vanishing)"
set logscale x
set xrange [0.22:3.4]
set xtics (0.25, 0.5, 0.75, 0.9, 1, 1.25, 1.5, 2, 3)
set yrange [*:1.3]
set grid lc rgb "#e0e0e0"
set key top left box lc rgb "#bbbbbb" opaque font ",9"
set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#777777"
plot log(x) with lines lw 1.5 dt (6, 4) lc rgb "#ff7f0e" title "log σ", \
     for [i=1:words(courseModels)] course skip 1 using 2:(pickCourse(i, 3)) with linespoints lw 1.5 pt 1 ps 1.2 lc rgb word(courseColours, i) title word(courseNames, i), \
     for [i=1:words(models)] modern skip 1 using 3:(pick(i, 8)):(pick(i, 9)):(pick(i, 10)) with yerrorbars pt (word(points, i) + 0) ps 1.1 lc rgb word(colours, i) notitle, \
     for [i=1:words(models)] modern skip 1 using 3:(pick(i, 8)) with lines lw 2 lc rgb word(colours, i) title word(names, i)
unset arrow 1

set title "minGRU: no recurrent matrix; rate against its mean gate z̄ (one point per gate bias b_z)"
set xlabel "z̄ = mean of z_t over units and steps"
set ylabel "rate per step"
unset logscale x
set xrange [0:1]
set xtics auto
set yrange [*:0.1]
set key bottom left
plot log(1 - x) with lines lw 1.5 lc rgb "#888888" title "log(1 - z̄)", \
     modern skip 1 using 7:(isMinGRU(8)):(isMinGRU(9)):(isMinGRU(10)) with yerrorbars pt 7 ps 1.2 lc rgb "#ff7f0e" title "minGRU (median, quartiles of seeds)"
unset multiplot

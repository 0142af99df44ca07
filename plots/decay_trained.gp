# The trained networks on the decay sweep's chart: the decay rate per step of ||dL/dh_t||
# against σ, for the sweep (random inputs, weights set to σ·orthogonal in every gate block;
# medians over seeds with quartile bars) and for the RNN and LSTM trained on IMDB by
# gradlab compare (x: the largest spectral norm over W_h's gate blocks; y: the slope of
# ln ||dL/dh_t|| against the lag on 64 validation reviews), one point per epoch, joined in
# epoch order (0 = the initial weights). The two settings differ (sweep: T = 100, H = 32,
# random inputs; IMDB: real reviews, H = 64, 'pre' padding): read it as where training
# moves a network, not as a fit.
#
# Data:   $datadir/decay_rates.tsv (gradlab decay) and $datadir/compare/compare_spectra.tsv
#         (gradlab compare; make compare)
# Render: gnuplot -e "set terminal pngcairo size 1000,650; set output 'decay_trained.png'; datadir='plots/data'" plots/decay_trained.gp
#
# decay_rates.tsv:     1 model 2 sigma 3 rate_median 4 rate_q1 5 rate_q3 6 theory ...
# compare_spectra.tsv: 1 model 2 maxlen 3 padding 4 seed 5 epoch 6 gate 7 spectral_norm
#                      8 spectral_radius 9 decay_rate

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
rates = datadir."/decay_rates.tsv"
spectra = datadir."/compare/compare_spectra.tsv"
set datafile separator tab

# --- settings you may tweak --------------------------------------------------------------
T = 200
models = "rnn lstm"
names = "'tanh RNN' 'LSTM'"
colours = "#d62728 #1f77b4"
# ------------------------------------------------------------------------------------------

# One row per (model, seed, epoch) of the trained runs at length T, 'pre' padding: the
# largest gate-block σ and the rate; a blank line between runs so lines join one run's epochs.
trained(m) = sprintf("< awk -F'\t' 'NR>1 && $1==\"%s\" && $2==%d && $3==\"pre\" { k=$4\"\\t\"$5; if (!(k in s) || $7>s[k]) s[k]=$7; r[k]=$9; if (!(k in seen)) { seen[k]=1; order[n++]=k } } END { last=\"\"; for (i=0;i<n;i++) { split(order[i], a, \"\\t\"); if (last!=\"\" && a[1]!=last) print \"\"; last=a[1]; print a[1]\"\\t\"a[2]\"\\t\"s[order[i]]\"\\t\"r[order[i]] } }' '%s'", m, T, spectra)
seeds = system(sprintf("awk -F'\t' 'NR>1 && $2==%d && $3==\"pre\" {print $4}' '%s' | sort -un | tr '\\n' ' ' | sed 's/ $//'", T, spectra))
sweep(i, c) = strcol(1) eq word(models, i) ? column(c) : NaN

set title sprintf("Decay rate of ||dL/dh_t|| against σ: the sweep and the networks trained on IMDB (T = %d, seeds %s)", T, seeds) font ",12"
set xlabel "σ: spectral norm of W_h's gate blocks (sweep: every block; trained: the largest)"
set ylabel "rate per step  d ln||dL/dh_t|| / d(lag)"
set logscale x
set xtics (0.5, 0.75, 1, 1.25, 1.5, 2, 3)
# Zoomed on where the trained networks sit (the sweep continues down to σ = 0.25, rate -1.6).
set xrange [0.6:3.3]
set yrange [-0.45:0.3]
set grid xtics ytics lc rgb "#e0e0e0"
set key bottom right font ",10" box opaque
set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#777777"

plot for [i = 1:words(models)] rates skip 1 using 2:(sweep(i, 3)):(sweep(i, 4)):(sweep(i, 5)) \
       with yerrorlines lw 1.5 dt (4,3) pt 6 lc rgb word(colours, i) title "sweep, ".word(names, i), \
     for [i = 1:words(models)] trained(word(models, i)) using 3:4 \
       with linespoints lw 2.5 pt 7 ps 1.5 lc rgb word(colours, i) title "trained on IMDB, ".word(names, i), \
     for [i = 1:words(models)] trained(word(models, i)) using 3:4:(sprintf("%d", column(2))) \
       with labels offset 1.2, 0.6 font ",10" textcolor rgb word(colours, i) notitle, \
     log(x) with lines lw 2 dt (8,4) lc rgb "#ff7f0e" title "log σ (the RNN bound, γ = 1)"

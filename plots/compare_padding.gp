# Padding 'pre' against 'post' at sequence length T = 500, for the RNN, LSTM, GRU and CNN.
# Left: ||dL/dh_t|| over the positions t of the padded sequence (the recurrent models; a
# fixed batch of validation reviews, the best-validation weights, seed 1): with 'post'
# padding the words sit at the start and the gradient must cross every padding step after
# them to reach h_T. Right: test accuracy
# (mean over seeds; bars: 95% t-interval over seeds, where there are two or more).
#
# Data:   $datadir/compare/compare_gradients.tsv and compare_overall.tsv, made by
#         gradlab compare (make compare)
# Render: gnuplot -e "set terminal pngcairo size 1400,600; set output 'compare_padding.png'; datadir='plots/data'" plots/compare_padding.gp
#
# compare_gradients.tsv: 1 model 2 maxlen 3 padding 4 seed 5 epoch 6 t 7 lag 8 grad_norm
# compare_overall.tsv:   1 model 2 maxlen 3 padding 4 seeds 5 test_acc_mean 6 test_acc_sd 7 ci_low 8 ci_high

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
gradients = datadir."/compare/compare_gradients.tsv"
overall = datadir."/compare/compare_overall.tsv"
set datafile separator tab

# --- settings you may tweak --------------------------------------------------------------
T = 500
seed = 1
models = "rnn lstm gru cnn"
names = "'vanilla RNN' 'LSTM' 'GRU' 'text CNN'"
colours = "#d62728 #1f77b4 #2ca02c #9467bd"
# The recurrent models, whose ||dL/dh_t|| the left panel draws (the first three of models).
recurrent = 3
# ------------------------------------------------------------------------------------------

grad(i, side) = (strcol(1) eq word(models, i) && column(2) == T && strcol(3) eq side && column(4) == seed) ? column(8) : NaN
acc(i, side, c) = (strcol(1) eq word(models, i) && column(2) == T && strcol(3) eq side) ? column(c) : NaN
# Bars only where there are two or more seeds (else zero length).
lo(i, side) = (acc(i, side, 4) >= 2) ? acc(i, side, 7) : acc(i, side, 5)
hi(i, side) = (acc(i, side, 4) >= 2) ? acc(i, side, 8) : acc(i, side, 5)
x(i, k) = k + 0.14 * (i - (words(models) + 1) / 2.0)

set multiplot layout 1, 2 title sprintf("Padding at the front ('pre') or the end ('post'), sequence length T = %d", T) font ",13"

set title sprintf("||dL/dh_t|| over the padded sequence (a fixed batch of validation reviews, seed %d)", seed)
set xlabel "position t in the padded sequence (h_T is the last)"
set ylabel "||dL/dh_t||  (log scale)"
set logscale y
set format y "10^{%L}"
unset mytics
set grid lc rgb "#e0e0e0"
set xrange [0:T]
set key bottom right font ",10" box opaque
plot for [i = 1:recurrent] gradients skip 1 using 6:(grad(i, "pre")) with lines lw 2.5 lc rgb word(colours, i) title word(names, i)." pre", \
     for [i = 1:recurrent] gradients skip 1 using 6:(grad(i, "post")) with lines lw 2.5 dt (6,4) lc rgb word(colours, i) title word(names, i)." post"

set title "Test accuracy (mean over seeds, 95% t-interval)"
unset logscale y
set ytics autofreq
set mytics default
set format y "%.2f"
set xlabel ""
set ylabel "test accuracy"
set xrange [0.4:2.6]
set yrange [0.45:0.95]
set xtics ("pre" 1, "post" 2)
set key top right
plot for [i = 1:words(models)] for [k = 1:2] overall skip 1 using (x(i, k)):(acc(i, word("pre post", k), 5)):(lo(i, word("pre post", k))):(hi(i, word("pre post", k))) \
       with yerrorbars pt 7 ps 1.6 lw 2 lc rgb word(colours, i) title (k == 1 ? word(names, i) : ""), \
     for [i = 1:words(models)] for [k = 1:2] overall skip 1 using (x(i, k)):(acc(i, word("pre post", k), 5)):(sprintf("%.3f", acc(i, word("pre post", k), 5))) \
       with labels offset 0, 1.3 font ",10" textcolor rgb word(colours, i) notitle, \
     0.5 with lines dt (4,4) lc rgb "#777777" title "chance (0.5)"
unset multiplot

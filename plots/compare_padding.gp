# Padding 'pre' against 'post' at the longest sequence length T the tables ran with 'post',
# for every model of both tables (the classic models and the diagonal recurrences).
# Left: ||dL/dh_t|| over the positions t of the padded sequence (the models whose units the
# gradient probe read; a fixed batch of validation reviews, the best-validation weights,
# one seed): with 'post' padding the words sit at the start and the gradient must cross
# every padding step after them to reach h_T. The models without such rows are named in the
# panel's title. Right: test accuracy (mean over seeds; bars: 95% t-interval over seeds,
# where there are two or more); a model without a 'post' run is named in the panel's title.
#
# Data:   $datadir/compare/compare_gradients.tsv and compare_overall.tsv (rnn, lstm, gru, cnn)
#         and the same two tables in $datadir/compare-modern (lru, mingru), made by gradlab
#         compare (make compare)
# Render: gnuplot -e "set terminal pngcairo size 1400,600; set output 'compare_padding.png'; datadir='plots/data'" plots/compare_padding.gp
#
# compare_gradients.tsv: 1 model 2 maxlen 3 padding 4 seed 5 epoch 6 t 7 lag 8 grad_norm
# compare_overall.tsv:   1 model 2 maxlen 3 padding 4 seeds 5 test_acc_mean 6 test_acc_sd 7 ci_low 8 ci_high

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
classic(name) = datadir."/compare/".name
modern(name) = datadir."/compare-modern/".name
# Both folders' table as one: the first one's header, then every row of each.
both(name) = sprintf("< cat '%s'; tail -n +2 '%s'", classic(name), modern(name))
# The rows of both folders' table (no header) through an awk program.
rows(name, program) = system(sprintf("tail -q -n +2 '%s' '%s' | awk -F'\t' '%s'", classic(name), modern(name), program))
gradients = both("compare_gradients.tsv")
overall = both("compare_overall.tsv")
set datafile separator tab

# --- settings you may tweak --------------------------------------------------------------
# The seed whose ||dL/dh_t|| the left panel draws.
seed = 1
# The display name, colour and point of each model id the tables may hold (an id not listed
# shows as itself, in grey).
known = "rnn lstm gru cnn lru mingru"
knownnames = "'vanilla RNN' 'LSTM' 'GRU' 'text CNN' 'LRU block' 'minGRU'"
colours = "#d62728 #1f77b4 #2ca02c #9467bd #ff7f0e #8c564b"
points = "7 5 9 13 11 15"
# ------------------------------------------------------------------------------------------

slot(id) = sum [k = 1:words(known)] (word(known, k) eq id ? k : 0)
name(id) = slot(id) > 0 ? word(knownnames, slot(id)) : id
colour(id) = slot(id) > 0 ? word(colours, slot(id)) : "#777777"
point(id) = slot(id) > 0 ? word(points, slot(id)) + 0 : 7
has(list, id) = sum [k = 1:words(list)] (word(list, k) eq id ? 1 : 0)

# T: the longest sequence length with 'post' rows in the accuracy tables.
T = rows("compare_overall.tsv", '$3 == "post" && $2 > T {T = $2} END {print T + 0}') + 0
if (T == 0) { exit error sprintf("no 'post' rows in %s or %s (make compare writes them)", classic("compare_overall.tsv"), modern("compare_overall.tsv")) }
# The models at T, in the tables' order; those with gradient rows at T for `seed`; and the
# range of seed counts at T.
models = rows("compare_overall.tsv", sprintf('$2 == %d && !seen[$1]++ {printf "%%s ", $1}', T))
traced = rows("compare_gradients.tsv", sprintf('$2 == %d && $4 == %d && !seen[$1]++ {printf "%%s ", $1}', T, seed))
if (words(traced) == 0) { exit error sprintf("no ||dL/dh_t|| rows for seed %d at T = %d in %s or %s", seed, T, classic("compare_gradients.tsv"), modern("compare_gradients.tsv")) }
posted = rows("compare_overall.tsv", sprintf('$2 == %d && $3 == "post" {printf "%%s ", $1}', T))
seedcounts = rows("compare_overall.tsv", sprintf('$2 == %d {if (lo == "" || $4 < lo) lo = $4; if ($4 > hi) hi = $4} END {print (lo == hi ? lo : lo "-" hi)}', T))
# The names of the models the left panel cannot draw, and of those without a 'post' run.
untraced = ""
unposted = ""
do for [k = 1:words(models)] {
  id = word(models, k)
  if (!has(traced, id)) { untraced = untraced.(untraced eq "" ? "" : ", ").name(id) }
  if (!has(posted, id)) { unposted = unposted.(unposted eq "" ? "" : ", ").name(id) }
}

grad(id, side) = (strcol(1) eq id && column(2) == T && strcol(3) eq side && column(4) == seed) ? column(8) : NaN
acc(id, side, c) = (strcol(1) eq id && column(2) == T && strcol(3) eq side) ? column(c) : NaN
# Bars only where there are two or more seeds (else zero length).
lo(id, side) = (acc(id, side, 4) >= 2) ? acc(id, side, 7) : acc(id, side, 5)
hi(id, side) = (acc(id, side, 4) >= 2) ? acc(id, side, 8) : acc(id, side, 5)
x(i, k) = k + 0.12 * (i - (words(models) + 1) / 2.0)
# Each mean's label sits above its bar, every other model's one line higher (no overlap).
rise(i) = i % 2 ? 0.9 : 1.9
# The accuracy axis holds every bar drawn and chance.
stats overall skip 1 using (column(2) == T ? (column(4) >= 2 ? column(7) : column(5)) : NaN) nooutput
ymin = STATS_min < 0.5 ? STATS_min : 0.5
stats overall skip 1 using (column(2) == T ? (column(4) >= 2 ? column(8) : column(5)) : NaN) nooutput
ymax = STATS_max

set multiplot layout 1, 2 title sprintf("Padding at the front ('pre') or the end ('post'), sequence length T = %d", T) font ",13"

set title sprintf("||dL/dh_t|| over the padded sequence (a fixed batch of validation reviews, seed %d)", seed) \
  .(untraced eq "" ? "" : "\nno ||dL/dh_t|| in the tables for ".untraced)
set xlabel "position t in the padded sequence (h_T is the last)"
set ylabel "||dL/dh_t||  (log scale)"
set logscale y
set format y "10^{%L}"
unset mytics
set grid lc rgb "#e0e0e0"
set xrange [0:T]
set key bottom right font ",10" box opaque
plot for [i = 1:words(traced)] gradients skip 1 using 6:(grad(word(traced, i), "pre")) with lines lw 2.5 lc rgb colour(word(traced, i)) title name(word(traced, i))." pre", \
     for [i = 1:words(traced)] gradients skip 1 using 6:(grad(word(traced, i), "post")) with lines lw 2.5 dt (6,4) lc rgb colour(word(traced, i)) title name(word(traced, i))." post"

set title sprintf("Test accuracy (mean over %s seeds, 95%% t-interval)", seedcounts) \
  .(unposted eq "" ? "" : "\nno 'post' run: ".unposted)
unset logscale y
set ytics autofreq
set mytics default
set format y "%.2f"
set xlabel ""
set ylabel "test accuracy"
set xrange [0.4:2.6]
set yrange [ymin - 0.02:ymax + 0.04]
set xtics ("pre" 1, "post" 2)
set key top right
plot for [i = 1:words(models)] for [k = 1:2] overall skip 1 using (x(i, k)):(acc(word(models, i), word("pre post", k), 5)):(lo(word(models, i), word("pre post", k))):(hi(word(models, i), word("pre post", k))) \
       with yerrorbars pt point(word(models, i)) ps 1.6 lw 2 lc rgb colour(word(models, i)) title (k == 1 ? name(word(models, i)) : ""), \
     for [i = 1:words(models)] for [k = 1:2] overall skip 1 using (x(i, k)):(hi(word(models, i), word("pre post", k))):(sprintf("%.3f", acc(word(models, i), word("pre post", k), 5))) \
       with labels offset 0, rise(i) font ",10" textcolor rgb colour(word(models, i)) notitle, \
     0.5 with lines dt (4,4) lc rgb "#777777" title "chance (0.5)"
unset multiplot

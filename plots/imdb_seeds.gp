# Test accuracy of the IMDB models over seeds, one panel per cell with a seeds table: every
# seed's last-epoch and best-validation test accuracy, the mean over seeds with its 95%
# Student-t interval (shaded), and, where the table has one, a reference accuracy (the
# original Keras LSTM run's single number).
#
# Data:   $datadir/imdb-<cell>-seeds/seeds.tsv and seeds_summary.tsv, made by
#         gradlab seeds RUN_DIR... [--reference 0.8517] --output plots/data/imdb-<cell>-seeds
#         (make imdb-seeds CELL=<cell> trains the seeds and runs it)
# Render: gnuplot -e "set terminal pngcairo size 1500,620; set output 'imdb_seeds.png'; datadir='plots/data'" plots/imdb_seeds.gp
#
# seeds.tsv:         1 seed 2 run 3 blas_core 4 machine 5 last_epoch 6 last_val_acc 7 last_test_acc
#                    8 best_epoch 9 best_val_acc 10 best_test_acc
# seeds_summary.tsv: 1 cell 2 epochs 3 result 4 n 5 mean 6 sd 7 ci_low 8 ci_high 9 interval
#                    10 reference 11 reference_inside 12 blas_cores 13 length 14 hidden_size

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
set datafile separator tab

# --- settings you may tweak --------------------------------------------------------------
cells = "lstm gru rnn"
# ------------------------------------------------------------------------------------------

seeds(m) = datadir."/imdb-".m."-seeds/seeds.tsv"
summary(m) = datadir."/imdb-".m."-seeds/seeds_summary.tsv"
exists_file(f) = system(sprintf("[ -s '%s' ] && echo 1 || echo 0", f)) eq "1"
shown = ""
do for [i = 1:words(cells)] { if (exists_file(summary(word(cells, i)))) { shown = shown.word(cells, i)." " } }

# Strings from a summary table (row 1 = last epoch, row 2 = best validation).
field(m, row, col, f) = system(sprintf("awk -F'\t' 'NR==%d+1 {print %s($%d)}' '%s'", row, f, col, summary(m)))
min(a, b) = a < b ? a : b
max(a, b) = a > b ? a : b
# Numbers of row r (0 = last epoch, 1 = best validation), column c of a summary table.
pick(m, r, c) = sprintf("stats '%s' skip 1 every ::%d::%d using %d nooutput", summary(m), r, r, c)

set multiplot layout 1, words(shown) title "Test accuracy on IMDB over seeds: last epoch and best-validation epoch, mean with its 95% Student-t interval" font ",13"
set xlabel "seed"
set xtics 1
set format y "%.3f"
set grid ytics lc rgb "#e0e0e0"
set key outside bottom center vertical maxrows 5 font ",9" samplen 2
set bmargin 10

do for [i = 1:words(shown)] {
  m = word(shown, i)
  set autoscale xy  # stats filters by the previous panel's ranges otherwise
  eval pick(m, 0, 5); mean_last = STATS_min
  eval pick(m, 0, 7); low_last = STATS_min
  eval pick(m, 0, 8); high_last = STATS_min
  eval pick(m, 1, 5); mean_best = STATS_min
  eval pick(m, 1, 7); low_best = STATS_min
  eval pick(m, 1, 8); high_best = STATS_min
  reference_text = field(m, 1, 10, "")
  reference = reference_text eq "NaN" ? NaN : reference_text + 0
  eval pick(m, 0, 4); n = int(STATS_min)
  stats seeds(m) skip 1 using 1 nooutput
  seed_lo = STATS_min - 0.7
  seed_hi = STATS_max + 0.7
  # The y range holds every seed, both intervals and the reference (the shaded intervals are
  # objects, which autoscaling does not see).
  stats seeds(m) skip 1 using 7 nooutput
  y_lo = STATS_min; y_hi = STATS_max
  stats seeds(m) skip 1 using 10 nooutput
  y_lo = min(min(y_lo, STATS_min), min(low_last, low_best))
  y_hi = max(max(y_hi, STATS_max), max(high_last, high_best))
  if (reference == reference) { y_lo = min(y_lo, reference); y_hi = max(y_hi, reference) }
  pad = 0.08 * (y_hi - y_lo)
  set yrange [y_lo - pad:y_hi + pad]
  set title sprintf("%s, %s epochs, T = %s, H = %s: %d seeds\n(BLAS kernels: %s)", field(m, 1, 1, "toupper"), field(m, 1, 2, ""), field(m, 1, 13, ""), field(m, 1, 14, ""), n, field(m, 1, 12, "")) font ",11"
  set ylabel (i == 1 ? "test accuracy" : "")
  set xrange [seed_lo:seed_hi]
  set object 1 rect from seed_lo, low_last to seed_hi, high_last fc rgb "#1f77b4" fs transparent solid 0.15 noborder behind
  set object 2 rect from seed_lo, low_best to seed_hi, high_best fc rgb "#ff7f0e" fs transparent solid 0.15 noborder behind
  plot mean_last with lines lw 2 lc rgb "#1f77b4" \
         title sprintf("last epoch: mean %.4f [%.4f, %.4f]", mean_last, low_last, high_last), \
       mean_best with lines lw 2 lc rgb "#ff7f0e" \
         title sprintf("best-validation epoch: mean %.4f [%.4f, %.4f]", mean_best, low_best, high_best), \
       (reference == reference ? reference : NaN) with lines lw 2 dt (8,5) lc rgb "#000000" \
         title (reference == reference ? sprintf("original Keras run (one seed): %.4f", reference) : ""), \
       seeds(m) skip 1 using 1:7 with points pt 7 ps 1.6 lc rgb "#1f77b4" title "last epoch, per seed", \
       seeds(m) skip 1 using 1:10 with points pt 9 ps 1.8 lc rgb "#ff7f0e" title "best-validation epoch, per seed"
  unset object 1
  unset object 2
}
unset multiplot

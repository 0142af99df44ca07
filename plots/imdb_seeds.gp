# Test accuracy of the IMDB model over seeds: every seed's last-epoch and best-validation
# test accuracy, the mean over seeds with its 95% Student-t interval (shaded), and the
# original Keras run's single number for comparison.
#
# Data:   $datadir/imdb-lstm-seeds/seeds.tsv and seeds_summary.tsv, made by
#         gradlab seeds RUN_DIR... --reference 0.8517 --output plots/data/imdb-lstm-seeds
#         (make imdb-seeds trains the seeds and runs it)
# Render: gnuplot -e "set terminal pngcairo size 1000,600; set output 'imdb_seeds.png'; datadir='plots/data'" plots/imdb_seeds.gp
#
# seeds.tsv:         1 seed 2 run 3 blas_core 4 machine 5 last_epoch 6 last_val_acc 7 last_test_acc
#                    8 best_epoch 9 best_val_acc 10 best_test_acc
# seeds_summary.tsv: 1 cell 2 epochs 3 result 4 n 5 mean 6 sd 7 ci_low 8 ci_high 9 interval
#                    10 reference 11 reference_inside 12 blas_cores

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
seeds = datadir."/imdb-lstm-seeds/seeds.tsv"
summary = datadir."/imdb-lstm-seeds/seeds_summary.tsv"
set datafile separator tab

# Strings from the summary table (row 1 = last epoch, row 2 = best validation).
field(row, col, f) = system(sprintf("awk -F'\t' 'NR==%d+1 {print %s($%d)}' '%s'", row, f, col, summary))
cell = field(1, 1, "toupper")
epochs = field(1, 2, "")
cores = field(1, 12, "")
# Numbers of row r (0 = last epoch, 1 = best validation), column c of the summary table.
pick(r, c) = sprintf("stats summary skip 1 every ::%d::%d using %d nooutput", r, r, c)
eval pick(0, 5); mean_last = STATS_min
eval pick(0, 7); low_last = STATS_min
eval pick(0, 8); high_last = STATS_min
eval pick(1, 5); mean_best = STATS_min
eval pick(1, 7); low_best = STATS_min
eval pick(1, 8); high_best = STATS_min
eval pick(0, 10); reference = STATS_min
eval pick(0, 4); n = int(STATS_min)
stats seeds skip 1 using 1 nooutput
seed_lo = STATS_min - 0.7
seed_hi = STATS_max + 0.7

set title sprintf("%s on IMDB, %s epochs: test accuracy of %d seeds (BLAS kernels: %s)", cell, epochs, n, cores) font ",13"
set xlabel "seed"
set ylabel "test accuracy"
set xrange [seed_lo:seed_hi]
set xtics 1
set format y "%.3f"
set grid ytics lc rgb "#e0e0e0"
set key outside bottom center horizontal maxrows 3 font ",10" samplen 2

set object 1 rect from seed_lo, low_last to seed_hi, high_last fc rgb "#1f77b4" fs transparent solid 0.15 noborder behind
set object 2 rect from seed_lo, low_best to seed_hi, high_best fc rgb "#ff7f0e" fs transparent solid 0.15 noborder behind

plot mean_last with lines lw 2 lc rgb "#1f77b4" \
       title sprintf("last epoch: mean %.4f, 95%% t-interval [%.4f, %.4f]", mean_last, low_last, high_last), \
     mean_best with lines lw 2 lc rgb "#ff7f0e" \
       title sprintf("best-validation epoch: mean %.4f, [%.4f, %.4f]", mean_best, low_best, high_best), \
     (reference == reference ? reference : NaN) with lines lw 2 dt (8,5) lc rgb "#000000" \
       title sprintf("original Keras run (one seed): %.4f", reference), \
     seeds skip 1 using 1:7 with points pt 7 ps 1.8 lc rgb "#1f77b4" title "last epoch, per seed", \
     seeds skip 1 using 1:10 with points pt 9 ps 2 lc rgb "#ff7f0e" title "best-validation epoch, per seed"

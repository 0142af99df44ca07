# IMDB training curves: loss and accuracy per epoch, training vs validation, LSTM, GRU and
# the vanilla RNN, with the original Keras run's epoch-100 numbers for comparison.
# Tables: gradlab train --cell lstm|gru|rnn (make imdb copies them to
# plots/data/imdb-<cell>/metrics.tsv and config.json); the Keras run's numbers from
# plots/data/keras-original.tsv (run epoch train_loss val_loss val_acc test_loss test_acc).
# Rendered by `gradlab figures`; by hand:
#   gnuplot -e "set terminal pngcairo size 1400,600; set output 'imdb_training.png'; datadir='data'" imdb_training.gp
lstm = datadir.'/imdb-lstm/metrics.tsv'
rnn = datadir.'/imdb-rnn/metrics.tsv'
gru = datadir.'/imdb-gru/metrics.tsv'
# Sizes from the LSTM run's config.json (the three runs share them).
size(key) = system(sprintf("sed -n 's/.*\"%s\" : \\([0-9]*\\).*/\\1/p' '%s' | head -n 1", key, datadir.'/imdb-lstm/config.json'))
set datafile separator tab
keras = datadir.'/keras-original.tsv'
stats keras skip 1 every ::0::0 using (k_epoch = strcol(2), k_train = strcol(3), k_val = strcol(4), k_acc = strcol(5), 0) nooutput
set grid lw 0.5 lc rgb '#dddddd'
set style line 1 lc rgb '#1f77b4' lw 2.5
set style line 2 lc rgb '#1f77b4' lw 2.5 dt 2
set style line 3 lc rgb '#d62728' lw 2.5
set style line 4 lc rgb '#d62728' lw 2.5 dt 2
set style line 5 lc rgb '#000000' pt 7 ps 1.6
set style line 6 lc rgb '#2ca02c' lw 2.5
set style line 7 lc rgb '#2ca02c' lw 2.5 dt 2

set multiplot layout 1,2 title sprintf("Embedding(%s,%s) → cell(%s) → Dense(1) on IMDB, T = %s: training memorises, validation does not follow", size("vocabularySize"), size("embeddingSize"), size("hiddenSize"), size("sequenceLength")) font ",13"

set title "Binary cross-entropy"
set xlabel "epoch"
set ylabel "loss (log scale)"
set logscale y
set format y "10^{%L}"
set yrange [1e-9:30]
set key below font ",10" maxrows 3 width -2
plot lstm using 1:2 with lines ls 1 title "LSTM train", \
     lstm using 1:4 with lines ls 2 title "LSTM validation", \
     rnn using 1:2 with lines ls 3 title "RNN train", \
     rnn using 1:4 with lines ls 4 title "RNN validation", \
     gru using 1:2 with lines ls 6 title "GRU train", \
     gru using 1:4 with lines ls 7 title "GRU validation", \
     keras skip 1 using 2:3 with points ls 5 title sprintf("Keras LSTM, epoch %s (train %s, val %s)", k_epoch, k_train, k_val), \
     keras skip 1 using 2:4 with points ls 5 notitle

set title "Accuracy"
set ylabel "accuracy (fraction correct)"
unset logscale y
set format y "%.2f"
set yrange [0.45:1.01]
set key default
set key inside bottom right font ",10" box opaque
plot lstm using 1:3 with lines ls 1 title "LSTM train", \
     lstm using 1:5 with lines ls 2 title "LSTM validation", \
     rnn using 1:3 with lines ls 3 title "RNN train", \
     rnn using 1:5 with lines ls 4 title "RNN validation", \
     gru using 1:3 with lines ls 6 title "GRU train", \
     gru using 1:5 with lines ls 7 title "GRU validation", \
     keras skip 1 using 2:5 with points ls 5 title sprintf("Keras LSTM, epoch %s (val %s)", k_epoch, k_acc)
unset multiplot

# How far back into a real review the gradient reaches: ||dL/dh_t|| over the 200 timesteps
# of a fixed batch of validation reviews (the batch's mean loss, B reviews as in training),
# after 0, 1, 10 and 100 epochs, for the trained LSTM, GRU and vanilla RNN.
# Tables: gradlab train (plots/data/imdb-<cell>/gradients.tsv: cell epoch t lag grad_norm).
lstm = datadir.'/imdb-lstm/gradients.tsv'
rnn = datadir.'/imdb-rnn/gradients.tsv'
gru = datadir.'/imdb-gru/gradients.tsv'
size(key) = system(sprintf("sed -n 's/.*\"%s\" : \\([0-9]*\\).*/\\1/p' '%s' | head -n 1", key, datadir.'/imdb-lstm/config.json'))
T = size("sequenceLength") + 0
set datafile separator tab
set grid lw 0.5 lc rgb '#dddddd'
set logscale y
set format y "10^{%L}"
unset mytics
set xlabel "lag T - t (timesteps back from the last word)"
set ylabel "||dL/dh_t||  (log scale)"
set xrange [0:T]
set yrange [1e-44:3]   # the same on every panel (down to the untrained GRU at lag 200), so the cells compare at a glance
set key bottom left font ",10" box opaque
epochs = "0 1 10 100"
colors = "#9e9e9e #2ca02c #ff7f0e #1f77b4"

set multiplot layout 1,3 title sprintf("Gradient reaching back into IMDB reviews during training (%s validation reviews, T = %d)", size("batchSize"), T) font ",13"
do for [file in lstm.' '.gru.' '.rnn] {
  set title sprintf("%s(%s)", (file eq lstm) ? "LSTM" : (file eq gru) ? "GRU" : "vanilla RNN", size("hiddenSize"))
  plot for [k = 1:4] file using ($2 == word(epochs, k) + 0 ? $4 : NaN):5 \
       with lines lw 2.5 lc rgb word(colors, k) title sprintf("after %s epoch%s", word(epochs, k), word(epochs, k) eq "1" ? "" : "s")
}
unset multiplot

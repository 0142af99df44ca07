# How far back into a real review the gradient reaches: ||dL/dh_t|| over the 200 timesteps
# of a fixed batch of 64 validation reviews (the batch's mean loss), after
# 0, 1, 10 and 100 epochs, for the trained LSTM and the vanilla RNN.
# Tables: gradlab train (plots/data/imdb-<cell>/gradients.tsv: cell epoch t lag grad_norm).
lstm = datadir.'/imdb-lstm/gradients.tsv'
rnn = datadir.'/imdb-rnn/gradients.tsv'
set datafile separator tab
set grid lw 0.5 lc rgb '#dddddd'
set logscale y
set format y "10^{%L}"
set xlabel "lag T - t (timesteps back from the last word)"
set ylabel "||dL/dh_t||  (log scale)"
set xrange [0:200]
set yrange [1e-17:3]   # the same on both panels, so the two cells compare at a glance
set key bottom left font ",10" box opaque
epochs = "0 1 10 100"
colors = "#9e9e9e #2ca02c #ff7f0e #1f77b4"

set multiplot layout 1,2 title "Gradient reaching back into IMDB reviews during training (64 validation reviews, T = 200)" font ",13"
do for [file in lstm.' '.rnn] {
  set title (file eq lstm) ? "LSTM(64)" : "vanilla RNN(64)"
  plot for [k = 1:4] file using ($2 == word(epochs, k) + 0 ? $4 : NaN):5 \
       with lines lw 2.5 lc rgb word(colors, k) title sprintf("after %s epoch%s", word(epochs, k), word(epochs, k) eq "1" ? "" : "s")
}
unset multiplot

# How far back into real reviews the gradient of your own classifier reaches: ||dL/dh_t||
# (dL/dh_t is the B x H gradient of the batch's mean binary cross-entropy) against the lag
# T - t, drawn like imdb_gradients. Labels come from the run's settings.
#
# Data:   $datadir/model_reach.tsv (cell t lag grad_norm) and model_reach_settings.tsv
#         (name value), made by gradlab reach --model FILE ... --output DIR
# Render: gradlab reach draws DIR/model_reach.png itself; by hand:
#         gnuplot -e "set terminal pngcairo size 1100,600 font 'Sans,11'; set output 'model_reach.png'; datadir='runs/reach'" plots/model_reach.gp

set encoding utf8
if (!exists("datadir")) datadir = "runs/reach"
table = datadir."/model_reach.tsv"
settings = datadir."/model_reach_settings.tsv"
S(key) = system(sprintf("awk -F '\t' '$1 == \"%s\" { print $2 }' '%s'", key, settings))
escape(s) = system(sprintf("printf '%%s' '%s' | sed 's/[_^{}@&~]/\\\\&/g'", s))

set datafile separator tab
set grid lw 0.5 lc rgb '#dddddd'
set logscale y
set format y "10^{%L}"
unset mytics
T = S("steps") + 0
set xrange [0:T]
set xlabel "lag T - t (timesteps back from the last word)"
set ylabel "||dL/dh_t||  (log scale)"
set key bottom left font ",10" box opaque
set title sprintf("Gradient reaching back into %s reviews: %s(%s) from %s (%s)\n%s; mean loss %.4g, accuracy %.4g", \
  S("reviews"), S("cell") eq "lstm" ? "LSTM" : S("cell") eq "gru" ? "GRU" : S("cell") eq "relu-rnn" ? "ReLU RNN" : S("cell") eq "linear" ? "linear RNN" : "tanh RNN", \
  S("hidden"), escape(S("model")), S("format"), escape(S("inputs")), S("loss") + 0, S("accuracy") + 0) font ",11"
plot table skip 1 using 3:4 with lines lw 2.5 lc rgb "#1f77b4" title "||dL/dh_t||, batch mean loss"

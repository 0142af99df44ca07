# The IMDB loss spikes diagnosed from per-step logs (gradlab train --log-steps).
# Top: per epoch (medians over its 313 steps), the global gradient norm and Adam's step on the
# recurrent kernel W_h relative to ||W_h||, and the gain: Adam's step over the step plain SGD
# would take with the same learning rate. Bottom: every step around the onset of each cell's
# spike in the chosen epoch: loss, gradient norm, gradient per unit of loss, and Adam's
# relative step on W_h. The onset is the first step whose loss is above 100 times the median
# loss of the epoch of steps before it (the largest loss of the epoch when no step is).
#
# Data:   $datadir/imdb-spikes/{rnn,lstm}-epochs.tsv, -window.tsv and spikes.tsv, made by
#         gradlab spikes (commands in imdb-spikes/<cell>-config.json; the runs' own config.json,
#         metrics.tsv and results.json are in imdb-spikes/<cell>-run/)
# Render: gnuplot -e "set terminal pngcairo size 1500,1000 font 'DejaVu Sans,11'; set output 'imdb_spikes.png'; datadir='plots/data'" plots/imdb_spikes.gp
#
# epochs.tsv: 1 epoch 2 loss_median 3 loss_max 4 grad_norm_median 5 grad_norm_max 6 grad_per_loss_median
#             7 update_ratio_recurrent_median 8 update_ratio_recurrent_max 9 adam_v_rms_recurrent_median 10 adam_gain_recurrent_median
# window.tsv: 1 global_step 2 epoch 3 step 4 loss 5 grad_norm 6 grad_norm_recurrent 7 update_norm 8 update_ratio
#             9 update_ratio_recurrent 10 adam_v_rms 11 adam_v_rms_recurrent 12 adam_gain_recurrent 13 grad_per_loss

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
dir = datadir."/imdb-spikes"

# --- settings you may tweak --------------------------------------------------------------
before = 60      # steps shown before each spike
after = 40       # and after it
rnn_colour = "#d62728"
lstm_colour = "#1f77b4"
# ------------------------------------------------------------------------------------------

# The spikes' positions, read from spikes.tsv (columns: 1 cell 2 epoch 3 step 4 global_step).
stats dir."/spikes.tsv" skip 1 using (strcol(1) eq "rnn" ? (rnn_epoch = $2, rnn_step = $3, rnn_at = $4) : \
                                      (lstm_epoch = $2, lstm_step = $3, lstm_at = $4), 0) nooutput
# The model and optimiser of the runs, from the RNN's config.json (the LSTM's has the same).
setting(key) = system("sed -n 's/.*\"".key."\" : \\([0-9.e-]*\\).*/\\1/p' ".dir."/rnn-run/config.json")
hidden = setting("hiddenSize")
rate = setting("learningRate")

set datafile separator tab
set logscale y
set format y "10^{%L}"
set grid lc rgb "#e0e0e0"
set key top right font ",10" box lc rgb "#bbbbbb" opaque samplen 3

set multiplot layout 2,2 title "IMDB, Embedding → cell(".hidden.") → Dense, Adam lr ".rate.": what happens before the loss spikes" font ",13"

set title "per epoch: the RNN's gradient falls a millionfold, Adam's step on W_h does not" font ",11"
set key bottom left
set xlabel "epoch"
set ylabel "median over the epoch's steps"
plot dir."/rnn-epochs.tsv" skip 1 using 1:4 with lines lw 2.5 lc rgb rnn_colour title "RNN  ||g||", \
     dir."/rnn-epochs.tsv" skip 1 using 1:7 with lines lw 2.5 dt 2 lc rgb rnn_colour title "RNN  ||ΔW_h|| / ||W_h||", \
     dir."/lstm-epochs.tsv" skip 1 using 1:4 with lines lw 2.5 lc rgb lstm_colour title "LSTM ||g||", \
     dir."/lstm-epochs.tsv" skip 1 using 1:7 with lines lw 2.5 dt 2 lc rgb lstm_colour title "LSTM ||ΔW_h|| / ||W_h||"

set title "per epoch: Adam's step on W_h over plain SGD's (same learning rate)" font ",11"
set ylabel "median  ||ΔW_h|| / (lr · ||g_{W_h}||);  dotted: RMS of v̂"
set key bottom left
plot dir."/rnn-epochs.tsv" skip 1 using 1:10 with lines lw 2.5 lc rgb rnn_colour title "RNN", \
     dir."/lstm-epochs.tsv" skip 1 using 1:10 with lines lw 2.5 lc rgb lstm_colour title "LSTM", \
     dir."/rnn-epochs.tsv" skip 1 using 1:9 with lines lw 1.5 dt 3 lc rgb rnn_colour title "RNN  RMS of Adam's v̂ for W_h", \
     dir."/lstm-epochs.tsv" skip 1 using 1:9 with lines lw 1.5 dt 3 lc rgb lstm_colour title "LSTM RMS of Adam's v̂ for W_h"

set xlabel "steps from the onset (0: first loss above 100 × the median of the epoch of steps before)"
set ylabel "per step"
set xrange [-before:after]
set key top left font ",9"
window(c, name) = sprintf("%s step by step around epoch %d, step %d", name, c == 1 ? rnn_epoch : lstm_epoch, c == 1 ? rnn_step : lstm_step)

set title window(1, "RNN") font ",11"
plot dir."/rnn-window.tsv" skip 1 using ($1 - rnn_at):4 with lines lw 2 lc rgb "#000000" title "loss", \
     "" skip 1 using ($1 - rnn_at):5 with lines lw 2 lc rgb rnn_colour title "||g||", \
     "" skip 1 using ($1 - rnn_at):13 with lines lw 1.5 lc rgb "#ff7f0e" title "||g|| / loss", \
     "" skip 1 using ($1 - rnn_at):9 with lines lw 2 dt 2 lc rgb "#7b3294" title "||ΔW_h|| / ||W_h||"

set title window(2, "LSTM") font ",11"
plot dir."/lstm-window.tsv" skip 1 using ($1 - lstm_at):4 with lines lw 2 lc rgb "#000000" title "loss", \
     "" skip 1 using ($1 - lstm_at):5 with lines lw 2 lc rgb lstm_colour title "||g||", \
     "" skip 1 using ($1 - lstm_at):13 with lines lw 1.5 lc rgb "#ff7f0e" title "||g|| / loss", \
     "" skip 1 using ($1 - lstm_at):9 with lines lw 2 dt 2 lc rgb "#7b3294" title "||ΔW_h|| / ||W_h||"
unset multiplot

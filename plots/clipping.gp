# Plain SGD on a tanh RNN whose recurrent kernel starts at spectral norm sigma > 1 (adding
# problem), with and without clipping the global gradient norm. Left and middle: the
# training loss and the gradient norm (before clipping) of every step of every seed at one
# sigma and the logged learning rate; a line that stops early became non-finite. Right: the
# fraction of seeds that blew up (a training loss non-finite or above the blow-up factor in
# config.json times the larger of the baseline and the first step's loss), against the
# learning rate.
#
# Data:   $datadir/tasks/clipping/steps.tsv, summary.tsv and config.json, made by gradlab clipping
# Render: gnuplot -e "set terminal pngcairo size 1600,560 font 'DejaVu Sans,11'; set output 'clipping.png'; datadir='plots/data'" plots/clipping.gp
#
# steps.tsv:   1 task 2 cell 3 length 4 hidden 5 batch 6 optimizer 7 learning_rate 8 momentum 9 sigma
#              10 clip_norm 11 budget_steps 12 success_loss 13 seed 14 step 15 loss 16 grad_norm
# summary.tsv: 1-12 the settings without the seed, 13 runs 14 solved 15 fraction_solved 16 blew_up ...

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
dir = datadir."/tasks/clipping"

# --- settings you may tweak --------------------------------------------------------------
sigma = "2.0"                 # the sigma of the left and middle panels (as written in the tables)
clipped_colour = "#1f77b4"
unclipped_colour = "#d62728"
sigma_points = "7 5 9 11 13"
# ------------------------------------------------------------------------------------------

set datafile separator tab
# The settings: from the first step row (the logged learning rate) and the summary.
stats dir."/steps.tsv" skip 1 every ::0::0 using (cell = strcol(2), T = strcol(3), hidden = strcol(4), batch = strcol(5), \
      logged_rate = strcol(7), budget = $11, 0) nooutput
clip = ""
sigmas = ""
stats dir."/summary.tsv" skip 1 using (strcol(10) ne "none" ? (clip = strcol(10), 0) : 0, \
      strstrt(" ".sigmas, " ".strcol(9)." ") == 0 ? (sigmas = sigmas.strcol(9)." ", 0) : 0, 0) nooutput
seedlist = ""
stats dir."/steps.tsv" skip 1 using (strstrt(" ".seedlist, " ".strcol(13)." ") == 0 ? (seedlist = seedlist.strcol(13)." ", 0) : 0) nooutput
ns = words(seedlist)
factor = system("sed -n 's/.*\"blowUpFactor\" : \\([0-9.e-]*\\).*/\\1/p' ".dir."/config.json | head -1")
run(s, clipped) = strcol(9) eq sigma && strcol(13) eq word(seedlist, s) && ((strcol(10) ne "none") == clipped)

set multiplot layout 1,3 title sprintf("tanh RNN (H %s, B %s, T %s, adding task) from σ = ||W_h||_2 > 1, plain SGD: clipping the gradient norm at %s or not", \
    hidden, batch, T, clip) font ",12"
set grid lc rgb "#e0e0e0"
set logscale y
set format y "10^{%L}"
set xlabel "optimiser step"
set xrange [0:budget]
set key top right font ",10" box lc rgb "#bbbbbb" opaque

set title sprintf("training loss, σ = %s, lr %s, every seed", sigma, logged_rate)
set ylabel "batch loss (MSE)"
plot for [s=1:ns] dir."/steps.tsv" skip 1 using 14:(strcol(7) eq logged_rate && run(s, 0) ? $15 : NaN) with lines lw 1.2 \
       lc rgb unclipped_colour title (s == 1 ? "not clipped" : ""), \
     for [s=1:ns] dir."/steps.tsv" skip 1 using 14:(strcol(7) eq logged_rate && run(s, 1) ? $15 : NaN) with lines lw 1.2 \
       lc rgb clipped_colour title (s == 1 ? "clipped at ".clip : "")

set title sprintf("gradient norm before clipping, σ = %s, lr %s", sigma, logged_rate)
set ylabel "||g||"
plot for [s=1:ns] dir."/steps.tsv" skip 1 using 14:(strcol(7) eq logged_rate && run(s, 0) ? $16 : NaN) with lines lw 1.2 \
       lc rgb unclipped_colour title (s == 1 ? "not clipped" : ""), \
     for [s=1:ns] dir."/steps.tsv" skip 1 using 14:(strcol(7) eq logged_rate && run(s, 1) ? $16 : NaN) with lines lw 1.2 \
       lc rgb clipped_colour title (s == 1 ? "clipped at ".clip : ""), \
     (clip + 0) with lines dt 2 lw 2 lc rgb "#000000" title "clip norm"

set title "runs that blew up, over seeds"
set logscale x
unset logscale y
set format y "%.1f"
set xrange [0.007:0.14]
set yrange [-0.05:1.05]
set xlabel "learning rate"
set ylabel sprintf("fraction: loss above %s × max(baseline, first loss), or non-finite", factor)
set key at graph 0.03, graph 0.75 left Left reverse
ns2 = words(sigmas)
set datafile missing NaN   # skip the other settings' rows without breaking the lines
plot for [i=1:ns2] dir."/summary.tsv" skip 1 using 7:(strcol(9) eq word(sigmas, i) && strcol(10) eq "none" ? $16 / $13 : NaN) \
       with linespoints lw 2 pt (word(sigma_points, i) + 0) ps 1.3 lc rgb unclipped_colour title "not clipped, σ = ".word(sigmas, i), \
     for [i=1:ns2] dir."/summary.tsv" skip 1 using 7:(strcol(9) eq word(sigmas, i) && strcol(10) ne "none" ? $16 / $13 : NaN) \
       with linespoints lw 2 dt 2 pt (word(sigma_points, i) + 0) ps 1.3 lc rgb clipped_colour title "clipped, σ = ".word(sigmas, i)
unset multiplot

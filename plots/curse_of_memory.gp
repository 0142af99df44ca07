# The curse of memory: the scalar linear recurrence h_t = λ h_{t-1} + γ x_t (x_t i.i.d. N(0, 1))
# against how long it remembers. Left, the state's variance E[h²]; middle, its sensitivity to
# the recurrent parameter E[(∂h/∂p)²]; right, the mean squared gradient of the loss
# ½ (h - y)² (y independent, of h's variance) with respect to p. Lines are the closed forms,
# points the seeded Monte Carlo estimates with ± 2 standard errors.
#
# Data:   $datadir/memory/curse_of_memory.tsv, made by gradlab memory
# Render: gnuplot -e "set terminal pngcairo size 1700,560 font 'Sans,11'; set output 'curse_of_memory.png'; datadir='plots/data'" plots/curse_of_memory.gp
#
# Columns: 1 setting  2 parameter  3 lambda  4 state  5 sensitivity  6 cross  7 loss_gradient
#          8 mc_state  9 mc_state_se  10 mc_sensitivity  11 mc_sensitivity_se
#          12 mc_loss_gradient  13 mc_loss_gradient_se  14 samples

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
table = datadir."/memory/curse_of_memory.tsv"

# --- settings you may tweak --------------------------------------------------------------
settings = "plain normalised exponential normalised-exponential"
names = "'plain: γ = 1, p = λ' 'normalised: γ = √(1-λ²), p = λ' 'exp(-e^ν): γ = 1, p = ν' 'normalised and exp(-e^ν), p = ν (LRU)'"
colours = "#d62728 #ff7f0e #1f77b4 #2ca02c"
# plain and exp(-e^ν) share E[h²] (same γ): the second is dashed so both show
dashes = "1 1 2 1"
# ------------------------------------------------------------------------------------------

samples = system(sprintf("awk -F'\t' 'NR == 2 { print $14 }' '%s'", table))
pick(i, c) = (strcol(1) eq word(settings, i)) ? column(c) : NaN

set multiplot layout 1, 3 title sprintf("The curse of memory: h_t = λ h_{t-1} + γ x_t, closed forms (lines) and Monte Carlo (%s sequences, ± 2 s.e.)", samples) font ",13"
set logscale xy
set format y "10^{%L}"
set xrange [1.2:0.0008]
set xlabel "1 - λ  (memory grows to the right)"
set grid lc rgb "#e0e0e0"
set key top left box lc rgb "#bbbbbb" opaque font ",9"

do for [panel = 1:3] {
  col = word("4 5 7", panel)
  mc = word("8 10 12", panel)
  set title word("'state variance E[h²]' 'sensitivity E[(∂h/∂p)²]' 'loss gradient E[(∂L/∂p)²]'", panel)
  set yrange [*:*]
  plot for [i=1:words(settings)] table skip 1 using (1 - column(3)):(pick(i, col + 0)) with lines lw 2.5 dashtype int(word(dashes, i)) lc rgb word(colours, i) title word(names, i), \
       for [i=1:words(settings)] table skip 1 using (1 - column(3)):(pick(i, mc + 0)):(2 * column(mc + 1)) with yerrorbars pt 7 ps 0.6 lc rgb word(colours, i) notitle
}
unset multiplot

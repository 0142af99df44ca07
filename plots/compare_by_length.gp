# Test accuracy against review length: the 25,000 test reviews cut into buckets of unpadded
# length at the test set's quantiles, one line per model of both tables (the classic models
# and the diagonal recurrences), one panel per sequence length (padding 'pre'). Bars: the 95% Student-t interval over seeds where there are two or more
# seeds, else the 95% Wilson interval of the bucket's accuracy (test sampling alone).
#
# Data:   $datadir/compare/compare_by_length.tsv (rnn, lstm, gru, cnn) and
#         $datadir/compare-modern/compare_by_length.tsv (lru, mingru), made by gradlab compare
#         (see each folder's compare_runs.tsv for every unit's budget and seconds; make compare)
# Render: gnuplot -e "set terminal pngcairo size 1400,600; set output 'compare_by_length.png'; datadir='plots/data'" plots/compare_by_length.gp
#
# Columns: 1 model 2 maxlen 3 padding 4 bucket 5 length_low 6 length_high 7 count
#          8 truncated_share 9 seeds 10 acc_mean 11 ci_low 12 ci_high 13 sampling_low 14 sampling_high

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
classic = datadir."/compare/compare_by_length.tsv"
modern = datadir."/compare-modern/compare_by_length.tsv"
# Both tables as one: the first one's header, then every row of each.
table = sprintf("< cat '%s'; tail -n +2 '%s'", classic, modern)
set datafile separator tab

# --- settings you may tweak --------------------------------------------------------------
# The display name of each model id the tables may hold (an id not listed shows as itself).
known = "rnn lstm gru cnn lru mingru"
knownnames = "'vanilla RNN' 'LSTM' 'GRU' 'text CNN' 'LRU block' 'minGRU'"
colours = "#d62728 #1f77b4 #2ca02c #9467bd #ff7f0e #8c564b"
points = "7 5 9 13 11 15"
# ------------------------------------------------------------------------------------------

# The models, in the tables' order, and their names.
models = system(sprintf("tail -q -n +2 '%s' '%s' | awk -F'\t' '!seen[$1]++ {printf \"%%s \", $1}'", classic, modern))
slot(id) = sum [k = 1:words(known)] (word(known, k) eq id ? k : 0)
name(i) = slot(word(models, i)) > 0 ? word(knownnames, slot(word(models, i))) : word(models, i)

# The sequence lengths with 'pre' padding in the table, and the seed counts, from the data.
maxlens = system(sprintf("tail -q -n +2 '%s' '%s' | awk -F'\t' '$3==\"pre\" {print $2}' | sort -un | tr '\\n' ' '", classic, modern))
seedrange = system(sprintf("tail -q -n +2 '%s' '%s' | awk -F'\t' '$3==\"pre\" {print $9}' | sort -un | sed -n '1p;$p' | uniq | tr '\\n' ' '", classic, modern))
seedcounts = words(seedrange) == 1 ? word(seedrange, 1) : word(seedrange, 1)."-".word(seedrange, 2)
pick(i, T, c) = (strcol(1) eq word(models, i) && strcol(3) eq "pre" && column(2) == T) ? column(c) : NaN
low(i, T) = pick(i, T, 9) >= 2 ? pick(i, T, 11) : pick(i, T, 13)
high(i, T) = pick(i, T, 9) >= 2 ? pick(i, T, 12) : pick(i, T, 14)
offset(i) = 0.05 * (i - (words(models) + 1) / 2.0)
# One y range for every panel: the bars drawn ('pre' rows, the interval each row draws), and
# the bucket count.
stats table skip 1 using (strcol(3) eq "pre" ? ($9 >= 2 ? $11 : $13) : NaN) nooutput
ymin = STATS_min
stats table skip 1 using (strcol(3) eq "pre" ? ($9 >= 2 ? $12 : $14) : NaN) nooutput
ymax = STATS_max
stats table skip 1 using 4 nooutput
nbuckets = STATS_max

set multiplot layout 1, words(maxlens) title sprintf("IMDB test accuracy by review length (buckets at test-set quartiles; %s seeds per model; one seed: bars of test sampling alone)", seedcounts) font ",13"
set grid ytics lc rgb "#e0e0e0"
set ylabel "test accuracy"
set xlabel "unpadded review length (tokens), bucket"
set format y "%.2f"
set key below horizontal font ",10" box   # below the axes: it hides no bar
set bmargin 6
set xrange [0.5:nbuckets + 0.5]
set yrange [ymin - 0.01:ymax + 0.01]
do for [k = 1:words(maxlens)] {
  T = word(maxlens, k) + 0
  set title sprintf("sequence length T = %d (longer reviews truncated at the front)", T)
  plot for [i = 1:words(models)] table skip 1 using ($4 + offset(i)):(pick(i, T, 10)):(low(i, T)):(high(i, T)) \
         with yerrorlines pt (word(points, i) + 0) ps 1.3 lw 2 lc rgb word(colours, i) title name(i), \
       table skip 1 using 4:(strcol(1) eq word(models, 1) && strcol(3) eq "pre" && column(2) == T ? 1/0 : 1/0):xticlabels(sprintf("%d–%d", column(5), column(6))) notitle
}
unset multiplot

# The networks trained on IMDB on the decay sweep's chart: the decay rate per step of
# ||dL/dh_t|| against the size of W_h, left against the spectral norm σ, right against the
# spectral radius ρ. The sweep: random inputs, orthogonal W_h with every gate block rescaled
# to norm σ (medians over its seeds, quartile bars; x = the median over seeds of the largest
# gate block's norm or radius). The trained runs: 100 epochs on IMDB, every seed; x = the largest norm or radius
# over W_h's gate blocks; y = the slope of ln ||dL/dh_t|| against the lag on a fixed batch of
# validation reviews; one point per gradient epoch (0 = the initial weights), joined in
# epoch order, epochs written beside the first seed. The settings differ (sweep and trained
# run sizes are in the title): read it as where training moves a network, not as a fit.
#
# Data:   $datadir/decay_rates.tsv and decay_settings.tsv (gradlab decay) and
#         $datadir/imdb-<cell>-seeds/seeds_spectra.tsv and seeds_summary.tsv
#         (gradlab seeds; make imdb-seeds CELL=<cell>), or for a cell without seeds its
#         single run's $datadir/imdb-<cell>/spectra.tsv and config.json (make imdb)
# Render: gnuplot -e "set terminal pngcairo size 1500,650; set output 'decay_trained.png'; datadir='plots/data'" plots/decay_trained.gp
#
# decay_rates.tsv:    1 model 2 sigma 3 rate_median 4 rate_q1 5 rate_q3 6 theory 7 seeds
#                     8 norm_median 9 radius_median 10 theory_radius
# seeds_spectra.tsv:  1 seed 2 cell 3 epoch 4 gate 5 spectral_norm 6 spectral_radius 7 decay_rate
# seeds_summary.tsv:  1 cell 2 epochs ... 13 length 14 hidden_size

set encoding utf8
if (!exists("datadir")) datadir = "plots/data"
rates = datadir."/decay_rates.tsv"
settings = datadir."/decay_settings.tsv"
set datafile separator tab

# --- settings you may tweak --------------------------------------------------------------
cells = "rnn lstm gru"
names = "'tanh RNN' 'LSTM' 'GRU'"
colours = "#d62728 #1f77b4 #2ca02c"
# ------------------------------------------------------------------------------------------

seeds_spectra(m) = datadir."/imdb-".m."-seeds/seeds_spectra.tsv"
run_spectra(m) = datadir."/imdb-".m."/spectra.tsv"
summary(m) = datadir."/imdb-".m."-seeds/seeds_summary.tsv"
exists_file(f) = system(sprintf("[ -s '%s' ] && echo 1 || echo 0", f)) eq "1"
setting(name) = system(sprintf("awk -F'\t' '$1==\"%s\" {print $2}' '%s'", name, settings))
summary_field(m, col) = system(sprintf("awk -F'\t' 'NR==2 {print $%d}' '%s'", col, summary(m)))

# Each cell's spectra with the seed in front: its seeds table, else its single committed run
# (plots/data/imdb-<cell>/spectra.tsv, seed from its config.json), else none.
run_seed(m) = system(sprintf("sed -n 's/.*\"seed\" : \\([0-9]*\\).*/\\1/p' '%s' | head -n 1", datadir."/imdb-".m."/config.json"))
source(m) = exists_file(seeds_spectra(m)) ? sprintf("cat '%s'", seeds_spectra(m)) : \
  sprintf("awk -v seed=%s 'NR==1 {print \"seed\\t\" $0; next} {print seed \"\\t\" $0}' '%s'", run_seed(m), run_spectra(m))
trained_cells = ""
summarised = ""
do for [i = 1:words(cells)] {
  m = word(cells, i)
  if (exists_file(seeds_spectra(m)) || exists_file(run_spectra(m))) { trained_cells = trained_cells.m." " }
  if (summarised eq "" && exists_file(summary(m))) { summarised = m }
}
seed_list(m) = system(source(m)." | awk -F'\t' 'NR>1 {print $1}' | sort -un | tr '\\n' ' ' | sed 's/ $//'")
# One row per (seed, epoch): seed, epoch, largest σ, largest ρ, rate; a blank line between
# seeds, so that lines join one run's epochs only.
trained(m) = "< ".source(m)." | awk -F'\t' 'NR>1 { k=$1\"\\t\"$3; if (!(k in s) || $5>s[k]) s[k]=$5; if (!(k in r) || $6>r[k]) r[k]=$6; d[k]=$7; if (!(k in seen)) { seen[k]=1; order[n++]=k } } END { last=\"\"; for (i=0;i<n;i++) { split(order[i], a, \"\\t\"); if (last!=\"\" && a[1]!=last) print \"\"; last=a[1]; print a[1]\"\\t\"a[2]\"\\t\"s[order[i]]\"\\t\"r[order[i]]\"\\t\"d[order[i]] } }'"
sweep(m, c) = strcol(1) eq m ? column(c) : NaN
name_of(m) = word(names, (m eq "rnn") ? 1 : (m eq "lstm") ? 2 : 3)
colour_of(m) = word(colours, (m eq "rnn") ? 1 : (m eq "lstm") ? 2 : 3)

run_text = ""
first_seeds = ""
do for [i = 1:words(trained_cells)] {
  m = word(trained_cells, i)
  run_text = run_text.sprintf("%s%s seed%s %s", (i > 1 ? "; " : ""), name_of(m), (words(seed_list(m)) > 1 ? "s" : ""), seed_list(m))
  first_seeds = first_seeds.word(seed_list(m), 1)." "
}
# Epoch labels on the first seed of each cell only.
first_only(i, c) = column(1) == word(first_seeds, i) + 0 ? column(c) : NaN
set multiplot layout 1, 2 title sprintf("Decay rate of ||dL/dh_t|| against the size of W_h\nsweep: T = %s, H = %s, random inputs, %s W_h;  trained on IMDB for %s epochs: T = %s, H = %s, %s", \
  setting("steps"), setting("hidden"), setting("matrix"), summary_field(summarised, 2), summary_field(summarised, 13), summary_field(summarised, 14), run_text) font ",12"

set ylabel "rate per step  d ln||dL/dh_t|| / d(lag)"
set logscale x
set xtics (0.5, 0.75, 1, 1.5, 2, 3, 5, 8)
set xrange [0.45:*]
set yrange [-0.7:0.35]
set grid xtics ytics lc rgb "#e0e0e0"
set key bottom right font ",9" box opaque
set arrow 1 from graph 0, first 0 to graph 1, first 0 nohead lc rgb "#777777"

do for [panel = 1:2] {
  xcol = panel == 1 ? 8 : 9
  tcol = panel == 1 ? 3 : 4
  set title (panel == 1 ? "against the spectral norm σ (trained: the largest over gate blocks)" : "against the spectral radius ρ (trained: the largest over gate blocks)") font ",11"
  set xlabel (panel == 1 ? "σ = ||W_h||_2" : "ρ = max |λ(W_h)|")
  plot for [i = 1:words(trained_cells)] rates skip 1 using (sweep(word(trained_cells, i), xcol)):(sweep(word(trained_cells, i), 3)):(sweep(word(trained_cells, i), 4)):(sweep(word(trained_cells, i), 5)) \
         with yerrorlines lw 1.5 dt (4,3) pt 6 lc rgb colour_of(word(trained_cells, i)) title "sweep, ".name_of(word(trained_cells, i)), \
       for [i = 1:words(trained_cells)] trained(word(trained_cells, i)) using tcol:5 \
         with linespoints lw 2 pt 7 ps 1.2 lc rgb colour_of(word(trained_cells, i)) title "trained on IMDB, ".name_of(word(trained_cells, i)), \
       for [i = 1:words(trained_cells)] trained(word(trained_cells, i)) using (first_only(i, tcol)):5:(sprintf("%d", column(2))) \
         with labels offset 1.0, 0.7 font ",9" textcolor rgb colour_of(word(trained_cells, i)) notitle, \
       log(x) with lines lw 2 dt (8,4) lc rgb "#ff7f0e" title (panel == 1 ? "log σ (the RNN bound, γ = 1)" : "log ρ")
}
unset multiplot

# Loaded by every decay_*.gp script: the run's own configuration, so no title, label, size or
# model list is written into a script. Reads $datadir/decay_settings.tsv (name<TAB>value
# lines, written by gradlab decay beside the tables) and decay_rates.tsv.
#
# Defines the strings S_source, S_models, S_sigmas, S_steps, S_hidden, S_input, S_seeds,
# S_matrix, S_radius_ratio, S_lstm_forget_bias, S_forget_sigma, S_forget_biases, and:
#   model_name(m)   "tanh RNN", "LSTM (forget bias 1)", ... for a model word
#   panels          the models drawn side by side: every model of the run except the linear
#                   RNN (the closed-form check, drawn by decay_rates and decay_nonnormal),
#                   or the linear RNN when it is the only one
#   radius_at(m, s) the median rho of model m's largest gate block at the sigma word s
#   ratio_of(m)     rho / sigma at the first sigma (a sweep rescales one W, so the ratio is the
#                   same at every sigma); NaN if unknown
#   spectrum_of(m)  ", ρ = 0.76 σ" (a sweep) or ", σ = 6.09, ρ = 0.6" (one sigma)
#   setup_line      "T = 100, H = 32, orthogonal W_h, each gate block rescaled to norm σ,
#                   median over 5 seeds" (an RNN's one block is then σ times an orthogonal
#                   matrix; an LSTM's or GRU's blocks, cut from one orthogonal H × G·H
#                   kernel, are not, and their radius is below σ)

settings = datadir."/decay_settings.tsv"
set datafile separator tab
stats settings skip 1 using ( \
  strcol(1) eq "source" ? (S_source = strcol(2), 0) : 0, \
  strcol(1) eq "models" ? (S_models = strcol(2), 0) : 0, \
  strcol(1) eq "sigmas" ? (S_sigmas = strcol(2), 0) : 0, \
  strcol(1) eq "steps" ? (S_steps = strcol(2), 0) : 0, \
  strcol(1) eq "hidden" ? (S_hidden = strcol(2), 0) : 0, \
  strcol(1) eq "input" ? (S_input = strcol(2), 0) : 0, \
  strcol(1) eq "seeds" ? (S_seeds = strcol(2), 0) : 0, \
  strcol(1) eq "matrix" ? (S_matrix = strcol(2), 0) : 0, \
  strcol(1) eq "radius_ratio" ? (S_radius_ratio = strcol(2), 0) : 0, \
  strcol(1) eq "lstm_forget_bias" ? (S_lstm_forget_bias = strcol(2), 0) : 0, \
  strcol(1) eq "forget_sigma" ? (S_forget_sigma = strcol(2), 0) : 0, \
  strcol(1) eq "forget_biases" ? (S_forget_biases = strcol(2), 0) : 0, \
  0) nooutput

model_name(m) = m eq "rnn" ? "tanh RNN" : (m eq "lstm" ? "LSTM (forget bias ".S_lstm_forget_bias.")" : \
                (m eq "gru" ? "GRU" : (m eq "linear" ? "linear RNN" : m)))

panels = ""
do for [k=1:words(S_models)] { if (word(S_models, k) ne "linear") { panels = panels.word(S_models, k)." " } }
if (panels eq "") { panels = S_models." " }

radii = ""
stats datadir."/decay_rates.tsv" skip 1 using \
  (radii = radii.sprintf("%s:%s=%.17g ", strcol(1), strcol(2), column(9)), 0) nooutput
radius_at(m, s) = (k_ = m.":".s."=", p_ = strstrt(" ".radii, " ".k_), \
                   p_ == 0 ? NaN : substr(radii, p_ + strlen(k_), p_ + strlen(k_) + 25) + 0)
sigma1 = word(S_sigmas, 1) + 0
ratio_of(m) = radius_at(m, word(S_sigmas, 1)) / sigma1
# ", σ = 6.09, ρ = 0.6" for a run at one sigma (an imported layer), ", ρ = 0.76 σ" for a sweep.
spectrum_of(m) = (r_ = radius_at(m, word(S_sigmas, 1)), r_ != r_ ? "" : (words(S_sigmas) == 1 ? \
                  sprintf(", σ = %.3g, ρ = %.3g", sigma1, r_) : sprintf(", ρ = %.3g σ", r_ / sigma1)))

# The file name with enhanced-text specials escaped (an underscore would start a subscript).
source_text = ""
do for [k=1:strlen(S_source)] { c_ = S_source[k:k]; source_text = source_text.(strstrt("_^{}@&~", c_) > 0 ? "\\".c_ : c_) }
matrix_label = S_source ne "random" ? "W_h imported from ".source_text : \
               (S_matrix eq "orthogonal" ? "orthogonal W_h, each gate block rescaled to norm σ" : \
               (S_matrix eq "gaussian" ? "Gaussian W_h rescaled to σ" : "non-normal W_h (ρ = ".S_radius_ratio." σ)"))
setup_line = sprintf("T = %s, H = %s, %s, median over %s seed%s", S_steps, S_hidden, matrix_label, S_seeds, S_seeds eq "1" ? "" : "s")

# GradLab: `make figures` renders every figure of the course, `make test` runs the tests.
# Both install what is missing first (Debian/Ubuntu through apt-get, macOS through Homebrew);
# the figures name the DejaVu Sans font (fonts-dejavu-core), so fontconfig does not substitute another family.
SWIFT ?= swift
GRADLAB = .build/release/gradlab
# Parallel compile jobs of every build below (`make notebooks-check JOBS=1` on a shared
# machine); empty, the default, leaves it to SwiftPM, which runs one per core.
JOBS ?=
SWIFT_JOBS = $(if $(JOBS),-j $(JOBS))
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

PEERS_PY ?= $(HOME)/peers-venv/bin/python
PEERS ?= ../shared/peers

.PHONY: deps build release test figures imdb imdb-seeds compare tasks bench bench-peers notebooks-check clean

deps:
	@if [ "$$(uname)" = Linux ]; then \
	  missing=""; \
	  for p in libopenblas-dev zlib1g-dev fonts-dejavu-core libhdf5-dev pkg-config; do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'install ok installed' || missing="$$missing $$p"; \
	  done; \
	  command -v gnuplot >/dev/null || missing="$$missing gnuplot-nox"; \
	  command -v parallel >/dev/null || missing="$$missing parallel"; \
	  if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  fi; \
	elif [ "$$(uname)" = Darwin ]; then \
	  command -v gnuplot >/dev/null || brew install gnuplot; \
	  brew list hdf5 >/dev/null 2>&1 || brew install hdf5 pkg-config; \
	fi

build: deps
	$(SWIFT) build $(SWIFT_JOBS)

release: deps
	$(SWIFT) build -c release $(SWIFT_JOBS)

test: deps
	$(SWIFT) test $(SWIFT_JOBS)

# The gradient-decay sweep (about 5 s on 2 cores), the two norm-against-radius sweeps of
# decay_nonnormal (Gaussian and non-normal W_h), the saturation, curse-of-memory and
# modern-recurrence decay tables,
# then every figure from the tables in plots/data.
figures: release
	$(GRADLAB) decay --output plots/data
	$(GRADLAB) decay --matrix gaussian --models linear,rnn --sigmas 1.5 --forget-biases none --output plots/data/decay-gaussian
	$(GRADLAB) decay --matrix nonnormal --radius-ratio 0.1 --models linear,rnn --sigmas 6 --forget-biases none --output plots/data/decay-nonnormal
	$(GRADLAB) saturation --output plots/data
	$(GRADLAB) memory --output plots/data/memory
	$(GRADLAB) decay-modern --output plots/data/decay-modern
	$(GRADLAB) figures

# The committed IMDB runs, seed 1 of each cell (on 2 quiet cores with OpenBLAS' own kernels:
# about 8 min for the LSTM, 4 for the RNN, 10 for the GRU), resumable: after a stop, run it
# again. Their small tables are copied next to the figure scripts.
RUN_TABLES = metrics.tsv gradients.tsv spectra.tsv results.json config.json
imdb: release
	for cell in lstm rnn gru; do $(GRADLAB) train --cell $$cell --epochs 100 --output runs/imdb-$$cell --resume || exit 1; done
	for cell in lstm rnn gru; do mkdir -p plots/data/imdb-$$cell && \
	  for f in $(RUN_TABLES); do [ ! -f runs/imdb-$$cell/$$f ] || cp runs/imdb-$$cell/$$f plots/data/imdb-$$cell/; done; done
	$(GRADLAB) figures --only imdb

# One cell over seeds (CELL=lstm, rnn or gru; 100 epochs each, resumable), each seed's small
# tables under plots/data/imdb-$(CELL)-seeds/runs, then the test accuracies with a 95%
# t-interval over seeds (beside Keras' 0.8517 for the LSTM) and the spectra of every seed.
CELL ?= lstm
SEEDS ?= 1 2 3 4 5
REFERENCE_lstm = --reference 0.8517
imdb-seeds: release
	for s in $(SEEDS); do $(GRADLAB) train --cell $(CELL) --epochs 100 --seed $$s --output runs/imdb-$(CELL)-seeds/seed$$s --resume || exit 1; \
	  mkdir -p plots/data/imdb-$(CELL)-seeds/runs/seed$$s && \
	  for f in $(RUN_TABLES); do cp runs/imdb-$(CELL)-seeds/seed$$s/$$f plots/data/imdb-$(CELL)-seeds/runs/seed$$s/; done; done
	$(GRADLAB) seeds $(foreach s,$(SEEDS),plots/data/imdb-$(CELL)-seeds/runs/seed$(s)) $(REFERENCE_$(CELL)) --output plots/data/imdb-$(CELL)-seeds
	$(GRADLAB) figures --only imdb_seeds
	$(GRADLAB) figures --only decay_trained

# RNN, LSTM, GRU and the text CNN on the same split and embedding, up to 10 epochs each,
# stopping after 3 without a lower validation loss (the best-validation epoch's weights
# tested), seeds 1-3, T = 200 and 500 with 'pre' padding, and the recurrent models with
# 'post' padding at 500 (about 50 min on 2 cores), resumable; then the tables in
# plots/data/compare. The LRU block and minGRU the same way (each unit takes minutes: their
# compare_runs.tsv holds the seconds), their tables in plots/data/compare-modern; then the
# figures, which draw both.
COMPARE = $(GRADLAB) compare --epochs 10 --patience 3 --output runs/compare
compare: release
	$(COMPARE) --models rnn,lstm,gru,cnn --seeds 1,2,3 --lengths 200,500 --paddings pre
	$(COMPARE) --models rnn,lstm,gru --seeds 1,2,3 --lengths 500 --paddings post
	$(COMPARE) --models rnn,lstm,gru,cnn --seeds 1,2,3 --lengths 200,500 --paddings pre,post --tables-only --tables plots/data/compare
	$(COMPARE) --models lru,mingru --seeds 1,2,3 --lengths 200,500 --paddings pre
	$(COMPARE) --models lru,mingru --seeds 1,2,3 --lengths 500 --paddings post
	$(COMPARE) --models lru,mingru --seeds 1,2,3 --lengths 200,500 --paddings pre,post --tables-only --tables plots/data/compare-modern
	$(GRADLAB) figures --only compare

bench: release
	$(GRADLAB) bench

# GradLab beside PyTorch (denormals flushed, its fastest setting) on the same machine, one
# after the other, and the ratio; runs/peers/bench-peers.txt keeps the whole output with the
# CPU, the OpenBLAS core and the load average before each. PEERS_PY is a Python with torch
# and numpy (default ~/peers-venv, as ../shared/peers/README.md installs it). Without the
# peers it says how to install them.
bench-peers: release
	@if [ ! -f $(PEERS)/bench_torch.py ] || ! $(PEERS_PY) -c 'import torch, numpy' 2>/dev/null; then \
	  echo "bench-peers needs PyTorch beside GradLab: $(PEERS)/bench_torch.py and a Python with torch and numpy ($(PEERS_PY))."; \
	  echo "Install them (about 7 GB): python3 -m venv ~/peers-venv && ~/peers-venv/bin/pip install torch numpy threadpoolctl"; \
	  echo "(see $(PEERS)/README.md; set PEERS=... and PEERS_PY=... if they live elsewhere). Meanwhile: make bench"; \
	  exit 0; \
	fi; \
	mkdir -p runs/peers && \
	{ uptime && $(PEERS_PY) $(PEERS)/bench_torch.py --epochs 3 --flush-denormal --out runs/peers/torch_ftz.json >/dev/null && \
	  echo "pytorch: $$($(PEERS_PY) -c 'import json; print(json.load(open("runs/peers/torch_ftz.json"))["summary"])')" && \
	  uptime && $(GRADLAB) bench --iterations 40 --json runs/peers/gradlab.json --peer-json runs/peers/torch_ftz.json; } \
	  > runs/peers/bench-peers.txt 2>&1; status=$$?; cat runs/peers/bench-peers.txt; exit $$status

# The notebooks as executable Markdown: every link and image resolves, every marked number
# matches its table cell, every command parses, and the quick blocks run in a scratch folder.
# The long-lag sweep and the clipping comparison behind plots/data/tasks (about 8 min and
# 1 min on 2 busy cores). Resumable: runs already in a folder's runs.tsv are skipped, so
# remove a folder to compute it again. `make figures` only renders the committed tables.
tasks: release
	$(GRADLAB) task-sweep --output plots/data/tasks/adding-sweep
	$(GRADLAB) clipping --output plots/data/tasks/clipping
	$(GRADLAB) figures --only tasks
	$(GRADLAB) figures --only clipping

notebooks-check: release
	$(GRADLAB) notebook check --require-markers notebooks-md/*.md
	$(GRADLAB) notebook check README.md docs/*.md

clean:
	rm -rf .build

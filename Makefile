# GradLab: `make figures` renders every figure of the course, `make test` runs the tests.
# Both install what is missing first (Debian/Ubuntu through apt-get, macOS through Homebrew).
SWIFT ?= swift
GRADLAB = .build/release/gradlab
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: deps build release test figures bench clean

deps:
	@if [ "$$(uname)" = Linux ]; then \
	  missing=""; \
	  for p in libopenblas-dev zlib1g-dev gnuplot-nox; do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	  if [ -n "$$missing" ]; then \
	    echo "installing:$$missing"; \
	    $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	  fi; \
	elif [ "$$(uname)" = Darwin ]; then \
	  command -v gnuplot >/dev/null || brew install gnuplot; \
	fi

build: deps
	$(SWIFT) build

release: deps
	$(SWIFT) build -c release

test: deps
	$(SWIFT) test

figures: release
	$(GRADLAB) figures

bench: release
	$(GRADLAB) bench

clean:
	rm -rf .build

# regnb — the L1, L2 and Elastic Net tutorial in Go.
#
#   make tutorial   set up, then execute every notebook (the tutorial's 5 epochs)
#                   headless in GoNB; executed notebooks and HTML exports in out/;
#                   once all pass, their outputs are written back into notebooks/
#                   (and the figures into notebooks/figures.json): review, commit
#   make test       vet, unit tests, the XLA CPU checks, the committed notebooks' outputs
#                   (check_notebook.py --committed), every notebook in quick mode with its checks,
#                   a headless-Chromium screenshot of one rendered notebook, and
#                   notebooks 1 and 2 run in JupyterLab in headless Chromium (browser-test)
#   make browser-test  only that: all cells run, errors and plots checked, the λ slider
#                   and the penalty selector moved
#   make kernel-check  only the GoNB kernel's environment (GOEXPERIMENT=simd on amd64)
#   make lab        JupyterLab on 127.0.0.1 with the GoNB kernel, serving notebooks/;
#                   prints the URL with its token
#   make bench      regnb (pure Go and XLA) against PyTorch 2, PyTorch 1.13 and JAX, side by side (bench/README.md)
#   make image-test build the workshop image with podman and test it (docker/README.md)

SHELL := /bin/bash
GOBIN := $(shell go env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)
# Never download an XLA/PJRT plugin (GoMLX's default backend is pure Go).
export GOMLX_NO_AUTO_INSTALL := 1

# GoMLX's pure-Go backend compiles its SIMD (AVX2/AVX-512) kernels only with
# GOEXPERIMENT=simd: every build here has it on amd64 (added to a GOEXPERIMENT
# already set, unless that says nosimd); other architectures build without it.
# The scripts do the same (scripts/goenv.sh), and the GoNB kernel gets it from
# its kernel.json, written by scripts/setup.sh.
comma := ,
HOST_GOARCH := $(shell GOEXPERIMENT= go env GOARCH)
ifeq ($(HOST_GOARCH),amd64)
ifeq ($(filter simd nosimd,$(subst $(comma), ,$(GOEXPERIMENT))),)
override GOEXPERIMENT := $(if $(GOEXPERIMENT),$(GOEXPERIMENT)$(comma))simd
endif
export GOEXPERIMENT
endif

.PHONY: tutorial test lab bench setup-test unit xla-check usermodule committed kernel-check notebooks-quick screenshot browser-test clean image-test

tutorial:
	scripts/setup.sh
	scripts/run-notebooks.sh out
	@echo "The executed tutorial notebooks (and their HTML exports) are in $(CURDIR)/out/; their outputs"
	@echo "and figures were written back into notebooks/ (git diff notebooks/, then commit)"

test: setup-test unit xla-check usermodule committed notebooks-quick screenshot browser-test

setup-test:
	scripts/setup.sh --chromium

unit:
	@echo "unit: $$(go version), GOEXPERIMENT=$$(go env GOEXPERIMENT)"
	go vet ./...
	go test ./...

# XLA on the CPU (the PJRT plugin from PyPI that the set-up installs on
# linux/amd64, where its absence fails): the backend loads it and names its
# version, a short run on xla:cpu logs the pure-Go backend's losses and
# terms, and resumes bit for bit.
REQUIRE_XLA := $(if $(filter linux/amd64,$(shell go env GOOS)/$(HOST_GOARCH)),1,0)
xla-check:
	REGNB_REQUIRE_XLA=$(REQUIRE_XLA) CGO_ENABLED=1 go test -tags xla -run XLA ./internal/backend ./regnb/run

# A GoMLX v0.28 user's scratch module, outside the repository, importing our
# regularizers through a replace to this checkout.
usermodule:
	scripts/usermodule-check.sh

kernel-check:
	scripts/kernel-check.sh out/test

# The committed notebooks carry make tutorial's outputs: no error, nothing from
# quick mode, no absolute path, no progress bar (a notebook never written back
# is reported, not failed).
committed:
	. scripts/pyenv.sh && "$$REGNB_PYTHON" scripts/check_notebook.py --committed notebooks/[0-9]*.ipynb

notebooks-quick:
	scripts/run-notebooks.sh --quick out/test

screenshot:
	scripts/screenshot.sh out/test/01-why-regularize.html out/test/screenshot.png

# Notebooks 1 and 2 as a person runs them: JupyterLab 4 (as make lab starts it)
# in headless Chromium (scripts/browsertest) runs all cells, checks errors and
# plots, moves the λ slider and the penalty selector; screenshots in
# out/test/browser-*.png.
browser-test:
	scripts/browser-test.sh out/test

lab:
	scripts/setup.sh
	scripts/lab.sh

bench:
	scripts/setup.sh --torch --bench
	go build -o bin/regnb ./cmd/regnb
	CGO_ENABLED=1 go build -tags xla -o bin/regnb-xla ./cmd/regnb
	mkdir -p out
	/usr/bin/python3 bench/harness.py --json out/bench.json
	go test -run '^$$' -bench . -benchtime 200x ./bench ./regularizers

# The workshop image (docker/Dockerfile), built with podman on a stand-in
# base and run: a notebook offline, Jupyter's token (docker/README.md).
image-test:
	scripts/image-test.sh

clean:
	rm -rf out bin notebooks/runs

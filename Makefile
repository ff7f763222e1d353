# regnb — the L1, L2 and Elastic Net tutorial in Go.
#
#   make tutorial   set up, then execute every notebook (the tutorial's 5 epochs)
#                   headless in GoNB; executed notebooks and HTML exports in out/
#   make test       vet, unit tests, every notebook in quick mode with its checks,
#                   and a headless-Chromium screenshot of one rendered notebook
#   make lab        Jupyter on localhost with the GoNB kernel, to work interactively
#   make bench      regnb against the PyTorch original, side by side (bench/README.md)

SHELL := /bin/bash
GOBIN := $(shell go env GOPATH)/bin
export PATH := $(GOBIN):$(PATH)
export GOMLX_NO_AUTO_INSTALL := 1

.PHONY: tutorial test lab bench setup-test unit notebooks-quick screenshot clean

tutorial:
	scripts/setup.sh
	scripts/run-notebooks.sh out
	@echo "The executed tutorial notebooks (and their HTML exports) are in $(CURDIR)/out/"

test: setup-test unit notebooks-quick screenshot

setup-test:
	scripts/setup.sh --chromium

unit:
	go vet ./...
	go test ./...

notebooks-quick:
	scripts/run-notebooks.sh --quick out/test

screenshot:
	scripts/screenshot.sh out/test/01-why-regularize.html out/test/screenshot.png

lab:
	scripts/setup.sh
	/usr/bin/python3 -m jupyter notebook --ip 127.0.0.1 --no-browser --notebook-dir notebooks

bench:
	scripts/setup.sh --torch
	go build -o bin/regnb ./cmd/regnb
	/usr/bin/python3 bench/harness.py
	go test -run '^$$' -bench . -benchtime 200x ./bench ./regularizers

clean:
	rm -rf out bin notebooks/runs

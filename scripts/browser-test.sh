#!/usr/bin/env bash
# Runs notebook 1 in a real browser: Jupyter's Notebook front-end (the server
# `make lab` starts, on 127.0.0.1 with a token) driven in headless Chromium by
# notebooks/browser_test.go. It runs all cells, checks that no cell shows an
# error and that the plots are there, moves the λ slider and checks that the
# plot is redrawn, and leaves screenshots in OUTDIR.
#
#   scripts/browser-test.sh [OUTDIR] [NOTEBOOK]   (defaults: out/test, notebooks/01-why-regularize.ipynb)
#
# Needs scripts/setup.sh --chromium (Jupyter, the GoNB kernel, Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh
out=${1:-out/test}
mkdir -p "$out"
export REGNB_BROWSER_OUT=$(cd "$out" && pwd)
if [ -n "${2:-}" ]; then
  REGNB_BROWSER_NOTEBOOK=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
  export REGNB_BROWSER_NOTEBOOK
fi
unset REGNB_HEADLESS # A browser is connected: the notebook's widgets must come up.
REGNB_BROWSER_TEST=1 go test -count=1 -timeout 20m -run '^TestBrowser$' -v ./notebooks

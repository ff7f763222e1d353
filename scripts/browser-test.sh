#!/usr/bin/env bash
# Runs notebooks 1 and 2 in a real browser: JupyterLab 4 (started as `make lab`
# starts it, scripts/lab.sh, on 127.0.0.1 with a token) driven in headless
# Chromium by scripts/browsertest/browser_test.go. Notebook 1: all cells run,
# no cell shows an error, the plots are drawn, moving the λ slider and
# choosing L1 redraw the plot. Notebook 2 (quick mode): all cells run, no
# error, every plot drawn. Screenshots and JupyterLab's log go to OUTDIR.
#
#   scripts/browser-test.sh [OUTDIR]   (default: out/test)
#
# Needs scripts/setup.sh --chromium (JupyterLab, the GoNB kernel, Chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh
# shellcheck source=scripts/pyenv.sh
. scripts/pyenv.sh # REGNB_PYTHON: the JupyterLab to drive.
out=${1:-out/test}
mkdir -p "$out"
export REGNB_BROWSER_OUT=$(cd "$out" && pwd)
unset REGNB_HEADLESS # A browser is connected: the notebook's widgets must come up.
REGNB_BROWSER_TEST=1 go test -count=1 -timeout 30m -run '^TestBrowser$' -v ./scripts/browsertest

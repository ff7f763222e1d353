#!/usr/bin/env bash
# Executes every notebook headless in the GoNB kernel, saves the executed
# notebooks and an HTML export of each under OUTDIR, and checks the outputs.
#
#   scripts/run-notebooks.sh [--quick] [OUTDIR]    (default OUTDIR: out/)
#
# --quick sets REGNB_QUICK=1: the same cells, a few hundred steps each.
#
# First, scripts/kernel-check.sh checks the kernel's own environment (from its
# kernel.json): its cells must be built with GOEXPERIMENT=simd on amd64, and see
# GOMLX_NO_AUTO_INSTALL=1. On amd64 no notebook output may say "no simd".
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
out=${1:-out}
mkdir -p "$out"
out=$(cd "$out" && pwd)

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
[ $quick = 1 ] && export REGNB_QUICK=1
# No browser is connected: notebook 1's λ slider shows fixed values of λ instead
# of widgets, which would wait for a front-end forever.
export REGNB_HEADLESS=1

simd_checks=()
case ",${GOEXPERIMENT:-}," in *,simd,*) simd_checks=(--forbid '\bno simd\b') ;; esac

# 0. The kernel's environment (GOEXPERIMENT=simd on amd64, GOMLX_NO_AUTO_INSTALL=1).
scripts/kernel-check.sh "$out"

# Runs of an earlier execution are replaced, never appended to.
rm -rf notebooks/runs

executed=()
for nb in notebooks/[0-9]*.ipynb; do
  name=$(basename "$nb" .ipynb)
  echo "notebooks: executing $nb$([ $quick = 1 ] && echo ' (quick mode)')"
  start=$(date +%s)
  "$PY" -m jupyter nbconvert --to notebook --execute \
    --ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=1800 \
    "$nb" --output-dir "$out" --output "$name" --log-level=WARN 2> >(grep -Ev '^[IW][0-9]{4} ' >&2)
  "$PY" -m jupyter nbconvert --to html "$out/$name.ipynb" --output-dir "$out" --log-level=WARN
  echo "notebooks: $name took $(( $(date +%s) - start ))s"
  executed+=("$out/$name.ipynb")
done
"$PY" scripts/check_notebook.py "${simd_checks[@]}" "${executed[@]}"
echo "notebooks: executed notebooks and HTML exports are in $out"

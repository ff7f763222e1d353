#!/usr/bin/env bash
# Executes every notebook headless in the GoNB kernel, saves the executed
# notebooks and an HTML export of each under OUTDIR, and checks the outputs.
#
#   scripts/run-notebooks.sh [--quick] [OUTDIR]    (default OUTDIR: out/)
#
# --quick sets REGNB_QUICK=1: the same cells, a few hundred steps each.
# The runs are written to OUTDIR/runs, the figures the cells record to
# OUTDIR/figures.json (regnb.Record), checked by scripts/check_figures.py.
#
# One line per notebook: its name, the mode, the time, and ok or FAILED.
# Jupyter's and the kernel's own log (GoNB prints, among others, its gopls
# client's shutdown complaints, which are no failure) goes to
# OUTDIR/logs/NAME.log, printed in full only when that notebook fails: when
# nbconvert fails (a cell that does not compile, a kernel that dies) or when
# scripts/check_notebook.py finds an error in its saved outputs (GoNB reports
# a panic or an exit status as text, and nbconvert carries on).
#
# First, scripts/kernel-check.sh checks the kernel's own environment (from its
# kernel.json): its cells must be built with GOEXPERIMENT=simd on amd64, and see
# GOMLX_NO_AUTO_INSTALL=1. On amd64 no notebook output may say "no simd".
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh
# shellcheck source=scripts/pyenv.sh
. scripts/pyenv.sh
quick=0
if [ "${1:-}" = "--quick" ]; then quick=1; shift; fi
out=${1:-out}
mkdir -p "$out/logs"
out=$(cd "$out" && pwd)

PY=$REGNB_PYTHON
mode=full
[ $quick = 1 ] && { export REGNB_QUICK=1; mode=quick; }
# No browser is connected: notebook 1's λ slider shows fixed values of λ instead
# of widgets, which would wait for a front-end forever.
export REGNB_HEADLESS=1

checks=()
case ",${GOEXPERIMENT:-}," in *,simd,*) checks=(--forbid '\bno simd\b') ;; esac

# 0. The kernel's environment (GOEXPERIMENT=simd on amd64, GOMLX_NO_AUTO_INSTALL=1).
scripts/kernel-check.sh "$out"

# The runs go to OUTDIR/runs (regnb.RunDir), so that two executions never
# share run directories; those of an earlier execution are replaced, never
# appended to.
export REGNB_RUNS="$out/runs"
rm -rf "$REGNB_RUNS"
# The figures that the prose quotes, as the cells measure them (regnb.Record).
export REGNB_FIGURES="$out/figures.json"
rm -f "$REGNB_FIGURES"

echo "notebooks: $(regnb_jupyter_kind), $mode mode; logs in $out/logs"
failed=()
for nb in notebooks/[0-9]*.ipynb; do
  name=$(basename "$nb" .ipynb)
  log=$out/logs/$name.log
  start=$(date +%s)
  result=ok
  if ! "$PY" -m jupyter nbconvert --to notebook --execute \
       --ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=1800 \
       "$nb" --output-dir "$out" --output "$name" --log-level=WARN >"$log" 2>&1; then
    result="FAILED (nbconvert)"
  elif ! "$PY" scripts/check_notebook.py "${checks[@]}" "$out/$name.ipynb" >>"$log" 2>&1; then
    result="FAILED (check_notebook.py)"
  elif ! "$PY" -m jupyter nbconvert --to html "$out/$name.ipynb" --output-dir "$out" --log-level=WARN >>"$log" 2>&1; then
    result="FAILED (HTML export)"
  fi
  printf 'notebooks: %-46s %-5s %4ds  %s\n' "$name" "$mode" $(( $(date +%s) - start )) "$result"
  if [ "$result" != ok ]; then
    failed+=("$name")
    echo "---- $log ----"
    cat "$log"
    echo "---- end of $log ----"
  fi
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "notebooks: ${#failed[@]} failed: ${failed[*]} (executed notebooks in $out, logs in $out/logs)" >&2
  exit 1
fi
# The numbers quoted in README.md and the notebooks' markdown: in full mode
# against this execution's figures (copy them to notebooks/figures.json to
# commit them); in quick mode, whose figures differ, against the committed ones.
if [ $quick = 1 ]; then
  "$PY" scripts/check_figures.py notebooks/figures.json
else
  "$PY" scripts/check_figures.py "$REGNB_FIGURES"
  cmp -s "$REGNB_FIGURES" notebooks/figures.json ||
    echo "notebooks: $REGNB_FIGURES differs from the committed notebooks/figures.json (diff them; commit the new one if the change is expected)"
fi
echo "notebooks: executed notebooks and HTML exports are in $out"

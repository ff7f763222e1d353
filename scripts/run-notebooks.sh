#!/usr/bin/env bash
# Executes the notebooks headless in the GoNB kernel, saves the executed
# notebooks and an HTML export of each under OUTDIR, checks the outputs and,
# in full mode, writes the outputs back into notebooks/.
#
#   scripts/run-notebooks.sh [--quick] [--no-write-back] [OUTDIR [NOTEBOOK...]]
#   scripts/run-notebooks.sh --write-back-only OUTDIR [NOTEBOOK...]
#
# OUTDIR defaults to out/. NOTEBOOKs (a name, or the start of one: 02) run
# only those; by default every notebooks/[0-9]*.ipynb runs.
#
# --quick sets REGNB_QUICK=1: the same cells, a few hundred steps each; the
# executed notebooks stay in OUTDIR (make test), never written back.
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
# Write-back (full mode, unless --no-write-back): when every notebook that
# ran passed — its outputs checked as committed notebooks must be
# (check_notebook.py --committed: no error, no quick-mode output, no absolute
# path, no progress bar) and the quoted numbers against the figures just
# measured (check_figures.py) — scripts/write_back.py copies each executed
# notebook's outputs into notebooks/NAME.ipynb (sources untouched; refused if
# a notebook was edited while it ran), and the figures go to
# notebooks/figures.json (replacing it when every notebook ran, updating the
# names measured otherwise). Review with git diff, then commit. When only the
# quoted numbers failed (they moved), rewrite them from the new measurements
# (scripts/check_figures.py --update OUTDIR/figures.json), read the text
# again, and write back without running again: --write-back-only OUTDIR
# repeats the checks on the notebooks executed there, then writes back.
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
quick=0 write_back=1 execute=1
while [ $# -gt 0 ]; do
  case "$1" in
    --quick) quick=1; shift ;;
    --no-write-back) write_back=0; shift ;;
    --write-back-only) execute=0; shift ;;
    -*) echo "run-notebooks.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
out=${1:-out}
[ $# -gt 0 ] && shift
notebooks=()
if [ $# -eq 0 ]; then
  notebooks=(notebooks/[0-9]*.ipynb)
else
  for want in "$@"; do
    match=(notebooks/"$(basename "${want%.ipynb}")"*.ipynb)
    [ -e "${match[0]}" ] || { echo "run-notebooks.sh: no notebook notebooks/$want*.ipynb" >&2; exit 2; }
    notebooks+=("${match[@]}")
  done
fi
all=0
[ ${#notebooks[@]} -eq $(ls notebooks/[0-9]*.ipynb | wc -l) ] && all=1
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

export REGNB_FIGURES="$out/figures.json"
if [ $execute = 0 ]; then
  [ $quick = 0 ] || { echo "run-notebooks.sh: --write-back-only is for full mode" >&2; exit 2; }
  for nb in "${notebooks[@]}"; do
    "$PY" scripts/check_notebook.py --committed "${checks[@]}" "$out/$(basename "$nb")"
  done
else
# 0. The kernel's environment (GOEXPERIMENT=simd on amd64, GOMLX_NO_AUTO_INSTALL=1).
scripts/kernel-check.sh "$out"

# The runs go to OUTDIR/runs (regnb.RunDir), so that two executions never
# share run directories; those of an earlier execution are replaced, never
# appended to.
export REGNB_RUNS="$out/runs"
rm -rf "$REGNB_RUNS"
# The figures that the prose quotes, as the cells measure them (regnb.Record).
rm -f "$REGNB_FIGURES"

echo "notebooks: $(regnb_jupyter_kind), $mode mode; logs in $out/logs"
failed=()
committed=()
[ $quick = 0 ] && committed=(--committed)
for nb in "${notebooks[@]}"; do
  name=$(basename "$nb" .ipynb)
  log=$out/logs/$name.log
  start=$(date +%s)
  result=ok
  if ! "$PY" -m jupyter nbconvert --to notebook --execute \
       --ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=1800 \
       "$nb" --output-dir "$out" --output "$name" --log-level=WARN >"$log" 2>&1; then
    result="FAILED (nbconvert)"
  elif ! "$PY" scripts/check_notebook.py "${committed[@]}" "${checks[@]}" "$out/$name.ipynb" >>"$log" 2>&1; then
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
fi
# The numbers quoted in README.md and the notebooks' markdown: in full mode
# against this execution's figures (those of the notebooks that ran, when not
# all did); in quick mode, whose figures differ, against the committed ones.
texts=()
[ $all = 1 ] || texts=("${notebooks[@]}")
if [ $quick = 1 ]; then
  "$PY" scripts/check_figures.py notebooks/figures.json "${texts[@]}"
  echo "notebooks: executed notebooks and HTML exports are in $out"
  exit 0
fi
"$PY" scripts/check_figures.py "$REGNB_FIGURES" "${texts[@]}"
if [ $write_back = 0 ]; then
  echo "notebooks: executed notebooks and HTML exports are in $out (not written back: --no-write-back)"
  exit 0
fi
pairs=()
for nb in "${notebooks[@]}"; do
  pairs+=("$out/$(basename "$nb")" "$nb")
done
"$PY" scripts/write_back.py "${pairs[@]}"
if [ $all = 1 ]; then
  cp "$REGNB_FIGURES" notebooks/figures.json
else
  "$PY" - "$REGNB_FIGURES" notebooks/figures.json <<'PY'
import json, sys
new, committed = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
committed["figures"].update(new["figures"])
merged = {"mode": committed["mode"], "figures": dict(sorted(committed["figures"].items()))}  # As regnb.Record writes it.
with open(sys.argv[2], "w") as f:
    json.dump(merged, f, indent=2)
    f.write("\n")
PY
fi
echo "notebooks: outputs written back into notebooks/ and the figures into notebooks/figures.json: review (git diff) and commit"
echo "notebooks: executed notebooks and HTML exports are in $out"

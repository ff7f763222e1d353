#!/usr/bin/env bash
# Checks the GoNB kernel's own environment by running scripts/kernel-probe.ipynb
# in it, with GOEXPERIMENT and GOMLX_NO_AUTO_INSTALL removed from Jupyter's
# environment, so that only kernel.json (written by scripts/setup.sh) can
# provide them: the cells must see GOMLX_NO_AUTO_INSTALL=1 and, on amd64, be
# built with GOEXPERIMENT=simd (GoMLX's SIMD kernels).
#
#   scripts/kernel-check.sh [OUTDIR]    (default OUTDIR: out/; writes kernel-probe.ipynb,
#                                        and Jupyter's and the kernel's log to logs/kernel-probe.log,
#                                        printed only when the run fails)
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh
# shellcheck source=scripts/pyenv.sh
. scripts/pyenv.sh
out=${1:-out}
mkdir -p "$out/logs"

PY=$REGNB_PYTHON
log=$out/logs/kernel-probe.log
if ! env -u GOEXPERIMENT -u GOMLX_NO_AUTO_INSTALL "$PY" -m jupyter nbconvert --to notebook --execute \
     --ExecutePreprocessor.kernel_name=gonb --ExecutePreprocessor.timeout=600 \
     scripts/kernel-probe.ipynb --output-dir "$out" --output kernel-probe --log-level=WARN >"$log" 2>&1; then
  cat "$log" >&2
  echo "kernel-check: the probe notebook did not run in the GoNB kernel ($(regnb_jupyter_kind)); log: $log" >&2
  exit 1
fi
probe=$("$PY" -c 'import json, sys
for o in json.load(open(sys.argv[1]))["cells"][0]["outputs"]:
    t = o.get("text", "")
    print("".join(t) if isinstance(t, list) else t, end="")' "$out/kernel-probe.ipynb")

checks=(--expect '^kernel env: GOMLX_NO_AUTO_INSTALL=1$')
case ",${GOEXPERIMENT:-}," in
  *,simd,*) checks+=(--expect '^kernel build: GOARCH=amd64 GOEXPERIMENT=(\S*,)?simd(,\S*)?$') ;;
esac
"$PY" scripts/check_notebook.py "${checks[@]}" "$out/kernel-probe.ipynb" >/dev/null || {
  sed 's/^/kernel-check: /' <<<"$probe" >&2
  "$PY" scripts/check_notebook.py "${checks[@]}" "$out/kernel-probe.ipynb" >&2 || true
  echo "kernel-check: the GoNB kernel lacks this environment: run scripts/setup.sh (it writes kernel.json's \"env\")" >&2
  exit 1
}
echo "kernel-check: the GoNB kernel's environment is right ($(sed -n 's/^kernel [a-z]*: //p' <<<"$probe" | paste -sd ' '))"

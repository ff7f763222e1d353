#!/usr/bin/env bash
# One set-up for make tutorial, make test, CI and the workshop image: installs
# what is missing to run the notebooks in the GoNB kernel, headless and in
# JupyterLab, and XLA's CPU plugin.
#
#   scripts/setup.sh [--chromium] [--torch] [--bench] [--xla | --no-xla]
#
#   --chromium  also install headless Chromium (the screenshot and browser tests)
#   --torch     also install Debian's PyTorch (the benchmark's Debian 1.13 row)
#   --bench     also install bench/requirements.txt (pinned, hashed) into .venv-bench (CPython ≥ 3.12)
#   --xla       XLA's CPU plugin is required: fail where it cannot be installed
#               (by default it is installed where it can be, and its absence said)
#   --no-xla    do not install XLA's CPU plugin (the workshop image installs
#               its own variant in a later layer)
#
# Jupyter: JupyterLab 4 with nbconvert/nbclient, from PyPI, into the project's
# virtual environment .venv, from scripts/requirements/jupyter.txt (exact
# versions and hashes of every package: pip --require-hashes). Where PyPI
# cannot be reached, Debian's Jupyter (classic Notebook 6) instead, said so.
# With REGNB_PYTHON set to a Python that has Jupyter (your own JupyterLab, the
# workshop image's base), none is installed: the GoNB kernel is only
# registered for it. scripts/pyenv.sh, which every script sources, picks the
# same Python afterwards.
#
# GoNB is installed from this module, which requires it (`go install
# …/gonb@VERSION` is refused by some proxies), and reinstalled when go.mod asks
# for another version. The GoNB kernel's kernel.json gets an "env" with
# GOMLX_NO_AUTO_INSTALL=1 and, on amd64, GOEXPERIMENT=simd, so that the `go
# build` GoNB runs for each cell compiles GoMLX's SIMD kernels whatever
# environment starts Jupyter. It is registered in the user's Jupyter data
# directory (~/.local/share/jupyter), which every Jupyter reads.
#
# XLA's CPU PJRT plugin (linux/amd64): scripts/pjrt-install.sh cpu, from PyPI
# (scripts/requirements/xla-cpu.txt), into ~/.local/lib/go-xla, where go-xla
# looks; never at run time.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh
# shellcheck source=scripts/pyenv.sh
. scripts/pyenv.sh

want_chromium=0 want_torch=0 want_bench=0 want_xla=1
for arg in "$@"; do
  case "$arg" in
    --chromium) want_chromium=1 ;;
    --torch) want_torch=1 ;;
    --bench) want_bench=1 ;;
    --xla) want_xla=2 ;;
    --no-xla) want_xla=0 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

SUDO=""
[ "$(id -u)" = 0 ] || SUDO="sudo"

apt_updated=0
apt_install() {
  if [ $apt_updated = 0 ]; then
    $SUDO apt-get update -qq
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

sha256() { sha256sum "$1" | cut -d' ' -f1; }

# pip's own output is long: it goes to a file, whose end is shown when pip fails.
pip_log=${TMPDIR:-/tmp}/regnb-setup-pip.log
: >"$pip_log"
# Fail fast where PyPI cannot be reached (the machine's pip may be told to
# wait minutes), then fall back.
pip_net=(--retries 2 --timeout 30)

# make_venv creates .venv from scripts/requirements/jupyter.txt, afresh (no
# package of an earlier set of pins stays behind); returns non-zero if pip
# fails, leaving no .venv.
make_venv() {
  local req=scripts/requirements/jupyter.txt base=""
  rm -rf "$REGNB_VENV"
  # A python3 that can make a venv: the one on PATH, else Debian's, which
  # needs python3-venv.
  for py in "$(command -v python3 || true)" /usr/bin/python3; do
    [ -n "$py" ] && [ -x "$py" ] || continue
    if "$py" -m venv "$REGNB_VENV" >>"$pip_log" 2>&1; then base=$py; break; fi
    rm -rf "$REGNB_VENV"
  done
  if [ -z "$base" ] && command -v apt-get >/dev/null; then
    apt_install python3-venv
    /usr/bin/python3 -m venv "$REGNB_VENV" >>"$pip_log" 2>&1 && base=/usr/bin/python3
  fi
  if [ -z "$base" ]; then
    echo "setup: no python3 here can make a virtual environment" >&2
    rm -rf "$REGNB_VENV"
    return 1
  fi
  echo "setup: installing JupyterLab 4 from PyPI into .venv ($("$base" --version 2>&1), pinned by $req)"
  if ! "$REGNB_VENV/bin/python" -m pip install -q "${pip_net[@]}" --require-hashes -r "$req" >>"$pip_log" 2>&1; then
    tail -n 5 "$pip_log" | sed 's/^/setup:   pip: /' >&2
    rm -rf "$REGNB_VENV"
    return 1
  fi
  sha256 "$req" >"$REGNB_VENV_DONE"
}

# 1. Jupyter.
jupyter_ok() { "$REGNB_PYTHON" -c "import nbconvert, nbclient, jupyter_client" 2>/dev/null; }
if [ "$REGNB_PYTHON_FROM" = env ]; then
  jupyter_ok || { echo "setup: REGNB_PYTHON=$REGNB_PYTHON has no Jupyter (nbconvert, nbclient, jupyter_client): install it there, or unset REGNB_PYTHON" >&2; exit 1; }
else
  if [ ! -f "$REGNB_VENV_DONE" ] || [ "$(cat "$REGNB_VENV_DONE")" != "$(sha256 scripts/requirements/jupyter.txt)" ]; then
    if ! make_venv; then
      echo "setup: PyPI cannot be reached (or pip failed; $pip_log): falling back to Debian's Jupyter (classic Notebook 6, no JupyterLab)" >&2
      command -v apt-get >/dev/null || { echo "setup: no apt-get either: cannot install Jupyter" >&2; exit 1; }
    fi
  fi
  # Decide again, now that .venv is there or not.
  unset REGNB_PYTHON
  # shellcheck source=scripts/pyenv.sh
  . scripts/pyenv.sh
  if [ "$REGNB_PYTHON_FROM" = debian ] && ! jupyter_ok; then
    echo "setup: installing Debian's Jupyter"
    apt_install jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel jupyter-notebook
  fi
fi
echo "setup: Jupyter: $(regnb_jupyter_kind)"
PY=$REGNB_PYTHON

if [ $want_chromium = 1 ] && ! command -v chromium >/dev/null; then
  echo "setup: installing Chromium"
  apt_install chromium fonts-liberation
fi

# Debian's PyTorch 1.13, for Debian's python3 (not the venv's): the benchmark's
# row kept for continuity.
if [ $want_torch = 1 ]; then
  torch_missing=0
  /usr/bin/python3 -c "import torch" 2>/dev/null || torch_missing=1
  # Debian's torch also needs OpenBLAS: without it its matrix products run on
  # the reference BLAS, ~20x slower, and the benchmark would flatter regnb.
  if ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then torch_missing=1; fi
  if [ $torch_missing = 1 ]; then
    echo "setup: installing Debian's PyTorch"
    apt_install python3-torch libopenblas0-pthread
  fi
fi

# The benchmark's Python packages (PyTorch 2, JAX), pinned and hashed, into
# a venv of their own, .venv-bench: JAX 0.12 needs CPython 3.12 or newer
# (Debian 12's python3, Jupyter's, is 3.11), and --no-deps because torch's
# PyPI wheel declares CUDA packages of which it links only the few that
# bench/requirements.txt pins (bench/requirements.in says why). The
# harness finds it there (bench/harness.py).
if [ $want_bench = 1 ]; then
  bench_req=bench/requirements.txt
  bench_py=""
  for p in "${REGNB_BENCH_PYTHON:-}" python3.13 python3.12 "$HOME"/.pyenv/versions/3.1[2-9]*/bin/python; do
    [ -n "$p" ] && command -v "$p" >/dev/null 2>&1 && "$p" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null && { bench_py=$(command -v "$p"); break; }
  done
  [ -n "$bench_py" ] || { echo "setup: --bench needs CPython 3.12 or newer (JAX 0.12); none found (set REGNB_BENCH_PYTHON)" >&2; exit 1; }
  bench_venv=.venv-bench
  bench_done=$bench_venv/regnb-bench.sha256
  if [ ! -f "$bench_done" ] || [ "$(cat "$bench_done")" != "$(sha256 "$bench_req")" ]; then
    echo "setup: installing $bench_req into $bench_venv ($("$bench_py" --version), ~2.4 GB of wheels)"
    [ -x "$bench_venv/bin/python" ] || "$bench_py" -m venv "$bench_venv"
    if ! "$bench_venv/bin/python" -m pip install -q "${pip_net[@]}" --no-deps --require-hashes -r "$bench_req" >>"$pip_log" 2>&1; then
      tail -n 5 "$pip_log" | sed 's/^/setup:   pip: /' >&2
      echo "setup: installing $bench_req failed (whole log: $pip_log)" >&2
      exit 1
    fi
    sha256 "$bench_req" >"$bench_done"
  fi
fi

# 2. Go tools: GoNB (from this module, the version go.mod requires), goimports
#    and gopls (GoNB needs both).
gonb_want=$(go list -m -f '{{.Version}}' github.com/janpfeifer/gonb)
gonb_have=""
if command -v gonb >/dev/null; then
  gonb_have=$(go version -m "$(command -v gonb)" 2>/dev/null \
    | awk '($1 == "mod" || $1 == "dep") && $2 == "github.com/janpfeifer/gonb" { print $3; exit }')
fi
gonb_installed=0
if [ "$gonb_have" != "$gonb_want" ]; then
  echo "setup: installing GoNB $gonb_want${gonb_have:+ (was $gonb_have)}"
  go install github.com/janpfeifer/gonb
  gonb_installed=1
fi
command -v goimports >/dev/null || { echo "setup: installing goimports"; go install golang.org/x/tools/cmd/goimports@v0.52.0; }
command -v gopls >/dev/null || { echo "setup: installing gopls"; go install golang.org/x/tools/gopls@v0.23.0; }

# 3. The kernel registration (~/.local/share/jupyter/kernels/gonb), then its
#    environment. kernel_json [GONB] prints the path of the registered
#    kernel.json (where Jupyter itself finds it), or nothing; given GONB, only
#    if the registration runs that binary.
kernel_json() {
  "$PY" - "$@" <<'PYEOF'
import json, os, sys
from jupyter_client.kernelspec import KernelSpecManager
d = KernelSpecManager().find_kernel_specs().get("gonb")
path = os.path.join(d, "kernel.json") if d else ""
if path and os.path.isfile(path):
    try:
        argv0 = json.load(open(path))["argv"][0]
        ok = len(sys.argv) < 2 or os.path.samefile(argv0, sys.argv[1])
    except (OSError, ValueError, KeyError, IndexError):
        ok = False
    if ok:
        print(path)
PYEOF
}
kjson=$(kernel_json "$(command -v gonb)")
if [ -z "$kjson" ] || [ $gonb_installed = 1 ]; then
  echo "setup: registering the GoNB kernel"
  gonb --install --logtostderr >/dev/null 2>&1 || gonb --install --force_deps
  kjson=$(kernel_json)
fi
[ -n "$kjson" ] || { echo "setup: the GoNB kernel is not registered with Jupyter" >&2; exit 1; }
"$PY" - "$kjson" "${GOEXPERIMENT:-}" <<'PYEOF'
import json, sys
path, goexperiment = sys.argv[1], sys.argv[2]
with open(path) as f:
    spec = json.load(f)
env = spec.get("env") or {}
env["GOMLX_NO_AUTO_INSTALL"] = "1"
if goexperiment:
    env["GOEXPERIMENT"] = goexperiment
elif env.get("GOEXPERIMENT") == "simd":
    del env["GOEXPERIMENT"]  # Set by an earlier set-up, but not for this architecture.
spec["env"] = env
with open(path, "w") as f:
    json.dump(spec, f, indent=1)
    f.write("\n")
print("setup: GoNB kernel environment (%s): %s" % (path, " ".join("%s=%s" % kv for kv in sorted(env.items()))))
PYEOF

# 4. XLA's CPU PJRT plugin, for -backend xla:cpu (go-xla needs it at run time,
#    and must never download it then). Only where PyPI has it (linux/amd64)
#    and a pip to fetch it with (not Debian's fallback, where PyPI is out of
#    reach): elsewhere regnb runs on the pure-Go backend, and says so.
xla="not installed (--no-xla)"
if [ $want_xla != 0 ]; then
  if [ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]; then
    xla="none for $(uname -s)/$(uname -m) on PyPI (pure-Go backend only)"
  elif ! "$PY" -m pip --version >/dev/null 2>&1; then
    xla="not installed ($PY has no pip; Jupyter: $(regnb_jupyter_kind))"
  else
    scripts/pjrt-install.sh cpu
    xla=$(readlink -f "$HOME/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so")
  fi
  if [ $want_xla = 2 ] && [ ! -e "$HOME/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so" ]; then
    echo "setup: --xla: XLA's CPU plugin: $xla" >&2
    exit 1
  fi
fi

# 5. The module's dependencies (MNIST ships in one of them).
go mod download
echo "setup: ready (Jupyter: $(regnb_jupyter_kind); XLA CPU plugin: $xla; Go tools in $REGNB_GOBIN${GOEXPERIMENT:+, GOEXPERIMENT=$GOEXPERIMENT})"

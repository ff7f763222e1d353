#!/usr/bin/env bash
# One set-up for make tutorial, make test, CI and the workshop image: installs
# what is missing to run the notebooks headless in the GoNB kernel.
#
#   scripts/setup.sh [--chromium] [--torch]
#
#   --chromium  also install headless Chromium (screenshot test)
#   --torch     also install PyTorch (the benchmark's side-by-side run)
#
# Jupyter comes from Debian's packages where apt-get exists (PyPI may be
# unreachable), else from pip. GoNB is installed from this module, which
# requires it (`go install …/gonb@v0.11.1` is refused by some proxies).
set -euo pipefail
cd "$(dirname "$0")/.."

want_chromium=0 want_torch=0
for arg in "$@"; do
  case "$arg" in
    --chromium) want_chromium=1 ;;
    --torch) want_torch=1 ;;
    *) echo "setup.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

PY=/usr/bin/python3
[ -x "$PY" ] || PY=$(command -v python3)
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

# 1. Jupyter (nbconvert, nbclient, ipykernel, the classic notebook server).
if ! "$PY" -c "import nbconvert, nbclient, ipykernel, jupyter_client" 2>/dev/null; then
  echo "setup: installing Jupyter"
  if command -v apt-get >/dev/null; then
    apt_install jupyter-nbconvert jupyter-client python3-nbclient python3-ipykernel jupyter-notebook
    PY=/usr/bin/python3
  else
    "$PY" -m pip install --user nbconvert nbclient ipykernel jupyter_client notebook
  fi
fi

if [ $want_chromium = 1 ] && ! command -v chromium >/dev/null; then
  echo "setup: installing Chromium"
  apt_install chromium fonts-liberation
fi

if [ $want_torch = 1 ] && ! "$PY" -c "import torch" 2>/dev/null; then
  echo "setup: installing PyTorch"
  if command -v apt-get >/dev/null; then apt_install python3-torch; else "$PY" -m pip install --user torch; fi
fi

# 2. Go tools: GoNB (from this module), goimports and gopls (GoNB needs both).
GOBIN=$(go env GOBIN)
[ -n "$GOBIN" ] || GOBIN="$(go env GOPATH)/bin"
export PATH="$GOBIN:$PATH"
if ! command -v gonb >/dev/null; then
  echo "setup: installing GoNB"
  go install github.com/janpfeifer/gonb
fi
command -v goimports >/dev/null || { echo "setup: installing goimports"; go install golang.org/x/tools/cmd/goimports@v0.52.0; }
command -v gopls >/dev/null || { echo "setup: installing gopls"; go install golang.org/x/tools/gopls@v0.23.0; }

# 3. The kernel registration (~/.local/share/jupyter/kernels/gonb).
kernel_dir=$("$PY" -c "import jupyter_core.paths as p; print(p.jupyter_data_dir())")/kernels/gonb
if [ ! -f "$kernel_dir/kernel.json" ]; then
  echo "setup: registering the GoNB kernel"
  gonb --install --logtostderr >/dev/null 2>&1 || gonb --install --force_deps
fi

# 4. The module's dependencies (MNIST ships in one of them).
go mod download
echo "setup: ready (python: $PY, Go tools in $GOBIN)"

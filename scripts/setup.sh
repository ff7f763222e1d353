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
# requires it (`go install …/gonb@VERSION` is refused by some proxies), and
# reinstalled when go.mod asks for another version.
#
# The GoNB kernel's kernel.json gets an "env" with GOMLX_NO_AUTO_INSTALL=1 and,
# on amd64, GOEXPERIMENT=simd, so that the `go build` GoNB runs for each cell
# compiles GoMLX's SIMD kernels whatever environment starts Jupyter.
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh

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

if [ $want_torch = 1 ]; then
  torch_missing=0
  "$PY" -c "import torch" 2>/dev/null || torch_missing=1
  # Debian's torch also needs OpenBLAS: without it its matrix products run on
  # the reference BLAS, ~20x slower, and the benchmark would flatter regnb.
  if command -v apt-get >/dev/null && ! dpkg -s libopenblas0-pthread >/dev/null 2>&1; then torch_missing=1; fi
  if [ $torch_missing = 1 ]; then
    echo "setup: installing PyTorch"
    if command -v apt-get >/dev/null; then apt_install python3-torch libopenblas0-pthread; else "$PY" -m pip install --user torch; fi
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

# 4. The module's dependencies (MNIST ships in one of them).
go mod download
echo "setup: ready (python: $PY, Go tools in $REGNB_GOBIN${GOEXPERIMENT:+, GOEXPERIMENT=$GOEXPERIMENT})"

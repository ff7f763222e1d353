#!/usr/bin/env bash
# Installs XLA's PJRT plugin from PyPI, pinned and hashed, where go-xla (and
# regnb's -backend xla:…) finds it; at set-up or image build time, never at
# run time.
#
#   scripts/pjrt-install.sh [cpu|cuda13|cuda12|cuda]    (default cpu; cuda = cuda13)
#
#   cpu     lammps-jax-pjrt-cpu (scripts/requirements/xla-cpu.txt): XLA's CPU
#           plugin, linux/amd64 only. Linked as ~/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so,
#           the name and directory go-xla v0.4.1 searches for the plugin "cpu",
#           then loaded here (ctypes) to check it is a PJRT plugin and print
#           its PJRT C API version.
#   cuda13, cuda12
#           jax-cudaNN-pjrt and NVIDIA's libraries (scripts/requirements/xla-cudaNN.txt,
#           written by compile-cuda.sh). regnb's xla:cuda takes the plugin from
#           $REGNB_PJRT_CUDA, printed at the end: it must be loaded from where
#           it lies (its RPATH finds NVIDIA's libraries beside it), not through
#           a link. Untested here (no GPU, no CUDA): only the files are checked.
#
# Each variant's wheels go into ~/.local/lib/go-xla/pypi/VARIANT (pip
# --no-deps --require-hashes --target: none of a wheel's own dependencies, such
# as jax, and nothing whose hash is not pinned); reinstalled only when its
# requirements file changes. pip is $REGNB_PYTHON's (scripts/pyenv.sh).
#
# Environment: REGNB_PJRT_LIB, the go-xla directory (default ~/.local/lib/go-xla).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/pyenv.sh
. scripts/pyenv.sh

variant=${1:-cpu}
[ "$variant" != cuda ] || variant=cuda13
case "$variant" in
  cpu|cuda13|cuda12) ;;
  *) echo "pjrt-install: unknown variant $variant: want cpu, cuda13, cuda12 or cuda" >&2; exit 2 ;;
esac
req=$PWD/scripts/requirements/xla-$variant.txt
lib=${REGNB_PJRT_LIB:-$HOME/.local/lib/go-xla}
dest=$lib/pypi/$variant
stamp=$dest/regnb-requirements.sha256
want=$(sha256sum "$req" | cut -d' ' -f1)

if [ "$(uname -s)/$(uname -m)" != Linux/x86_64 ]; then
  echo "pjrt-install: PyPI has the $variant plugin for linux/x86_64 only, not $(uname -s)/$(uname -m)" >&2
  exit 1
fi

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
  echo "pjrt-install: $variant plugin already installed from $(basename "$req") in $dest"
else
  echo "pjrt-install: installing the $variant plugin from PyPI ($(grep -Eo '^[a-z0-9-]+==[^ ]+' "$req" | head -n 1), pinned by scripts/requirements/$(basename "$req"))"
  rm -rf "$dest" "$dest.tmp"
  mkdir -p "$lib/pypi"
  log=$(mktemp)
  if ! "$REGNB_PYTHON" -m pip install -q --retries 2 --timeout 60 --no-deps --require-hashes \
       --only-binary=:all: --target "$dest.tmp" -r "$req" >"$log" 2>&1; then
    tail -n 8 "$log" >&2
    rm -rf "$dest.tmp" "$log"
    echo "pjrt-install: pip ($REGNB_PYTHON) could not install $req" >&2
    exit 1
  fi
  rm -f "$log"
  echo "$want" >"$dest.tmp/regnb-requirements.sha256"
  mv "$dest.tmp" "$dest"
fi

case "$variant" in
  cpu)
    so=$dest/lammps_jax_pjrt_cpu/pjrt_c_api_cpu_plugin.so
    [ -f "$so" ] || { echo "pjrt-install: the wheel has no $so" >&2; exit 1; }
    ln -sfn "$so" "$lib/pjrt_c_api_cpu_plugin.so"
    # The plugin loads and hands out a PJRT API (what go-xla calls first):
    # PJRT_Api starts with struct_size, extension_start and its
    # PJRT_Api_Version {struct_size, extension_start, major, minor}.
    version=$("$REGNB_PYTHON" - "$lib/pjrt_c_api_cpu_plugin.so" <<'PYEOF'
import ctypes, sys
class Version(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("extension_start", ctypes.c_void_p),
                ("major", ctypes.c_int), ("minor", ctypes.c_int)]
class Api(ctypes.Structure):
    _fields_ = [("struct_size", ctypes.c_size_t), ("extension_start", ctypes.c_void_p),
                ("version", Version)]
get = ctypes.CDLL(sys.argv[1]).GetPjrtApi
get.restype = ctypes.c_void_p
api = get()
if not api:
    sys.exit("pjrt-install: GetPjrtApi returned NULL")
v = Api.from_address(api).version
print("%d.%d" % (v.major, v.minor))
PYEOF
    )
    echo "pjrt-install: $lib/pjrt_c_api_cpu_plugin.so -> $so (PJRT C API $version)"
    ;;
  cuda*)
    so=$dest/jax_plugins/xla_$variant/xla_cuda_plugin.so
    [ -f "$so" ] || { echo "pjrt-install: the wheel has no $so" >&2; exit 1; }
    echo "pjrt-install: CUDA plugin installed (not loaded: that needs NVIDIA's driver and a GPU); for regnb: REGNB_PJRT_CUDA=$so"
    ;;
esac

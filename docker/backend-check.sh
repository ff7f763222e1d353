#!/bin/sh
# Fails the image build when the backend the image advertises ($GOMLX_BACKEND)
# does not load: runs one training step and reads the backend on regnb's
# summary line ("Time: … on backend xla:cpu, kernels: …"). regnb falls back
# to the pure-Go backend quietly but for one line; this makes it loud.
#
#   docker/backend-check.sh REGNB_COMMAND...    e.g. docker/backend-check.sh go run ./cmd/regnb
#
# Environment: GOMLX_BACKEND (what the image advertises), PJRT (install or
# skip, the Dockerfile's build argument), REGNB_PJRT_CUDA (the CUDA plugin).
#   - PJRT=skip: nothing to check, said loudly; the step still runs, on the
#     pure-Go fallback, and must succeed.
#   - GOMLX_BACKEND=xla:cuda without a GPU (an image build has none): the
#     plugin file must exist at $REGNB_PJRT_CUDA; loading it is left to the
#     organiser's check on a GPU machine, said loudly.
#   - any other xla:… backend: the summary line must name an xla backend.
set -eu
[ $# -gt 0 ] || { echo "usage: $0 REGNB_COMMAND..." >&2; exit 2; }
backend=${GOMLX_BACKEND:-}
pjrt=${PJRT:-install}

banner() {
  echo "########################################################################"
  for line in "$@"; do echo "## $line"; done
  echo "########################################################################"
}

gpu=no
if [ -e /dev/nvidiactl ] || [ -e /dev/nvidia0 ]; then gpu=yes; fi

# CUDA without a GPU (an image build has none): the plugin must be installed;
# it is not loaded (that needs NVIDIA's driver).
case "$backend" in
  xla:cuda*|cuda*)
    if [ "$pjrt" != skip ] && [ $gpu = no ]; then
      if [ -n "${REGNB_PJRT_CUDA:-}" ] && [ -f "$REGNB_PJRT_CUDA" ]; then
        banner "No GPU in this build: the CUDA plugin is installed ($REGNB_PJRT_CUDA)" \
               "but loading it is NOT checked here. On a GPU machine:" \
               "  docker run --rm --gpus all IMAGE regnb train -max-steps 1" \
               "must print a summary line \"… on backend xla:…\"."
        exit 0
      fi
      echo "backend-check: GOMLX_BACKEND=$backend but no CUDA plugin at REGNB_PJRT_CUDA=${REGNB_PJRT_CUDA:-(unset)}" >&2
      exit 1
    fi
    ;;
esac

out=$("$@" train -max-steps 1 -test-limit 100 2>&1) || {
  printf '%s\n' "$out"
  echo "backend-check: the one-step run failed" >&2
  exit 1
}
summary=$(printf '%s\n' "$out" | grep ' on backend ' | tail -n 1 || true)
notice=$(printf '%s\n' "$out" | grep -i 'using the pure-Go backend' || true)
if [ -z "$summary" ]; then
  printf '%s\n' "$out"
  echo "backend-check: no summary line (\"… on backend …\") in regnb's output" >&2
  exit 1
fi
echo "backend-check: GOMLX_BACKEND=${backend:-(unset)}: $summary"
[ -z "$notice" ] || echo "backend-check: $notice"

if [ "$pjrt" = skip ]; then
  banner "WARNING: the XLA plugin step was skipped (build argument PJRT=skip)." \
         "This image computes on GoMLX's pure-Go backend: GOMLX_BACKEND=$backend" \
         "falls back with a one-line notice. XLA was NOT checked."
  exit 0
fi

case "$backend" in
  xla*|cpu*|cuda*)
    case "$summary" in
      *" on backend xla"*) echo "backend-check: XLA loads ($backend)" ;;
      *)
        echo "backend-check: the image advertises GOMLX_BACKEND=$backend, but XLA does not load: $summary" >&2
        exit 1
        ;;
    esac
    ;;
esac

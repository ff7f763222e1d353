# shellcheck shell=bash
# The Go environment every regnb script builds and runs in; sourced by the
# other scripts (the Makefile sets the same):
#
#   - Go's bin directory on PATH (gonb, goimports, gopls);
#   - GOMLX_NO_AUTO_INSTALL=1: GoMLX never downloads an XLA/PJRT plugin;
#   - GOEXPERIMENT=simd on amd64: GoMLX's pure-Go backend (github.com/gomlx/compute)
#     compiles its AVX2/AVX-512 kernels only with it. Other architectures build
#     without it. An existing GOEXPERIMENT is kept, with simd added (unless it
#     says nosimd).
#   - GOMLX_BACKEND=xla:… (xla:cpu, xla:cuda, xla:/path): every build, the
#     GoNB kernel's cell builds included (they inherit this environment from
#     Jupyter), links XLA: GOFLAGS gains -tags=xla and CGO_ENABLED=1. So
#     `GOMLX_BACKEND=xla:cpu make lab` (or make tutorial) runs the notebooks on
#     XLA's CPU plugin; without it they build pure Go, the default.
#
# regnb_goexperiment prints the GOEXPERIMENT value to use (empty off amd64).

regnb_goexperiment() {
  local cur=${GOEXPERIMENT:-} arch
  arch=$(GOEXPERIMENT="" go env GOARCH 2>/dev/null || uname -m)
  case "$arch" in
    amd64|x86_64) ;;
    *) printf '%s' "$cur"; return ;;
  esac
  case ",$cur," in
    *,simd,*|*,nosimd,*) printf '%s' "$cur" ;;
    ,,) printf 'simd' ;;
    *) printf '%s,simd' "$cur" ;;
  esac
}

REGNB_GOBIN=$(go env GOBIN)
[ -n "$REGNB_GOBIN" ] || REGNB_GOBIN="$(go env GOPATH)/bin"
case ":$PATH:" in *":$REGNB_GOBIN:"*) ;; *) export PATH="$REGNB_GOBIN:$PATH" ;; esac
export GOMLX_NO_AUTO_INSTALL=1
GOEXPERIMENT=$(regnb_goexperiment)
if [ -n "$GOEXPERIMENT" ]; then export GOEXPERIMENT; else unset GOEXPERIMENT; fi
case "${GOMLX_BACKEND:-}" in
  xla*)
    case " ${GOFLAGS:-} " in *" -tags=xla "*) ;; *) export GOFLAGS="${GOFLAGS:+$GOFLAGS }-tags=xla" ;; esac
    export CGO_ENABLED=1 ;;
esac

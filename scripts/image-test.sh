#!/usr/bin/env bash
# The workshop image's real test (make image-test; CI runs it after make test):
# builds docker/Dockerfile with podman on a stand-in for the Jupyter
# docker-stacks base, runs a notebook in the image with networking off, and
# serves Jupyter on a free 127.0.0.1 port to check it answers only with its
# token and lists the gonb kernel. docker/README.md says what this does and
# does not verify.
#
#   scripts/image-test.sh            build (cached layers reused) and test
#   scripts/image-test.sh --clean    remove the images and the cache it made
#
# Needs root (or sudo) for apt-get and rootful podman. Installs podman, runc
# and mmdebstrap from Debian when missing. Network: the Debian mirror the
# machine's apt uses (the stand-in base, the image's apt-get) and the Go
# module proxy (the Go toolchain and modules, unless in the host's module
# cache, which the build reads first); everything the tests themselves send
# stays on loopback or inside the container.
#
# Environment:
#   REGNB_IMAGE_CACHE  where the stand-in base's tarball is kept (default out/image-test)
#   REGNB_IMAGE_NOTEBOOK  the notebook run offline in the image (default 02-l1)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
cache=${REGNB_IMAGE_CACHE:-$root/out/image-test}
notebook=${REGNB_IMAGE_NOTEBOOK:-02-l1}
image=localhost/regnb:image-test
standin_repo=localhost/regnb-standin
# podman's configuration here: runc, fixed rlimits (scripts/image/containers.conf).
export CONTAINERS_CONF=$root/scripts/image/containers.conf

SUDO=""
if [ "$(id -u)" != 0 ]; then
  command -v sudo >/dev/null || { echo "image-test: needs root (rootful podman, apt-get)" >&2; exit 1; }
  SUDO="sudo --preserve-env=CONTAINERS_CONF"
fi
podman() {
  if [ -n "$SUDO" ]; then $SUDO podman "$@"; else command podman "$@"; fi
}

t0=$(date +%s)
step_start=$t0
step() {
  local now; now=$(date +%s)
  echo "image-test: [$((now - t0))s, previous step $((now - step_start))s] $*"
  step_start=$now
}

if [ "${1:-}" = "--clean" ]; then
  podman rmi -f "$image" 2>/dev/null || true
  podman images --format '{{.Repository}}:{{.Tag}}' | grep "^$standin_repo:" | while read -r i; do podman rmi -f "$i" || true; done
  podman image prune -f >/dev/null || true
  rm -rf "$cache"
  echo "image-test: removed $image, the stand-in bases and $cache"
  exit 0
fi

# 1. Tools, from Debian.
missing=()
for p in podman runc mmdebstrap; do command -v "$p" >/dev/null || missing+=("$p"); done
if [ ${#missing[@]} -gt 0 ]; then
  step "installing ${missing[*]} from Debian"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends \
    podman runc mmdebstrap uidmap iptables slirp4netns fuse-overlayfs >/dev/null
fi
echo "image-test: $(podman --version), $(runc --version | head -n 1)"

# 2. The stand-in base: Debian with what the docker-stacks base gives the
#    Dockerfile (scripts/image/standin.sh); its tarball is cached under
#    $cache, keyed by its recipe, and imported once into podman.
standin=$(scripts/image/standin.sh --tag)
if podman image exists "$standin"; then
  echo "image-test: stand-in base $standin (already imported)"
else
  step "stand-in base $standin"
  tarball=$cache/$(basename "${standin//:/-}").tar
  [ -f "$tarball" ] || { mkdir -p "$cache"; $SUDO scripts/image/standin.sh "$tarball"; }
  import_args=()
  while IFS= read -r change; do import_args+=(--change "$change"); done < <(scripts/image/standin.sh --changes)
  podman import "${import_args[@]}" "$tarball" "$standin" >/dev/null
fi

# 3. The image: docker/Dockerfile as it is, with two build arguments (the
#    base, and no XLA plugin: GitHub is out of reach). The host's module
#    cache is read first by the build (a file:// GOPROXY) where it has the
#    toolchain and modules; the proxy serves the rest.
step "building $image from docker/Dockerfile"
# --platform: podman 4.3 (Debian 12) sets TARGETARCH, but decides which stages
# the build needs before expanding it in "FROM base-${TARGETARCH}" unless the
# platform is given explicitly.
arch=$(dpkg --print-architecture 2>/dev/null || go env GOARCH)
build_args=(--platform "linux/$arch" --build-arg "BASE_IMAGE=$standin" --build-arg PJRT=skip)
modcache=$(go env GOMODCACHE 2>/dev/null || true)
if [ -n "$modcache" ] && [ -d "$modcache/cache/download" ]; then
  build_args+=(--volume "$modcache/cache/download:/var/cache/goproxy:ro"
               --build-arg "GOPROXY=file:///var/cache/goproxy,https://proxy.golang.org,direct")
fi
log=$cache/build.log
mkdir -p "$cache"
stamp() { # prefixes each line with the seconds since the test started
  local l now
  while IFS= read -r l; do printf -v now '%(%s)T' -1; printf '%4ds %s\n' $((now - t0)) "$l"; done
}
if ! podman build --layers -f docker/Dockerfile "${build_args[@]}" -t "$image" . 2>&1 | stamp >"$log"; then
  tail -n 60 "$log" >&2
  echo "image-test: the build failed (whole log: $log)" >&2
  exit 1
fi
grep -E '^ *[0-9]+s (\[[0-9/]+\] STEP [0-9/]+: (RUN|COPY)|backend-check|notebooks:|kernel-check:|go-toolchain:|setup:|####)' "$log" \
  | cut -c1-160 | sed 's/^/  build: /' | tail -n 60
# The skip is said at build time, by the plugin step and the backend check
# (when they ran: layers from the cache print nothing)…
if grep -q 'backend-check: ' "$log" && ! grep -q 'XLA was NOT checked' "$log"; then
  echo "image-test: the backend check did not say that XLA was not checked" >&2
  exit 1
fi
grep -qE '^ *[0-9]+s ####  PJRT=skip' "$log" || echo "image-test: (the plugin step came from the cache)"

# Containers this script starts, removed on exit.
containers=()
cleanup() {
  for c in "${containers[@]}"; do podman rm -f "$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

# 4. Inside the image, networking off: what it holds, and one notebook in
#    quick mode, executed in the GoNB kernel and checked as make test does.
step "checking the image's contents and running notebooks/$notebook.ipynb with --network=none"
name=regnb-image-test-nb-$$
containers+=("$name")
podman run --name "$name" --network=none -e REGNB_QUICK=1 -e NOTEBOOK="$notebook" \
  "$image" bash -euo pipefail -c '
    cd "$HOME/regnb"
    for p in .git out bin notebooks/runs; do
      [ ! -e "$p" ] || { echo "image: $p is in the image (.dockerignore)" >&2; exit 1; }
    done
    echo "image: $(go version), GOEXPERIMENT=$(go env GOEXPERIMENT), GOFLAGS=$GOFLAGS, GOMLX_BACKEND=$GOMLX_BACKEND"
    if [ "$(go env GOARCH)" = amd64 ]; then
      case ",$(go env GOEXPERIMENT)," in *,simd,*) ;; *) echo "image: GOEXPERIMENT lacks simd" >&2; exit 1 ;; esac
      simd=(--forbid "\bno simd\b")
    else
      simd=()
    fi
    command -v gonb goimports gopls regnb >/dev/null
    # …and at run time: built with PJRT=skip, XLA falls back, with a notice.
    out=$(regnb train -max-steps 1 -test-limit 100 2>&1)
    grep -q "using the pure-Go backend" <<<"$out" || { echo "$out"; echo "image: no fallback notice" >&2; exit 1; }
    echo "image: regnb train -max-steps 1: $(grep " on backend " <<<"$out")"
    jupyter kernelspec list | grep -q "^ *gonb "
    start=$(date +%s)
    jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=gonb \
      --ExecutePreprocessor.timeout=900 "notebooks/$NOTEBOOK.ipynb" \
      --output-dir /tmp/nb --output "$NOTEBOOK" --log-level=WARN 2> >(grep -Ev "^[IW][0-9]{4} " >&2)
    python3 scripts/check_notebook.py "${simd[@]}" "/tmp/nb/$NOTEBOOK.ipynb"
    grep -o "on backend [^,\"]*" "/tmp/nb/$NOTEBOOK.ipynb" | sort | uniq -c | sed "s/^/image: /"
    echo "image: notebooks/$NOTEBOOK.ipynb ran offline in $(( $(date +%s) - start ))s"
    [ ! -e notebooks/runs ] || rm -rf notebooks/runs
  '
podman rm -f "$name" >/dev/null

# 5. Jupyter: the image's default command, published on a free port of
#    127.0.0.1 only; it must answer the API only with its token and list the
#    gonb kernel. Once with the token it makes up (read from its log, as a
#    participant would), once with the organiser's (JUPYTER_TOKEN).
py=/usr/bin/python3
[ -x "$py" ] || py=$(command -v python3)
serve_check() { # serve_check LABEL TOKEN [podman run options...]; TOKEN "": read it from the log
  local label=$1 token=$2; shift 2
  local port name
  port=$("$py" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  name=regnb-image-test-serve-$$-$label
  containers+=("$name")
  podman run -d --name "$name" -p "127.0.0.1:$port:8888" "$@" "$image" >/dev/null
  local logs=""
  for _ in $(seq 120); do
    logs=$(podman logs "$name" 2>&1)
    if [ -z "$token" ]; then
      token=$(grep -oE 'https?://127\.0\.0\.1:8888/[^ ]*token=[0-9a-zA-Z_-]+' <<<"$logs" | head -n 1 | sed 's/.*token=//' || true)
      [ -n "$token" ] && break
    elif grep -qE 'https?://127\.0\.0\.1:8888/' <<<"$logs"; then
      break
    fi
    [ "$(podman inspect -f '{{.State.Running}}' "$name")" = true ] || break
    sleep 0.5
  done
  if ! grep -qE 'https?://127\.0\.0\.1:8888/' <<<"$logs" || [ -z "$token" ]; then
    tail -n 30 <<<"$logs" >&2
    echo "image-test: ($label) Jupyter printed no URL with its token" >&2
    return 1
  fi
  echo "image-test: ($label) $(grep -oE 'https?://127\.0\.0\.1:8888/[^ ]*' <<<"$logs" | head -n 1 | sed -E 's/(token=.{4})[^ ]*/\1…/')"
  "$py" - "$port" "$token" "$label" <<'PYEOF'
import json, sys, time, urllib.error, urllib.request
port, token, label = sys.argv[1:]
base = "http://127.0.0.1:%s" % port

def get(path, tok=None):
    req = urllib.request.Request(base + path)
    if tok is not None:
        req.add_header("Authorization", "token " + tok)
    try:
        with urllib.request.urlopen(req, timeout=10) as r:
            return r.status, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.read()

for _ in range(60):  # The port is published before the server listens.
    try:
        get("/api/status")
        break
    except OSError:
        time.sleep(0.5)
checks = [
    ("/api/kernelspecs", None, 403),
    ("/api/kernelspecs", "not-" + token, 403),
    ("/api/contents", None, 403),
    ("/api/kernelspecs", token, 200),
]
for path, tok, want in checks:
    code, body = get(path, tok)
    who = "no token" if tok is None else ("the token" if tok == token else "a wrong token")
    if code != want:
        sys.exit("image-test: (%s) %s with %s answered %d, want %d" % (label, path, who, code, want))
    print("image-test: (%s) %s with %s: %d" % (label, path, who, code))
specs = json.loads(get("/api/kernelspecs", token)[1])["kernelspecs"]
if "gonb" not in specs:
    sys.exit("image-test: (%s) no gonb kernel in %s" % (label, sorted(specs)))
print("image-test: (%s) kernels: %s; gonb's env: %s" % (label, ", ".join(sorted(specs)), specs["gonb"]["spec"].get("env")))
code, body = get("/api/contents", token)
names = sorted(i["name"] for i in json.loads(body)["content"])
if not any(n.endswith(".ipynb") for n in names):
    sys.exit("image-test: (%s) no notebooks at the server's root: %s" % (label, names))
print("image-test: (%s) the server's root: %s" % (label, ", ".join(names)))
PYEOF
  podman rm -f "$name" >/dev/null
}
step "serving Jupyter (the image's default command) on 127.0.0.1"
serve_check generated ""
organiser_token=$("$py" -c 'import secrets; print(secrets.token_hex(16))')
serve_check organiser "$organiser_token" -e "JUPYTER_TOKEN=$organiser_token"

step "passed"
echo "image-test: the image $image builds and serves (kept for the layer cache; scripts/image-test.sh --clean removes it)"

#!/usr/bin/env bash
# The workshop image's real test (make image-test; CI runs it after make test):
# builds docker/Dockerfile with podman on a stand-in for the Jupyter
# docker-stacks base (with the pinned JupyterLab 4 of scripts/setup.sh), with
# XLA's CPU plugin from PyPI; checks that XLA loads and runs a notebook in the
# image with networking off; and serves JupyterLab on a free 127.0.0.1 port to
# check it answers only with its token, serves /lab and the notebooks, lists
# the gonb kernel, and opens a notebook in a GoNB kernel through its API.
# docker/README.md says what this does and does not verify.
#
#   scripts/image-test.sh            build (cached layers reused) and test
#   scripts/image-test.sh --clean    remove the images and the cache it made
#
# Needs root (or sudo) for apt-get and rootful podman. Installs podman, runc
# and mmdebstrap from Debian when missing. Network: the Debian mirror the
# machine's apt uses (the stand-in base, the image's apt-get), PyPI (the
# stand-in's JupyterLab, the image's XLA plugin; pinned and hashed) and the Go
# module proxy (the Go toolchain and modules, unless in the host's module
# cache, which the build reads first); everything the tests themselves send
# stays on loopback or inside the container. The API check runs with the
# host's Python from scripts/pyenv.sh (its websocket-client, which JupyterLab's
# Jupyter Server brings).
#
# Environment:
#   REGNB_IMAGE_CACHE  where the stand-in base's tarball is kept (default out/image-test)
#   REGNB_IMAGE_NOTEBOOK  the notebook run offline in the image (default 02-l1)
#   REGNB_IMAGE_NOTEBOOK_BACKEND  its backend (default go; xla:cpu is the image's own)
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

# 3. The image: docker/Dockerfile as it is, on the stand-in base, with XLA's
#    CPU plugin (PJRT=install, the default). The host's module cache is read
#    first by the build (a file:// GOPROXY) where it has the toolchain and
#    modules; the proxy serves the rest.
step "building $image from docker/Dockerfile"
# --platform: podman 4.3 (Debian 12) sets TARGETARCH, but decides which stages
# the build needs before expanding it in "FROM base-${TARGETARCH}" unless the
# platform is given explicitly.
arch=$(dpkg --print-architecture 2>/dev/null || go env GOARCH)
build_args=(--platform "linux/$arch" --build-arg "BASE_IMAGE=$standin")
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
# The build's own check that XLA loads (when it ran: layers from the cache
# print nothing); the run below checks it again.
if grep -q 'backend-check: ' "$log" && ! grep -q 'backend-check: XLA loads (xla:cpu)' "$log"; then
  echo "image-test: the build's backend check did not say that XLA loads" >&2
  exit 1
fi
grep -q 'pjrt-install: ' "$log" || echo "image-test: (the plugin step came from the cache)"

# Containers this script starts, removed on exit.
containers=()
cleanup() {
  for c in "${containers[@]}"; do podman rm -f "$c" >/dev/null 2>&1 || true; done
}
trap cleanup EXIT

# 4. Inside the image, networking off: what it holds, XLA's CPU plugin
#    training for 20 steps, and one notebook in quick mode, executed in the
#    GoNB kernel and checked as make test does. The notebook runs on the
#    pure-Go backend (REGNB_IMAGE_NOTEBOOK_BACKEND, default go): on the image's
#    xla:cpu, 02-l1 in quick mode takes 274 s against about 60 s today, which
#    CI's time cannot spare; XLA loading is what the training run checks.
step "checking the image's contents and running notebooks/$notebook.ipynb with --network=none"
name=regnb-image-test-nb-$$
containers+=("$name")
podman run --name "$name" --network=none -e REGNB_QUICK=1 -e NOTEBOOK="$notebook" \
  -e NOTEBOOK_BACKEND="${REGNB_IMAGE_NOTEBOOK_BACKEND:-go}" \
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
    echo "image: JupyterLab $(jupyter lab --version) ($(command -v jupyter)), REGNB_PYTHON=$REGNB_PYTHON"
    # XLA: regnb (built with -tags xla, cgo) trains on the CPU plugin that
    # go-xla finds in ~/.local/lib/go-xla; no fallback notice.
    ls -l "$HOME/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so" | sed "s/^/image: /"
    out=$(regnb train -backend xla:cpu -max-steps 20 -test-limit 100 2>&1) || { echo "$out"; exit 1; }
    if ! grep -q " on backend xla:cpu" <<<"$out" || grep -q "pure-Go backend" <<<"$out"; then
      echo "$out"; echo "image: XLA does not load" >&2; exit 1
    fi
    echo "image: regnb train -backend xla:cpu -max-steps 20: $(grep " on backend " <<<"$out")"
    jupyter kernelspec list | grep -q "^ *gonb "
    start=$(date +%s)
    GOMLX_BACKEND=$NOTEBOOK_BACKEND jupyter nbconvert --to notebook --execute --ExecutePreprocessor.kernel_name=gonb \
      --ExecutePreprocessor.timeout=900 "notebooks/$NOTEBOOK.ipynb" \
      --output-dir /tmp/nb --output "$NOTEBOOK" --log-level=WARN 2> >(grep -Ev "^[IW][0-9]{4} " >&2)
    python3 scripts/check_notebook.py "${simd[@]}" "/tmp/nb/$NOTEBOOK.ipynb"
    grep -o "on backend [^,\"]*" "/tmp/nb/$NOTEBOOK.ipynb" | sort | uniq -c | sed "s/^/image: /"
    echo "image: notebooks/$NOTEBOOK.ipynb ran offline on GOMLX_BACKEND=$NOTEBOOK_BACKEND in $(( $(date +%s) - start ))s"
    [ ! -e notebooks/runs ] || rm -rf notebooks/runs
  '
podman rm -f "$name" >/dev/null

# 5. JupyterLab: the image's default command, published on a free port of
#    127.0.0.1 only; it must answer only with its token, serve /lab and the
#    six notebooks (nothing else but figures.json), list the gonb kernel, and
#    open a notebook in a GoNB kernel (a session through the API, then the
#    kernel's answer to kernel_info over its WebSocket, as JupyterLab's page
#    does). Once with the token it makes up (read from its log, as a
#    participant would), once with the organiser's (JUPYTER_TOKEN).
# shellcheck source=scripts/pyenv.sh
. scripts/pyenv.sh
py=$REGNB_PYTHON
"$py" -c "import websocket" 2>/dev/null || { echo "image-test: $py lacks websocket-client (run scripts/setup.sh)" >&2; exit 1; }
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
import json, sys, time, urllib.error, urllib.request, uuid
import websocket
port, token, label = sys.argv[1:]
base = "http://127.0.0.1:%s" % port

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args):
        return None
opener = urllib.request.build_opener(NoRedirect)

def get(path, tok=None, method="GET", body=None):
    req = urllib.request.Request(base + path, method=method,
                                 data=None if body is None else json.dumps(body).encode())
    if tok is not None:
        req.add_header("Authorization", "token " + tok)
    if body is not None:
        req.add_header("Content-Type", "application/json")
    try:
        with opener.open(req, timeout=30) as r:
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
    ("/lab", None, 302),  # to the login page
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
notebooks = [n for n in names if n.endswith(".ipynb")]
others = [n for n in names if n not in notebooks and n != "figures.json"]
if len(notebooks) != 6 or others:
    sys.exit("image-test: (%s) the server's root should hold the six notebooks (and figures.json), not: %s" % (label, names))
print("image-test: (%s) the server's root: %s" % (label, ", ".join(names)))

# JupyterLab's page, and a notebook opened in it.
nb = "02-l1.ipynb"
for path in ("/lab", "/lab/tree/" + nb):
    code, body = get(path + "?token=" + token)
    if code != 200 or b"JupyterLab" not in body:
        sys.exit("image-test: (%s) %s answered %d, not JupyterLab's page" % (label, path, code))
    print("image-test: (%s) %s with the token: %d, JupyterLab's page" % (label, path, code))
code, body = get("/api/sessions", token, "POST", {"path": nb, "name": nb, "type": "notebook", "kernel": {"name": "gonb"}})
if code != 201:
    sys.exit("image-test: (%s) opening %s in a gonb kernel: %d %s" % (label, nb, code, body[:300]))
session = json.loads(body)
kernel = session["kernel"]["id"]
ws = websocket.create_connection("ws://127.0.0.1:%s/api/kernels/%s/channels?token=%s" % (port, kernel, token), timeout=60)
msg_id = uuid.uuid4().hex
ws.send(json.dumps({"header": {"msg_id": msg_id, "msg_type": "kernel_info_request", "username": "image-test",
                               "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
                    "parent_header": {}, "metadata": {}, "content": {}, "channel": "shell"}))
deadline = time.time() + 60
while True:
    if time.time() > deadline:
        sys.exit("image-test: (%s) no kernel_info_reply from the gonb kernel within 60s" % label)
    reply = json.loads(ws.recv())
    if reply.get("msg_type") == "kernel_info_reply" and reply.get("parent_header", {}).get("msg_id") == msg_id:
        break
ws.close()
info = reply["content"]
if info.get("status") != "ok" or info.get("language_info", {}).get("name") != "go":
    sys.exit("image-test: (%s) the kernel of %s answered %s" % (label, nb, info))
print("image-test: (%s) %s open in a %s kernel (%s %s), which answers over its WebSocket" % (
    label, nb, session["kernel"]["name"], info.get("implementation"), info.get("implementation_version")))
code, _ = get("/api/sessions/" + session["id"], token, "DELETE")
if code != 204:
    sys.exit("image-test: (%s) closing the session: %d" % (label, code))
PYEOF
  podman rm -f "$name" >/dev/null
}
step "serving JupyterLab (the image's default command) on 127.0.0.1"
serve_check generated ""
organiser_token=$("$py" -c 'import secrets; print(secrets.token_hex(16))')
serve_check organiser "$organiser_token" -e "JUPYTER_TOKEN=$organiser_token"

step "passed"
echo "image-test: the image $image builds and serves (kept for the layer cache; scripts/image-test.sh --clean removes it)"

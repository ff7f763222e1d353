#!/usr/bin/env bash
# make lab: JupyterLab on 127.0.0.1 with a token, the notebooks' folder as its
# root, and the GoNB kernel; prints the URL to open (token included).
#
#   scripts/lab.sh [--root DIR] [--port N] [JUPYTER_ARGS...]
#
#   --root DIR  the folder it serves (default notebooks/)
#   --port N    the port (default: 8888, else the next free one)
#   JUPYTER_ARGS are passed on to `jupyter lab` (the browser test adds its own).
#
# The token: $JUPYTER_TOKEN if set, else a new random one. Jupyter is the one
# scripts/pyenv.sh picks (scripts/setup.sh installs it): JupyterLab 4 from
# .venv, your own with REGNB_PYTHON, or, where PyPI could not be reached,
# Debian's classic Notebook 6 (no JupyterLab: the URL is then /tree).
set -euo pipefail
cd "$(dirname "$0")/.."
# shellcheck source=scripts/goenv.sh
. scripts/goenv.sh
# shellcheck source=scripts/pyenv.sh
. scripts/pyenv.sh

root=notebooks port=""
while [ $# -gt 0 ]; do
  case "$1" in
    --root) root=$2; shift 2 ;;
    --port) port=$2; shift 2 ;;
    *) break ;;
  esac
done
root=$(cd "$root" && pwd)
PY=$REGNB_PYTHON
if [ -z "$port" ]; then
  port=$("$PY" -c 'import socket
for p in range(8888, 8988):
    s = socket.socket()
    try:
        s.bind(("127.0.0.1", p)); print(p); break
    except OSError:
        pass
    finally:
        s.close()')
fi
# Jupyter reads its token from JUPYTER_TOKEN (JupyterLab 4's Jupyter Server and
# Notebook 6 alike), which keeps it off the command line.
JUPYTER_TOKEN=${JUPYTER_TOKEN:-$("$PY" -c 'import secrets; print(secrets.token_hex(24))')}
export JUPYTER_TOKEN

args=(--ip 127.0.0.1 --port "$port" --port-retries=0 --no-browser)
[ "$(id -u)" != 0 ] || args+=(--allow-root)
if "$PY" -c "import jupyterlab" 2>/dev/null; then
  app=lab page=lab
  # No look-ups on the network for newer versions or news (nor a question
  # about them).
  args+=(--ServerApp.root_dir="$root" --LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate
         --LabApp.news_url=None)
else
  app=notebook page=tree
  args+=(--notebook-dir="$root")
fi
echo "lab: $(regnb_jupyter_kind) serves $root"
echo "lab: open http://127.0.0.1:$port/$page?token=$JUPYTER_TOKEN   (Ctrl-C stops it)"
exec "$PY" -m jupyter "$app" "${args[@]}" "$@"

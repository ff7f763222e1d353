#!/usr/bin/env python3
"""Stand-in for Jupyter docker-stacks' start-notebook.py (used by the image
test only, see scripts/image-test.sh): starts JupyterLab (the pinned one in
/opt/jupyter) with the arguments given, as docker-stacks' script does. Like
docker-stacks, the server listens on all interfaces on port 8888 (see
/etc/jupyter/jupyter_server_config.py), generates a token unless JUPYTER_TOKEN
is set, and prints the URL with it (http://127.0.0.1:8888/lab?token=…) in the
logs."""
import os
import shlex
import sys

cmd = ["jupyter", os.environ.get("DOCKER_STACKS_JUPYTER_CMD", "lab")]
cmd += shlex.split(os.environ.get("NOTEBOOK_ARGS", "")) + sys.argv[1:]
print("start-notebook.py (stand-in): executing " + shlex.join(cmd), flush=True)
os.execvp(cmd[0], cmd)

# shellcheck shell=bash
# The Python whose Jupyter every regnb script runs (the set-up, the notebook
# runner, the kernel check, the browser test, make lab, the benchmark); sourced
# by them, the one place that decides it. In this order:
#
#   1. $REGNB_PYTHON, when set: a Python whose Jupyter you already have (your
#      own JupyterLab; the workshop image sets it to its base's). scripts/setup.sh
#      then installs no Jupyter, and only registers the GoNB kernel.
#   2. .venv/bin/python, the project's virtual environment, once scripts/setup.sh
#      has installed JupyterLab 4 into it from PyPI (scripts/requirements/jupyter.txt:
#      exact versions and hashes). $REGNB_VENV_DONE marks it complete.
#   3. /usr/bin/python3, Debian's Jupyter (classic Notebook 6): the fallback that
#      scripts/setup.sh installs where PyPI cannot be reached.
#
# Sets and exports REGNB_PYTHON (an absolute path); regnb_jupyter_kind prints
# which of the three it is, in words.

REGNB_ROOT=${REGNB_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}
REGNB_VENV=$REGNB_ROOT/.venv
# Written by scripts/setup.sh once the venv holds every pinned package: the
# sha256 of the requirements file it was made from.
REGNB_VENV_DONE=$REGNB_VENV/regnb-requirements.sha256
REGNB_PYTHON_FROM=""

if [ -n "${REGNB_PYTHON:-}" ]; then
  REGNB_PYTHON_FROM=env
  case "$REGNB_PYTHON" in
    /*) ;;
    *) REGNB_PYTHON=$(command -v "$REGNB_PYTHON" || echo "$REGNB_PYTHON") ;;
  esac
elif [ -f "$REGNB_VENV_DONE" ] && [ -x "$REGNB_VENV/bin/python" ]; then
  REGNB_PYTHON_FROM=venv
  REGNB_PYTHON=$REGNB_VENV/bin/python
else
  REGNB_PYTHON_FROM=debian
  REGNB_PYTHON=/usr/bin/python3
  [ -x "$REGNB_PYTHON" ] || REGNB_PYTHON=$(command -v python3 || echo python3)
fi
export REGNB_PYTHON

regnb_jupyter_kind() {
  case "$REGNB_PYTHON_FROM" in
    env) echo "your Jupyter (REGNB_PYTHON=$REGNB_PYTHON)" ;;
    venv) echo "JupyterLab 4 from PyPI in $REGNB_VENV" ;;
    *) echo "Debian's Jupyter ($REGNB_PYTHON)" ;;
  esac
}

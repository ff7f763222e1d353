#!/usr/bin/env python3
"""Writes the outputs of executed notebooks back into the committed ones.

  write_back.py EXECUTED.ipynb NOTEBOOK.ipynb [EXECUTED.ipynb NOTEBOOK.ipynb]...

scripts/run-notebooks.sh calls it in full mode, once every notebook it ran
has passed its checks (scripts/check_notebook.py, scripts/check_figures.py),
so that the committed notebooks show their plots and logs on a code host.

For each pair it takes, cell by cell, the outputs and execution counts of
EXECUTED into NOTEBOOK, and nothing else: the notebook's own sources and
metadata stay as they are (its markdown may have changed since it ran:
check_figures.py --update rewrites quoted numbers). It refuses (and writes
nothing) if the two do not have the same cells (ids, types, the code cells'
sources) — a notebook whose code was edited after it ran —
and it drops what would change at every run without saying anything: the
execution timestamps that nbclient records in each cell's metadata.
"""
import json
import sys


def load(path):
    with open(path) as f:
        return json.load(f)


def joined(src):
    return "".join(src) if isinstance(src, list) else src


def merged(executed, notebook, ex_path, nb_path):
    ex_cells, nb_cells = executed["cells"], notebook["cells"]
    if len(ex_cells) != len(nb_cells):
        raise SystemExit("write_back: %s has %d cells, %s %d: was the notebook edited while it ran?"
                         % (ex_path, len(ex_cells), nb_path, len(nb_cells)))
    for i, (e, n) in enumerate(zip(ex_cells, nb_cells)):
        same = (e["cell_type"], e.get("id")) == (n["cell_type"], n.get("id"))
        if same and n["cell_type"] == "code":
            same = joined(e["source"]) == joined(n["source"])
        if not same:
            raise SystemExit("write_back: cell %d of %s differs from the one that ran (%s): "
                             "was the notebook edited while it ran?" % (i, nb_path, ex_path))
        if n["cell_type"] == "code":
            n["outputs"] = e.get("outputs", [])
            n["execution_count"] = e.get("execution_count")
            n["metadata"].pop("execution", None)
    return notebook


def main(argv):
    if len(argv) == 0 or len(argv) % 2:
        raise SystemExit(__doc__.split("\n\n")[1])
    pairs = list(zip(argv[0::2], argv[1::2]))
    out = [(nb, merged(load(ex), load(nb), ex, nb)) for ex, nb in pairs]  # All checked before any is written.
    for path, nb in out:
        with open(path, "w") as f:
            json.dump(nb, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print("write_back: %s" % path)


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Checks executed notebooks: nbconvert does not notice a cell that panicked
or exited (GoNB prints "exit status N" on stderr and carries on), so every
saved output is read here.

  check_notebook.py OUT.ipynb...

A notebook fails if a cell has an error output, a stderr line "exit status N"
or starting with "panic: ", a code cell that calls regnb.Show shows no plot
(inline SVG or PNG), or a code cell was not executed.
"""
import json
import re
import sys

EXIT = re.compile(r"^exit status \d+$", re.M)
PANIC = re.compile(r"^panic: ", re.M)


def text(output):
    t = output.get("text", "")
    return "".join(t) if isinstance(t, list) else t


def is_plot(output):
    data = output.get("data", {})
    html = data.get("text/html", "")
    html = "".join(html) if isinstance(html, list) else html
    return "image/png" in data or "<svg" in html


def check(path):
    problems = []
    nb = json.load(open(path))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        where = "%s, cell %d (%s)" % (path, i, src.strip().splitlines()[0][:60] if src.strip() else "")
        outputs = cell.get("outputs", [])
        if cell.get("execution_count") is None:
            problems.append(where + ": not executed")
        for o in outputs:
            if o.get("output_type") == "error":
                problems.append(where + ": error %s: %s" % (o.get("ename"), o.get("evalue")))
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                t = text(o)
                if EXIT.search(t) or PANIC.search(t):
                    problems.append(where + ": failed: " + t.strip().splitlines()[-1][:200])
        if "regnb.Show(" in src and not any(is_plot(o) for o in outputs):
            problems.append(where + ": calls regnb.Show but shows no plot")
    return problems


def main():
    problems = []
    for path in sys.argv[1:]:
        problems += check(path)
    for p in problems:
        print("FAIL", p)
    print("%d passed, %d failed" % (len(sys.argv[1:]) - len({p.split(",")[0] for p in problems}),
                                    len({p.split(",")[0] for p in problems})))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Checks executed notebooks: nbconvert does not notice a cell that panicked
or exited (GoNB prints "exit status N" on stderr and carries on), so every
saved output is read here.

  check_notebook.py [--committed] [--expect REGEX]... [--forbid REGEX]... OUT.ipynb...

A notebook fails if a code cell is longer than MAX_CELL_LINES lines (a lesson's
cell does one new thing; plumbing belongs in the regnb package), if a cell has an error output, a stderr line "exit status N"
or starting with "panic: " or "check failed: " (regnb.Assert), a code cell that calls regnb.Show shows no plot
(inline SVG or PNG), or a code cell was not executed; and, with the options,
if no output of the notebook matches an --expect REGEX, or any output matches
a --forbid REGEX (Python regular expressions, searched in the text of stream
outputs and of text/plain, text/markdown and text/html data).

--committed checks notebooks as they are committed, with their outputs from
make tutorial (full mode; scripts/write_back.py): besides the above, no
output may come from quick mode (say "quick mode"), hold an absolute path
of the machine that ran it (/work/, /root/, /home/, /tmp/, …) or a progress
bar (<progress), and a notebook none of whose code cells ran fails: a
visitor on a code host would see code without a single plot.
scripts/run-notebooks.sh runs these checks on the executed notebooks
before writing them back, make test on the committed ones.

scripts/run-notebooks.sh uses the options for GoMLX's SIMD kernels: on amd64 it
passes --forbid 'no simd' (a notebook that reports its backend's kernels
must not say they were built without GOEXPERIMENT=simd), and its probe of
the GoNB kernel is checked with --expect.
"""
import argparse
import json
import re
import sys

EXIT = re.compile(r"^exit status \d+$", re.M)
PANIC = re.compile(r"^panic: ", re.M)
CLAIM = re.compile(r"^check failed: ", re.M)  # regnb.Assert: a claim of the text that the cell disproved.
MAX_CELL_LINES = 25  # The longest code cell a lesson may have.
TEXT_MIMES = ("text/plain", "text/markdown", "text/html")
# What a committed notebook's outputs must not hold (--committed).
COMMITTED_FORBID = [
    (re.compile(r"\bquick mode\b", re.I), "an output of quick mode"),
    (re.compile(r"(?<![\w.~])/(?:work|root|home|tmp|Users|private|var/folders)/"), "an absolute path of the machine that ran it"),
    (re.compile(r"<progress\b"), "a progress bar"),
]


def joined(t):
    return "".join(t) if isinstance(t, list) else (t or "")


def text(output):
    return joined(output.get("text", ""))


def all_text(output):
    """The text of an output: a stream's, or its textual data."""
    parts = [text(output)]
    data = output.get("data", {})
    parts += [joined(data.get(m, "")) for m in TEXT_MIMES]
    return "\n".join(p for p in parts if p)


def is_plot(output):
    data = output.get("data", {})
    html = joined(data.get("text/html", ""))
    return "image/png" in data or "<svg" in html


def executed(nb):
    """Whether any code cell of the notebook ran."""
    return any(c.get("execution_count") is not None for c in nb["cells"] if c["cell_type"] == "code")


def check(path, expect=(), forbid=(), committed=False):
    problems = []
    nb = json.load(open(path))
    if committed:
        forbid = list(forbid) + [r for r, _ in COMMITTED_FORBID]
    found = {r.pattern: False for r in expect}
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = joined(cell["source"])
        where = "%s, cell %d (%s)" % (path, i, src.strip().splitlines()[0][:60] if src.strip() else "")
        outputs = cell.get("outputs", [])
        if len(src.splitlines()) > MAX_CELL_LINES:
            problems.append(where + ": %d lines of code, more than %d" % (len(src.splitlines()), MAX_CELL_LINES))
        if cell.get("execution_count") is None:
            problems.append(where + ": not executed")
        for o in outputs:
            if o.get("output_type") == "error":
                problems.append(where + ": error %s: %s" % (o.get("ename"), o.get("evalue")))
            if o.get("output_type") == "stream" and o.get("name") == "stderr":
                t = text(o)
                if EXIT.search(t) or PANIC.search(t) or CLAIM.search(t):
                    problems.append(where + ": failed: " + t.strip().splitlines()[-1][:200])
            t = all_text(o)
            for r in expect:
                if r.search(t):
                    found[r.pattern] = True
            for r in forbid:
                m = r.search(t)
                if m:
                    line = next((ln for ln in t.splitlines() if r.search(ln)), m.group(0))
                    problems.append(where + ": output matches %r: %s" % (r.pattern, line.strip()[:200]))
        if "regnb.Show(" in src and not any(is_plot(o) for o in outputs):
            problems.append(where + ": calls regnb.Show but shows no plot")
    for pattern, ok in found.items():
        if not ok:
            problems.append("%s, all cells: no output matches %r" % (path, pattern))
    return problems


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--expect", action="append", default=[], metavar="REGEX",
                    help="some output of each notebook must match REGEX")
    ap.add_argument("--forbid", action="append", default=[], metavar="REGEX",
                    help="no output of any notebook may match REGEX")
    ap.add_argument("--committed", action="store_true",
                    help="check committed notebooks: also no quick-mode output, absolute path or progress bar")
    ap.add_argument("notebooks", nargs="+", metavar="OUT.ipynb")
    args = ap.parse_args(argv)
    expect = [re.compile(r, re.M) for r in args.expect]
    forbid = [re.compile(r, re.M) for r in args.forbid]
    failed = set()
    for path in args.notebooks:
        if args.committed and not executed(json.load(open(path))):
            print("FAIL %s: committed without outputs (make tutorial writes them back)" % path)
            failed.add(path)
            continue
        problems = check(path, expect, forbid, args.committed)
        for p in problems:
            print("FAIL", p)
        if problems:
            failed.add(path)
    print("%d passed, %d failed" % (len(args.notebooks) - len(failed), len(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

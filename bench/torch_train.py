#!/usr/bin/env python3
"""The PyTorch original's training step, timed: the tutorial's MLP, Adam
(lr 1e-4), cross-entropy plus (optionally) its Elastic Net term 0.3·Σ|w| +
0.7·Σw² over all parameters (flattened and concatenated, as the tutorial
does), on real MNIST held in memory, shuffled mini-batches.

  torch_train.py --data DIR --batch 10 --steps 2000 [--penalty elastic-net|none] [--threads N] [--compile]

--compile compiles the forward pass with the loss (and so its backward) and
Adam's step with torch.compile (PyTorch 2). Prints one JSON line: examples/s,
ms per step (after 20 warm-up steps, which compile), the warm-up's time, peak
RSS, PyTorch's version, threads and BLAS.
"""
import argparse
import json
import os
import time

import numpy as np
import torch
from torch import nn

from benchdata import peak_rss_mb, read_idx


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--penalty", default="elastic-net", choices=["elastic-net", "none"])
    ap.add_argument("--threads", type=int, default=0, help="torch threads (0: PyTorch's default)")
    ap.add_argument("--device", default="cpu", help="cpu or cuda")
    ap.add_argument("--compile", action="store_true", help="torch.compile the loss (forward, backward) and Adam's step")
    ap.add_argument("--save-init", help="write the initial parameters as JSON for regnb's -init, and exit")
    args = ap.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    x = torch.from_numpy(read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")).astype(np.float32) / 255)
    y = torch.from_numpy(read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).astype(np.int64))
    dev = torch.device(args.device)
    x, y = x.to(dev), y.to(dev)
    mlp = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.ReLU(), nn.Linear(64, 32), nn.ReLU(), nn.Linear(32, 10)).to(dev)
    if args.save_init:
        layers = [m for m in mlp if isinstance(m, nn.Linear)]
        params = {}
        for i, m in enumerate(layers):
            params[f"/dense_{i}/weights"] = {"shape": list(m.weight.shape), "values": m.weight.detach().flatten().tolist()}
            params[f"/dense_{i}/biases"] = {"shape": list(m.bias.shape), "values": m.bias.detach().flatten().tolist()}
        with open(args.save_init, "w") as f:
            json.dump(params, f)
        return
    loss_fn = nn.CrossEntropyLoss()
    opt = torch.optim.Adam(mlp.parameters(), lr=1e-4)

    def loss_of(inputs, targets):
        loss = loss_fn(mlp(inputs), targets)
        if args.penalty == "elastic-net":
            params = torch.cat([p.view(-1) for p in mlp.parameters()])
            loss = loss + 0.3 * params.abs().sum() + 0.7 * params.pow(2).sum()
        return loss

    def opt_step():
        opt.step()

    if args.compile:
        loss_of, opt_step = torch.compile(loss_of), torch.compile(opt_step)
    perm = torch.randperm(len(x)).to(dev)
    warmup = 20
    start = None
    t0 = time.perf_counter()
    for step in range(args.steps + warmup):
        if step == warmup:
            start = time.perf_counter()
        i = (step * args.batch) % (len(x) - args.batch)
        idx = perm[i:i + args.batch]
        inputs, targets = x[idx], y[idx]
        opt.zero_grad()
        loss = loss_of(inputs, targets)
        loss.backward()
        opt_step()
        if step == 0:
            loss.item()
    if args.device == "cuda":
        torch.cuda.synchronize()
    seconds = time.perf_counter() - start
    config = torch.__config__.show()
    blas = config.split("BLAS_INFO=", 1)[-1].split(",", 1)[0] if "BLAS_INFO=" in config else "unknown"
    if blas in ("generic", "open"):  # Debian's torch: the libblas.so.3 the dynamic linker picks.
        blas = os.path.realpath("/usr/lib/x86_64-linux-gnu/libblas.so.3").split("/")[-2]
    print(json.dumps({"examples_per_second": args.steps * args.batch / seconds,
                      "step_ms": 1000 * seconds / args.steps, "warmup_seconds": start - t0,
                      "peak_rss_mb": peak_rss_mb(), "threads": torch.get_num_threads(),
                      "version": "torch " + torch.__version__, "blas": blas}))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Writes regularizers/testdata/torch_decay.json: a few steps of PyTorch's
Adam(weight_decay=wd) (coupled decay) and AdamW(weight_decay=wd) (decoupled
decay) on a small linear least-squares problem, with the loss multiplied by
c = 1, 3 and 0.5, so that a Go test can compare regularizers'
CoupledWeightDecay and DecoupledWeightDecay under GoMLX's Adam with them.

Run with Debian's python3-torch:  /usr/bin/python3 scripts/decay_reference.py
"""
import json
import os

import torch

torch.set_default_dtype(torch.float64)
x = torch.tensor([[1.0, -2.0, 0.5], [0.3, 0.8, -1.0], [-1.5, 0.2, 2.0], [0.7, -0.4, 0.1]])
y = torch.tensor([[1.0, 0.0], [-1.0, 2.0], [0.5, -0.5], [2.0, 1.0]])
w0 = [[0.2, -0.5, 0.1], [0.4, 0.3, -0.2]]
b0 = [0.05, -0.1]
lr, wd, steps = 0.1, 0.5, 3

cases = []
for kind, opt_class in (("coupled", torch.optim.Adam), ("decoupled", torch.optim.AdamW)):
    for c in (1.0, 3.0, 0.5):
        w = torch.tensor(w0, requires_grad=True)
        b = torch.tensor(b0, requires_grad=True)
        opt = opt_class([w, b], lr=lr, betas=(0.9, 0.999), eps=1e-8, weight_decay=wd)
        trajectory = []
        for _ in range(steps):
            opt.zero_grad()
            loss = c * ((x @ w.T + b - y) ** 2).mean()
            loss.backward()
            opt.step()
            trajectory.append({"weights": w.detach().tolist(), "biases": b.detach().tolist()})
        cases.append({"kind": kind, "c": c, "steps": trajectory})

out = {
    "generator": "scripts/decay_reference.py, torch " + torch.__version__,
    "x": x.tolist(), "y": y.tolist(), "weights": w0, "biases": b0,
    "lr": lr, "wd": wd, "cases": cases,
}
path = os.path.join(os.path.dirname(__file__), "..", "regularizers", "testdata", "torch_decay.json")
with open(path, "w") as f:
    json.dump(out, f)
    f.write("\n")
print("wrote", os.path.normpath(path))

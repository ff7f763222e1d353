#!/usr/bin/env python3
"""Writes regnb/testdata/enet_path.json: a small regression problem and the
Lasso and Elastic Net coefficient paths scikit-learn's enet_path computes for
it, so that a Go test can compare regnb.ElasticNetPath with them.

Run with Debian's python3-sklearn:  /usr/bin/python3 scripts/enet_path_reference.py
"""
import json
import os

import numpy as np
import sklearn
from sklearn.linear_model import enet_path

rng = np.random.default_rng(42)
n, p = 60, 8
X = rng.normal(size=(n, p))
X[:, 1] = 0.6 * X[:, 0] + 0.8 * X[:, 1]  # Some correlation.
X = (X - X.mean(axis=0)) / X.std(axis=0)
true = np.array([3.0, -2.0, 0.0, 1.5, 0.0, 0.0, 0.5, 0.0])
y = X @ true + 0.5 * rng.normal(size=n)
y = y - y.mean()

alphas = np.geomspace(2.0, 0.01, 12)
paths = []
for l1_ratio in (1.0, 0.5):
    a, coefs, _ = enet_path(X, y, l1_ratio=l1_ratio, alphas=alphas, tol=1e-12, max_iter=100000)
    paths.append({"l1_ratio": l1_ratio, "alphas": a.tolist(), "coefs": coefs.T.tolist()})

out = {
    "comment": "scikit-learn %s enet_path: minimizes 1/(2n)·|y − Xw|² + α·ρ·|w|₁ + ½·α·(1−ρ)·|w|²" % sklearn.__version__,
    "x": X.tolist(),
    "y": y.tolist(),
    "paths": paths,
}
path = os.path.join(os.path.dirname(__file__), "..", "regnb", "testdata", "enet_path.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))

#!/usr/bin/env python3
"""The tutorial's training step in JAX, timed: the MLP 784→64→32→10,
cross-entropy, Adam (lr 1e-4, β 0.9/0.999, ε 1e-8, written out: no optax),
plus (optionally) the Elastic Net term 0.3·Σ|w| + 0.7·Σw² over all
parameters, on real MNIST kept on the device as bytes, each mini-batch
gathered and scaled in the compiled step — as regnb does on XLA.

  jax_train.py --data DIR --batch 10 --steps 2000 [--penalty elastic-net|none] [--k 1]

--k 1 runs one jitted step per call; --k K > 1 runs K steps per call fused by
lax.scan, as regnb's -steps-per-call. Prints one JSON line: examples/s, ms
per step (after a warm-up call, which compiles), the compile time, peak RSS,
versions and threads.
"""
import argparse
import json
import os
import time

import numpy as np
import jax
import jax.numpy as jnp
import jaxlib

from benchdata import peak_rss_mb, read_idx


def init(key, sizes=(784, 64, 32, 10)):
    """PyTorch's nn.Linear initialization: U(±1/√fan_in) for weights and biases."""
    params = []
    for fan_in, fan_out in zip(sizes[:-1], sizes[1:]):
        key, kw, kb = jax.random.split(key, 3)
        bound = 1 / np.sqrt(fan_in)
        params.append((jax.random.uniform(kw, (fan_out, fan_in), minval=-bound, maxval=bound),
                       jax.random.uniform(kb, (fan_out,), minval=-bound, maxval=bound)))
    return params


def make_step(images, labels, penalty, lr=1e-4, b1=0.9, b2=0.999, eps=1e-8):
    def loss_fn(params, x, y):
        h = x
        for i, (w, b) in enumerate(params):
            h = h @ w.T + b
            if i < len(params) - 1:
                h = jax.nn.relu(h)
        loss = -jnp.mean(jnp.take_along_axis(jax.nn.log_softmax(h), y[:, None], axis=1))
        if penalty == "elastic-net":
            leaves = jax.tree_util.tree_leaves(params)
            loss = loss + 0.3 * sum(jnp.abs(p).sum() for p in leaves) + 0.7 * sum((p * p).sum() for p in leaves)
        return loss

    def step(state, rows):
        params, m, v, t = state
        x = images[rows].astype(jnp.float32) / 255
        loss, grads = jax.value_and_grad(loss_fn)(params, x, labels[rows])
        t = t + 1
        m = jax.tree_util.tree_map(lambda m, g: b1 * m + (1 - b1) * g, m, grads)
        v = jax.tree_util.tree_map(lambda v, g: b2 * v + (1 - b2) * g * g, v, grads)
        c1, c2 = 1 - b1 ** t, 1 - b2 ** t
        params = jax.tree_util.tree_map(lambda p, m, v: p - lr * (m / c1) / (jnp.sqrt(v / c2) + eps), params, m, v)
        return (params, m, v, t), loss

    return step


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", required=True)
    ap.add_argument("--batch", type=int, default=10)
    ap.add_argument("--steps", type=int, default=2000)
    ap.add_argument("--penalty", default="elastic-net", choices=["elastic-net", "none"])
    ap.add_argument("--k", type=int, default=1, help="steps per call: 1 = jit of one step, K > 1 = lax.scan of K")
    args = ap.parse_args()
    images = jnp.asarray(read_idx(os.path.join(args.data, "train-images-idx3-ubyte.gz")).reshape(-1, 784))
    labels = jnp.asarray(read_idx(os.path.join(args.data, "train-labels-idx1-ubyte.gz")).astype(np.int32))
    n = images.shape[0]
    step = make_step(images, labels, args.penalty)
    if args.k == 1:
        call = jax.jit(lambda state, idx: step(state, idx[0]), donate_argnums=0)
    else:
        call = jax.jit(lambda state, idx: jax.lax.scan(step, state, idx), donate_argnums=0)
    params = init(jax.random.PRNGKey(42))
    zeros = jax.tree_util.tree_map(jnp.zeros_like, params)
    state = (params, zeros, jax.tree_util.tree_map(jnp.zeros_like, params), jnp.zeros((), jnp.float32))
    rng = np.random.default_rng(42)
    calls = max(1, args.steps // args.k)
    per_epoch = n // args.batch
    order = np.concatenate([rng.permutation(n)[:per_epoch * args.batch]
                            for _ in range(1 + (calls + 1) * args.k // per_epoch)])
    idx = [jnp.asarray(order[i * args.k * args.batch:(i + 1) * args.k * args.batch].reshape(args.k, args.batch)
                       .astype(np.int32)) for i in range(calls + 1)]
    t0 = time.perf_counter()
    state, losses = call(state, idx[0])  # Compiles.
    losses.block_until_ready()
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    for i in range(1, calls + 1):
        state, losses = call(state, idx[i])
    losses.block_until_ready()
    seconds = time.perf_counter() - t0
    steps = calls * args.k
    print(json.dumps({"examples_per_second": steps * args.batch / seconds, "step_ms": 1000 * seconds / steps,
                      "compile_seconds": compile_s, "peak_rss_mb": peak_rss_mb(),
                      "version": f"jax {jax.__version__} (jaxlib {jaxlib.__version__})",
                      "threads": os.cpu_count(), "blas": "XLA CPU (Eigen/oneDNN in the compiled step)"}))


if __name__ == "__main__":
    main()

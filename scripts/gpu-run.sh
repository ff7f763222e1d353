#!/usr/bin/env bash
# The GPU half of scripts/gpu-check.sh; runs from the repository root with .gpu/.
#
# The CUDA PJRT plugin is JAX's (jax_plugins.xla_cuda13, else xla_cuda12, in the
# python3 that has torch), or $REGNB_PJRT_CUDA; regnb gets it as the backend
# xla:<absolute path> and loads it from its real path, where its RPATH finds
# NVIDIA's libraries. GOMLX_NO_AUTO_INSTALL=1: nothing is downloaded.
# GOPJRT_CUDA_CHECKS=0: go-xla (v0.4.1, pjrt/cuda_linux.go) otherwise looks for
# an nvidia/ folder next to the plugin's folder to put in XLA_FLAGS, which
# JAX's layout does not have, and warns at length.
set -uo pipefail
export GOMLX_NO_AUTO_INSTALL=1 GOPJRT_CUDA_CHECKS=0
PY=python3
for p in /opt/torch/.venv/bin/python3 /opt/torch/.venv/bin/python; do [ -x "$p" ] && PY=$p && break; done
PATH="$(dirname "$PY"):$PATH"
export PATH
out=${OUT:-.gpu/out}
mkdir -p "$out"
nvidia-smi --query-gpu=name,driver_version --format=csv,noheader | tee "$out/gpu.txt"

plugin=${REGNB_PJRT_CUDA:-}
if [ -z "$plugin" ]; then
  for mod in jax_plugins.xla_cuda13 jax_plugins.xla_cuda12; do
    dir=$("$PY" -c "import os, $mod as m; print(os.path.dirname(m.__file__))" 2>/dev/null) || continue
    if [ -f "$dir/xla_cuda_plugin.so" ]; then plugin="$dir/xla_cuda_plugin.so"; break; fi
  done
fi
if [ -z "$plugin" ] || [ ! -f "$plugin" ]; then
  echo "gpu-check: FAIL: no CUDA PJRT plugin (JAX's jax_plugins.xla_cuda13 for $PY, or \$REGNB_PJRT_CUDA)"
  exit 1
fi
export REGNB_PJRT_CUDA=$plugin
backend="xla:$plugin"
echo "PJRT plugin: $plugin" | tee -a "$out/gpu.txt"
fail=0

# 1. The three examples on CUDA: log lines, and loss components against the CPU run.
for ex in l1 l2 elastic-net; do
  .gpu/regnb train -example "$ex" -max-steps 300 -log-every 100 -test-limit 1000 \
    -data .gpu/data -backend "$backend" -out "$out/$ex" > "$out/$ex.log" 2> "$out/$ex.err" || fail=1
  if grep -q "using the pure-Go backend" "$out/$ex.err"; then echo "FAIL $ex: not on CUDA: $(cat "$out/$ex.err")"; fail=1; fi
  grep -Eq '^Loss after mini-batch   100: [0-9]+\.[0-9]{5} \(of which [0-9]+\.[0-9]{5} L[12] loss' "$out/$ex.log" \
    || { echo "FAIL $ex: log lines"; fail=1; }
  "$PY" - "$ex" "$out" <<'PYEOF' || fail=1
import json, sys
ex, out = sys.argv[1], sys.argv[2]
cpu = json.load(open(f".gpu/cpu/{ex}/history.json"))
gpu = json.load(open(f"{out}/{ex}/history.json"))
assert gpu["backend"].lower().startswith("xla"), gpu["backend"]
worst = 0.0
for a, b in zip(cpu["steps"], gpu["steps"]):
    for x, y in [(a["total"], b["total"]), (a["data"], b["data"])] + list(zip(a["terms"], b["terms"])):
        worst = max(worst, abs(x - y) / max(abs(x), 1e-3))
print(f"{ex}: {len(gpu['steps'])} logged steps on {gpu['backend']}, worst relative difference from the CPU run {worst:.2e}")
sys.exit(0 if worst < 2e-3 else 1)
PYEOF
done

# 2. Speed: regnb train (the Elastic Net example, its real loop: history, log
# lines, checkpoint) on CUDA against PyTorch eager on the same card, batch 10,
# 64 and 1024. regnb: the default steps per call (20 on XLA) twice, and one
# step per call once (the effect of unrolling); ms/step is the steady state
# (calls that compiled nothing), ex/s the whole run's including compilation.
# PyTorch: torch_train.py's timed steps after its warm-up.
steady() { "$PY" -c "import json,sys; s=json.load(open(sys.argv[1]))['summary']; print(s.get('steady_step_ms', 0), s['examples_per_second'], s['compile_seconds'])" "$1"; }
echo "| batch | regnb steps/call | regnb ms/step (steady) | regnb ex/s (steady) | regnb ex/s (whole run) | PyTorch eager ms/step | PyTorch eager ex/s | ratio (steady) |" > "$out/bench.md"
echo "|---|---|---|---|---|---|---|---|" >> "$out/bench.md"
for batch in 10 64 1024; do
  steps=$(( batch >= 1024 ? 600 : 3000 ))
  torch_eps=()
  for _ in 1 2; do
    torch_eps+=("$("$PY" .gpu/torch_train.py --data .gpu/data --batch "$batch" --steps "$steps" --device cuda \
      | "$PY" -c "import json,sys; print(json.load(sys.stdin)['examples_per_second'])")")
  done
  for k in 20 20 1; do
    timeout 120 .gpu/regnb train -example elastic-net -batch "$batch" -max-steps "$steps" -log-every 1000000000 \
      -steps-per-call "$k" -test-limit 1000 -data .gpu/data -backend "$backend" -out "$out/bench-$batch-$k" \
      > "$out/bench-$batch-$k.log" 2>&1 || { echo "FAIL bench batch $batch k $k: $(tail -3 "$out/bench-$batch-$k.log")"; fail=1; continue; }
    read -r ms eps compile < <(steady "$out/bench-$batch-$k/history.json")
    echo "batch $batch k $k: steady ${ms} ms/step, whole run ${eps} ex/s, first call ${compile}s" | tee -a "$out/bench-raw.txt"
    "$PY" - "$batch" "$k" "$ms" "$eps" "${torch_eps[*]}" >> "$out/bench.md" <<'PYEOF'
import statistics, sys
b, k, ms, eps = int(sys.argv[1]), sys.argv[2], float(sys.argv[3]), float(sys.argv[4])
t = statistics.median(float(x) for x in sys.argv[5].split())
steady = b * 1000 / ms if ms > 0 else 0
print(f"| {b} | {k} | {ms:.3f} | {steady:.0f} | {eps:.0f} | {b * 1000 / t:.3f} | {t:.0f} | {steady / t:.2f} |")
PYEOF
  done
done
cat "$out/bench.md"

# 3. The tutorial end to end on CUDA: the Elastic Net example, 5 epochs of
# 60 000 images at batch 10 (30 000 steps), evaluation and checkpoints included.
start=$SECONDS
timeout 240 .gpu/regnb train -example elastic-net -data .gpu/data -backend "$backend" \
  -out "$out/tutorial" > "$out/tutorial.log" 2> "$out/tutorial.err" || { echo "FAIL tutorial run: $(tail -3 "$out/tutorial.err")"; fail=1; }
echo "tutorial (elastic-net, 5 epochs, batch 10) end to end: $((SECONDS - start)) s wall" | tee "$out/tutorial-wall.txt"
tail -8 "$out/tutorial.log"

[ $fail = 0 ] && echo "gpu-check: PASS" || echo "gpu-check: FAIL"
exit $fail

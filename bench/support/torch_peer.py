"""The PyTorch CPU peer of bench/peer.ts (issue 17): the reference model's training step and KV-cache
sampling in eager PyTorch, from the engine's initial weights, batch and prompts.

    python3 bench/support/torch_peer.py --init DIR --threads N [--steps N] [--sample-reps N]

DIR holds params.bin and batch.json as bench/peer.ts writes them (the layout of
bench/gpu/webgpu-step.ts --write-init, plus the B x T of the batch and the sampling prompts). The model
is bench/gpu/torch_step.py's `Reference` (the engine's weight names and layout); its attention falls
back to an explicit causal mask where PyTorch lacks F.scaled_dot_product_attention (Debian's 1.13).
AdamW is plain (no fused=, no foreach=: 1.13 has neither for this use). Prints one line
`PEER_RESULT <json>`: the first steps' loss and gradient norm, the median step time, the sampling
time, the BLAS PyTorch was built against and a 1024^2 matmul rate (a reference BLAS is ~10x slower).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import sys
import time

ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
ap.add_argument("--init", required=True, help="directory with params.bin and batch.json")
ap.add_argument("--threads", type=int, required=True)
ap.add_argument("--steps", type=int, default=4, help="timed training steps (after the checked ones)")
ap.add_argument("--sample-reps", type=int, default=3, help="timed sampling runs (after one warm-up)")
args = ap.parse_args()
# Thread counts must be fixed before torch (and its BLAS) start.
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = str(args.threads)
# Debian's torch runs its elementwise ops on OpenMP threads and its matmuls on OpenBLAS's own
# pthreads. With OpenMP's default spin-wait the two pools fight over the cores: on 2 idle cores the
# 2-thread step took 450-620 ms against 200 ms with PASSIVE (and 276 ms on 1 thread), measured
# 2026-12-07 (docs/performance.md#pytorch-peer). PASSIVE is the peer's default; a value already in
# the environment is kept.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "gpu"))
from torch_step import PAD_ID, Reference, param_specs  # noqa: E402

torch.set_num_threads(args.threads)
torch.manual_seed(0)


def fail(msg: str) -> None:
    sys.exit(f"torch_peer: {msg}")


def load(directory: str):
    path = os.path.join(directory, "batch.json")
    with open(path) as f:
        manifest = json.load(f)
    flat = np.fromfile(os.path.join(directory, "params.bin"), dtype="<f4")
    if flat.size != manifest["params"]:
        fail(f"{directory}/params.bin holds {flat.size} floats, {path} field params says {manifest['params']}")
    weights, at = {}, 0
    for entry in manifest["order"]:
        n = int(np.prod(entry["shape"]))
        weights[entry["name"]] = flat[at : at + n]
        at += n
    return manifest, weights


manifest, init = load(args.init)
m = manifest["model"]
cfg = dict(
    vocabSize=m["vocabSize"],
    dModel=m["dModel"],
    nLayers=m["nLayers"],
    nHeads=m["nHeads"],
    dMlp=m["dMlp"],
    contextLength=m["contextLength"],
    initStd=m["initStd"],
    layerNormEps=m["layerNormEps"],
)
if m.get("positions") != "learned" or m.get("tokenShift"):
    fail(f"{args.init}/batch.json field model: only learned positions without token shift are modelled here")
expected = [s[0] for s in param_specs(cfg)]
if [e["name"] for e in manifest["order"]] != expected:
    fail(f"{args.init}/batch.json field order: parameter names differ from torch_step.param_specs")
B, T = manifest["batch"]["B"], manifest["batch"]["T"]
tokens = torch.tensor(manifest["batch"]["tokens"], dtype=torch.long).view(B, T)
targets = torch.tensor(manifest["batch"]["targets"], dtype=torch.long)
if int(targets[-1]) != PAD_ID:
    fail(f"{args.init}/batch.json field batch.targets: expected prediction alignment (PAD last)")
opt_cfg = manifest["optimizer"]

model = Reference(cfg, init)
n_params = sum(p.numel() for p in model.parameters())
decay = [p for p, d in zip(model.params, model.decay) if d]
no_decay = [p for p, d in zip(model.params, model.decay) if not d]
opt = torch.optim.AdamW(
    [{"params": decay, "weight_decay": opt_cfg["weightDecay"]}, {"params": no_decay, "weight_decay": 0.0}],
    lr=manifest["lr"],
    betas=(opt_cfg["beta1"], opt_cfg["beta2"]),
    eps=opt_cfg["eps"],
)


def step() -> tuple[float, float]:
    loss = model(tokens, targets)
    opt.zero_grad(set_to_none=True)
    loss.backward()
    norm = torch.nn.utils.clip_grad_norm_(model.parameters(), opt_cfg["gradClip"])
    opt.step()
    return float(loss), float(norm)


first = [step() for _ in range(max(1, len(manifest.get("engineStats", []))))]
times = []
for _ in range(args.steps):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)


@torch.inference_mode()
def sample(prompts: torch.Tensor, new_tokens: int, gen: torch.Generator) -> torch.Tensor:
    """Prefill the prompts into a per-layer K/V cache, then decode one token per row per pass
    (temperature 1, full distribution), `new_tokens` tokens for every row (no EOS stop)."""
    D, H = cfg["dModel"], cfg["nHeads"]
    dh, eps = D // H, cfg["layerNormEps"]
    R, L = prompts.shape
    cap = L + new_tokens
    kc = [torch.zeros(R, H, cap, dh) for _ in range(cfg["nLayers"])]
    vc = [torch.zeros(R, H, cap, dh) for _ in range(cfg["nLayers"])]
    p = model.p

    def forward(tok: torch.Tensor, pos: int) -> torch.Tensor:
        n = tok.shape[1]
        x = F.embedding(tok, p("wte")) + p("wpe")[pos : pos + n]
        mask = None
        if n > 1:
            mask = torch.ones(n, pos + n, dtype=torch.bool).tril(diagonal=pos).logical_not()
        for layer in range(cfg["nLayers"]):
            pre = f"blocks.{layer}"
            h = F.layer_norm(x, (D,), p(f"{pre}.ln1.g"), p(f"{pre}.ln1.b"), eps)
            qkv = h @ p(f"{pre}.wqkv") + p(f"{pre}.bqkv")
            q, k, v = (t.view(R, n, H, dh).transpose(1, 2) for t in qkv.split(D, dim=-1))
            kc[layer][:, :, pos : pos + n] = k
            vc[layer][:, :, pos : pos + n] = v
            s = (q @ kc[layer][:, :, : pos + n].transpose(-1, -2)) / math.sqrt(dh)
            if mask is not None:
                s = s.masked_fill(mask, float("-inf"))
            a = torch.softmax(s, dim=-1) @ vc[layer][:, :, : pos + n]
            x = x + a.transpose(1, 2).reshape(R, n, D) @ p(f"{pre}.wo") + p(f"{pre}.bo")
            h = F.layer_norm(x, (D,), p(f"{pre}.ln2.g"), p(f"{pre}.ln2.b"), eps)
            u = h @ p(f"{pre}.w1") + p(f"{pre}.b1")
            x = x + (u * torch.sigmoid(1.702 * u)) @ p(f"{pre}.w2") + p(f"{pre}.b2")
        x = F.layer_norm(x[:, -1], (D,), p("lnf.g"), p("lnf.b"), eps)
        return x @ p("head")

    out = torch.empty(R, new_tokens, dtype=torch.long)
    logits = forward(prompts, 0)
    for t in range(new_tokens):
        nxt = torch.multinomial(torch.softmax(logits, dim=-1), 1, generator=gen)
        out[:, t] = nxt[:, 0]
        if t + 1 < new_tokens:
            logits = forward(nxt, L + t)
    return out


sampling = manifest["sampling"]
prompts = torch.tensor(sampling["prompts"], dtype=torch.long)
new_tokens = sampling["newTokens"]
gen = torch.Generator().manual_seed(1)
out = sample(prompts, new_tokens, gen)  # warm-up (allocator, thread pool)
sample_times = []
for _ in range(args.sample_reps):
    t0 = time.perf_counter()
    out = sample(prompts, new_tokens, gen)
    sample_times.append(time.perf_counter() - t0)
if tuple(out.shape) != (prompts.shape[0], new_tokens):
    fail(f"sampled {tuple(out.shape)}, expected {(prompts.shape[0], new_tokens)}")

a, b = torch.randn(1024, 1024), torch.randn(1024, 1024)
a @ b
mm = []
for _ in range(5):
    t0 = time.perf_counter()
    a @ b
    mm.append(time.perf_counter() - t0)

# Debian's torch says BLAS_INFO=generic: libblas.so.3 resolves through update-alternatives, so the
# library actually mapped into this process is what tells OpenBLAS from the reference BLAS.
try:
    with open("/proc/self/maps") as f:
        blas = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
except OSError:
    blas = [line.strip() for line in torch.__config__.show().splitlines() if "BLAS_INFO" in line]
print(
    "PEER_RESULT "
    + json.dumps(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "blas": ", ".join(blas) if blas else "unknown",
            "ompWaitPolicy": os.environ["OMP_WAIT_POLICY"],
            "matmul1024Gflops": 2 * 1024**3 / statistics.median(mm) / 1e9,
            "params": n_params,
            "first": [{"loss": l_, "gradNorm": g} for l_, g in first],
            "stepSeconds": statistics.median(times) if times else None,
            "stepTimes": times,
            "sampleSeconds": statistics.median(sample_times) if sample_times else None,
            "sampleTimes": sample_times,
        }
    )
)

"""GPU extra (issue #7): the reference model's training step in PyTorch, to set beside jax-js on WebGPU.

The same architecture as src/model/transformer.ts with the reference configuration of
bench/engine.ts (vocab 64, d_model 128, 4 layers, 4 heads, MLP 512, context 96, learned positions,
no token shift, activation x*sigmoid(1.702x)), the same weight layout (x @ W + b, fused qkv), the same
loss (mean next-token cross-entropy over all 32 x 96 positions) and the same AdamW (betas 0.9/0.95,
eps 1e-8, decay 0.01 on matrices only, global-norm clip 1, lr 1e-4), in float32.

    python3 bench/gpu/torch_step.py [--mode eager|compile|reduce-overhead] [--init DIR] [--json FILE]

--init DIR reads params.bin and batch.json written by bench/gpu/webgpu-step.ts --write-init, so the
run starts from jax-js's initial weights and batch and its first losses and gradient norms can be
compared with jax-js's wasm backend (--check steps). Without it the weights are drawn here with the
same scheme and the batch is the same LCG stream.

Differences from the jax-js step, on purpose: attention is F.scaled_dot_product_attention (causal)
rather than an explicit masked softmax, embeddings are row lookups rather than one-hot matmuls
(both the same function), and AdamW does not skip the update on a non-finite gradient (the
jax-js step masks it on the device). Timing is what bench/gpu/webgpu-step.ts reports: "per step"
reads the step's loss and gradient norm back each time (a full sync), "pipelined" issues N steps
and synchronizes once. GFLOP/s = 6 * params * tokens / time.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import statistics
import sys
import time
from datetime import datetime, timezone

import numpy as np
import torch
import torch.nn.functional as F

REFERENCE_MODEL = dict(
    vocabSize=64, dModel=128, nLayers=4, nHeads=4, dMlp=512, contextLength=96, initStd=0.02, layerNormEps=1e-5
)
B, T = 32, 96
LR = 1e-4
BETAS = (0.9, 0.95)
EPS = 1e-8
WEIGHT_DECAY = 0.01
GRAD_CLIP = 1.0
PAD_ID = 0


def param_specs(cfg: dict) -> list[tuple[str, tuple[int, ...], str, float, bool]]:
    """(name, shape, init, std, decay) in the order of paramSpecs in src/model/transformer.ts."""
    V, D, F_, C, std = cfg["vocabSize"], cfg["dModel"], cfg["dMlp"], cfg["contextLength"], cfg["initStd"]
    res = std / math.sqrt(2 * cfg["nLayers"])
    specs = [("wte", (V, D), "normal", std, False), ("wpe", (C, D), "normal", std, False)]

    def ln(name):
        return [(f"{name}.g", (D,), "ones", 0.0, False), (f"{name}.b", (D,), "zeros", 0.0, False)]

    for layer in range(cfg["nLayers"]):
        p = f"blocks.{layer}"
        specs += ln(f"{p}.ln1") + [
            (f"{p}.wqkv", (D, 3 * D), "normal", std, True),
            (f"{p}.bqkv", (3 * D,), "zeros", 0.0, False),
            (f"{p}.wo", (D, D), "normal", res, True),
            (f"{p}.bo", (D,), "zeros", 0.0, False),
        ]
        specs += ln(f"{p}.ln2") + [
            (f"{p}.w1", (D, F_), "normal", std, True),
            (f"{p}.b1", (F_,), "zeros", 0.0, False),
            (f"{p}.w2", (F_, D), "normal", res, True),
            (f"{p}.b2", (D,), "zeros", 0.0, False),
        ]
    specs += ln("lnf") + [("head", (D, V), "normal", std, True)]
    return specs


def causal_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
    """Causal attention; an explicit masked softmax where PyTorch lacks SDPA (Debian's 1.13)."""
    if hasattr(F, "scaled_dot_product_attention"):
        return F.scaled_dot_product_attention(q, k, v, is_causal=True)
    n = q.shape[-2]
    mask = torch.ones(n, n, dtype=torch.bool, device=q.device).tril().logical_not()
    s = (q @ k.transpose(-1, -2)) / math.sqrt(q.shape[-1])
    return torch.softmax(s.masked_fill(mask, float("-inf")), dim=-1) @ v


class Reference(torch.nn.Module):
    """The jax-js transformer with its weight names and layout (weights [in, out])."""

    def __init__(self, cfg: dict, init: dict[str, np.ndarray] | None, seed: int = 1):
        super().__init__()
        self.cfg = cfg
        self.names = []
        self.decay = []
        gen = torch.Generator().manual_seed(seed)
        plist = []
        for name, shape, kind, std, decay in param_specs(cfg):
            if init is not None:
                data = torch.from_numpy(init[name].reshape(shape).copy())
            elif kind == "normal":
                data = torch.randn(shape, generator=gen) * std
            else:
                data = torch.ones(shape) if kind == "ones" else torch.zeros(shape)
            plist.append(torch.nn.Parameter(data.float()))
            self.names.append(name)
            self.decay.append(decay)
        self.params = torch.nn.ParameterList(plist)
        self.index = {n: i for i, n in enumerate(self.names)}

    def p(self, name: str) -> torch.Tensor:
        return self.params[self.index[name]]

    def forward(self, tokens: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
        cfg = self.cfg
        D, H = cfg["dModel"], cfg["nHeads"]
        dh = D // H
        eps = cfg["layerNormEps"]
        Bn, Tn = tokens.shape
        x = F.embedding(tokens, self.p("wte")) + self.p("wpe")[:Tn]
        for layer in range(cfg["nLayers"]):
            pre = f"blocks.{layer}"
            h = F.layer_norm(x, (D,), self.p(f"{pre}.ln1.g"), self.p(f"{pre}.ln1.b"), eps)
            qkv = h @ self.p(f"{pre}.wqkv") + self.p(f"{pre}.bqkv")
            q, k, v = (t.view(Bn, Tn, H, dh).transpose(1, 2) for t in qkv.split(D, dim=-1))
            att = causal_attention(q, k, v)
            att = att.transpose(1, 2).reshape(Bn, Tn, D)
            x = x + att @ self.p(f"{pre}.wo") + self.p(f"{pre}.bo")
            h = F.layer_norm(x, (D,), self.p(f"{pre}.ln2.g"), self.p(f"{pre}.ln2.b"), eps)
            m = h @ self.p(f"{pre}.w1") + self.p(f"{pre}.b1")
            m = m * torch.sigmoid(1.702 * m)
            x = x + m @ self.p(f"{pre}.w2") + self.p(f"{pre}.b2")
        x = F.layer_norm(x, (D,), self.p("lnf.g"), self.p("lnf.b"), eps)
        logits = x @ self.p("head")
        return F.cross_entropy(logits.view(-1, cfg["vocabSize"]), targets)


def lcg_batch(vocab: int) -> tuple[np.ndarray, np.ndarray]:
    """The LCG tokens of bench/engine.ts in prediction alignment: targets[t] = tokens[t + 1], PAD last."""
    toks = np.empty(B * T, dtype=np.int64)
    s = 12345
    for i in range(B * T):
        s = (s * 1664525 + 1013904223) % 2**32
        toks[i] = 2 + s % (vocab - 2)
    toks = toks.reshape(B, T)
    tgt = np.full((B, T), PAD_ID, dtype=np.int64)
    tgt[:, :-1] = toks[:, 1:]
    return toks, tgt.reshape(-1)


def load_init(directory: str) -> tuple[dict, dict[str, np.ndarray], np.ndarray, np.ndarray]:
    with open(os.path.join(directory, "batch.json")) as f:
        manifest = json.load(f)
    flat = np.fromfile(os.path.join(directory, "params.bin"), dtype="<f4")
    if flat.size != manifest["params"]:
        sys.exit(f"torch_step: {directory}/params.bin holds {flat.size} floats, batch.json says {manifest['params']}")
    weights, at = {}, 0
    for entry in manifest["order"]:
        n = int(np.prod(entry["shape"]))
        weights[entry["name"]] = flat[at : at + n]
        at += n
    batch = manifest["batch"]
    if (batch["B"], batch["T"]) != (B, T):
        sys.exit(f"torch_step: {directory}/batch.json field batch: expected {B}x{T}, got {batch['B']}x{batch['T']}")
    toks = np.asarray(batch["tokens"], dtype=np.int64).reshape(B, T)
    tgt = np.asarray(batch["targets"], dtype=np.int64)
    return manifest, weights, toks, tgt


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--mode", choices=["eager", "compile", "reduce-overhead"], default="eager")
    ap.add_argument("--init", help="directory written by webgpu-step.ts --write-init")
    ap.add_argument("--steps", type=int, default=50, help="timed steps, each synchronized")
    ap.add_argument("--pipelined", type=int, default=100, help="steps issued back to back, one sync")
    ap.add_argument("--warmup", type=int, default=5)
    ap.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    ap.add_argument("--json")
    args = ap.parse_args()

    torch.backends.cuda.matmul.allow_tf32 = False  # plain float32, as jax-js computes
    torch.backends.cudnn.allow_tf32 = False
    dev = torch.device(args.device)
    cfg = dict(REFERENCE_MODEL)
    manifest = None
    if args.init:
        manifest, init, toks, tgt = load_init(args.init)
        cfg.update({k: manifest["model"][k] for k in cfg})
    else:
        init = None
        toks, tgt = lcg_batch(cfg["vocabSize"])
    model = Reference(cfg, init).to(dev)
    n_params = sum(p.numel() for p in model.parameters())
    if manifest is not None and n_params != manifest["params"]:
        sys.exit(f"torch_step: {n_params} parameters here, jax-js has {manifest['params']}")
    flops = 6 * n_params * B * T

    decay = [p for p, d in zip(model.params, model.decay) if d]
    no_decay = [p for p, d in zip(model.params, model.decay) if not d]
    fused = dev.type == "cuda"
    opt = torch.optim.AdamW(
        [{"params": decay, "weight_decay": WEIGHT_DECAY}, {"params": no_decay, "weight_decay": 0.0}],
        lr=LR,
        betas=BETAS,
        eps=EPS,
        fused=fused,
    )
    loss_fn = model
    if args.mode != "eager":
        loss_fn = torch.compile(model, mode=None if args.mode == "compile" else "reduce-overhead")
    toks_host = torch.from_numpy(toks).int()
    tgt_host = torch.from_numpy(tgt)
    if dev.type == "cuda":
        toks_host, tgt_host = toks_host.pin_memory(), tgt_host.pin_memory()

    graphs = args.mode == "reduce-overhead"

    def step():
        if graphs:
            # Each step starts a new CUDA-graph generation: the last step's outputs are consumed.
            torch.compiler.cudagraph_mark_step_begin()
        # The batch is uploaded every step, as the jax-js step uploads its inputs.
        loss = loss_fn(toks_host.to(dev, non_blocking=True), tgt_host.to(dev, non_blocking=True))
        opt.zero_grad(set_to_none=True)
        loss.backward()
        norm = torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP, foreach=True)
        opt.step()
        return torch.stack([loss.detach(), norm.detach()])

    def sync():
        if dev.type == "cuda":
            torch.cuda.synchronize()

    result = {
        "name": f"pytorch training step ({args.mode})",
        "date": datetime.now(timezone.utc).isoformat(),
        "torch": torch.__version__,
        "python": platform.python_version(),
        "device": torch.cuda.get_device_name(dev) if dev.type == "cuda" else platform.processor() or "cpu",
        "mode": args.mode,
        "params": n_params,
        "batch": [B, T],
        "flopsPerStep": flops,
        "tf32": False,
        "fusedAdamW": fused,
        "init": "jax-js weights and batch" if args.init else "drawn here",
    }

    def save():
        if args.json:
            with open(args.json, "w") as f:
                json.dump(result, f, indent=2)
                f.write("\n")

    print(f"{result['device']}: torch {torch.__version__}, mode {args.mode}, {n_params:,} parameters")
    first = []
    for i in range(max(1, args.warmup)):
        t0 = time.perf_counter()
        stats = step().tolist()
        first.append({"ms": (time.perf_counter() - t0) * 1000, "loss": stats[0], "gradNorm": stats[1]})
    result["warmup"] = first
    print("warm-up steps (ms; the first compiles): " + ", ".join(f"{w['ms']:.1f}" for w in first))
    wasm = manifest.get("wasmStats") if manifest else None
    if wasm:
        rel = [
            max(abs(w[0] - f["loss"]) / abs(w[0]), abs(w[1] - f["gradNorm"]) / abs(w[1]))
            for w, f in zip(wasm, first)
        ]
        result["check"] = {
            "steps": len(rel),
            "wasm": [{"loss": w[0], "gradNorm": w[1]} for w in wasm],
            "torch": first[: len(rel)],
            "maxRelDiff": max(rel),
            "ok": max(rel) < 1e-4,
        }
        verdict = "match" if max(rel) < 1e-4 else "MISMATCH"
        print(f"check against jax-js wasm ({len(rel)} steps): max relative difference {max(rel):.2e} -> {verdict}")
    save()

    times = []
    for _ in range(args.steps):
        t0 = time.perf_counter()
        step().tolist()
        times.append((time.perf_counter() - t0) * 1000)
    med = statistics.median(times)
    result["perStep"] = {
        "n": args.steps,
        "medianMs": med,
        "minMs": min(times),
        "meanMs": statistics.fmean(times),
        "gflops": flops / (med / 1000) / 1e9,
    }
    print(f"per step (synced, median of {args.steps}): {med:.3f} ms -> {flops / (med / 1000) / 1e9:.1f} GFLOP/s")
    save()

    if args.pipelined > 0:
        sync()
        t0 = time.perf_counter()
        for _ in range(args.pipelined):
            out = step()
        sync()
        ms = (time.perf_counter() - t0) * 1000 / args.pipelined
        result["pipelined"] = {"n": args.pipelined, "msPerStep": ms, "gflops": flops / (ms / 1000) / 1e9}
        result["finalLoss"] = out.tolist()[0]
        print(f"pipelined ({args.pipelined} steps, one sync): {ms:.3f} ms/step -> {flops / (ms / 1000) / 1e9:.1f} GFLOP/s")
    save()
    return 0


if __name__ == "__main__":
    sys.exit(main())

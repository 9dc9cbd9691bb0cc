import type { Array as JArray } from "@jax-js/jax";
import { beforeAll, describe, expect, it } from "vitest";
import { type ModelConfig, ModelConfigSchema, OptimizerConfigSchema } from "../../src/config/model.js";
import { predictionBatch } from "../../src/model/batch.js";
import { initEngine, type Jax } from "../../src/model/engine.js";
import { adamScalars, initAdamState } from "../../src/model/optimizer.js";
import {
  type HostParams,
  initHostParams,
  type Params,
  paramSpecs,
  paramsToDevice,
  paramsToHost,
} from "../../src/model/params.js";
import { makeLossFunctions, makeStepFunctions, POLICY_SCALARS } from "../../src/model/steps.js";
import { randomSequences, TINY } from "./helpers.js";

/**
 * Gradients of the engine against central finite differences of the same loss, along a random
 * ±1 direction within each weight tensor (float32 losses, so a directional derivative is far
 * better conditioned than a single coordinate). The initial weights are scaled up (initStd 0.3)
 * so that every tensor, deep ones included, has a gradient well above float32 noise.
 */

let jx: Jax;
beforeAll(async () => {
  jx = await initEngine();
});

function perturbed(host: HostParams, name: string, dir: Float32Array, eps: number): HostParams {
  const out = new Map(host);
  const base = host.get(name)!;
  const p = new Float32Array(base.length);
  for (let i = 0; i < p.length; i++) p[i] = base[i] + eps * dir[i];
  out.set(name, p);
  return out;
}

function rademacher(n: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const d = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    d[i] = s & 0x10000 ? 1 : -1;
  }
  return d;
}

/** Checks directional derivatives of `loss(params)` for every tensor; returns the worst relative error. */
async function checkGradients(
  cfg: ModelConfig,
  host: HostParams,
  loss: (p: Params) => JArray,
): Promise<number> {
  const { valueAndGrad, jit } = jx;
  const [, grads] = valueAndGrad(loss)(paramsToDevice(cfg, host));
  const g = await paramsToHost(cfg, grads as Params);
  jx.tree.dispose(grads);
  const f = jit(loss);
  const value = async (h: HostParams) => ((await f(paramsToDevice(cfg, h)).data()) as Float32Array)[0];
  const eps = 1e-3;
  let worst = 0;
  for (const [k, spec] of paramSpecs(cfg).entries()) {
    const dir = rademacher(g.get(spec.name)!.length, 1000 + k);
    let analytic = 0;
    for (let i = 0; i < dir.length; i++) analytic += g.get(spec.name)![i] * dir[i];
    const fd =
      ((await value(perturbed(host, spec.name, dir, eps))) -
        (await value(perturbed(host, spec.name, dir, -eps)))) /
      (2 * eps);
    const err = Math.abs(fd - analytic) / Math.max(0.05, Math.abs(analytic));
    worst = Math.max(worst, err);
    expect(err, `${spec.name}: finite difference ${fd} vs gradient ${analytic}`).toBeLessThan(2e-2);
  }
  f.dispose();
  return worst;
}

function inputsFor(cfg: ModelConfig, seed: number) {
  const B = 3;
  const T = 10;
  const seqs = randomSequences(B, T, cfg.vocabSize, seed);
  const flat = Int32Array.from(seqs.flat());
  const pb = predictionBatch(flat, B, T, B, T, cfg.vocabSize);
  return { B, T, pb };
}

describe("gradients match finite differences", () => {
  for (const variant of [
    { positions: "learned", tokenShift: true },
    { positions: "rotary", tokenShift: false },
  ] as const) {
    it(`supervised loss (${variant.positions} positions, token shift ${variant.tokenShift})`, async () => {
      const cfg = ModelConfigSchema.parse({ ...TINY, ...variant, initStd: 0.3 });
      const host = initHostParams(cfg, 5);
      const { B, T, pb } = inputsFor(cfg, 3);
      const weights = new Float32Array(B * T);
      for (let b = 0; b < B; b++) for (let t = 2; t < T - 1; t++) weights[b * T + t] = 1 / (B * (T - 3));
      const { numpy: np } = jx;
      const { supervised } = makeLossFunctions(cfg);
      const loss = (p: Params) =>
        supervised(
          p,
          np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
          np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
          np.array(pb.targets, { dtype: np.int32 }),
          np.array(weights),
        );
      await checkGradients(cfg, host, loss);
    });
  }

  it("policy loss with clipping, dual clip, k3 KL and an entropy bonus", async () => {
    const cfg = ModelConfigSchema.parse({ ...TINY, initStd: 0.3 });
    const host = initHostParams(cfg, 9);
    const { B, T, pb } = inputsFor(cfg, 4);
    const { numpy: np } = jx;
    const fns = makeStepFunctions(cfg, OptimizerConfigSchema.parse({}));
    const [lpArr, entArr] = fns.logprobs(
      paramsToDevice(cfg, host),
      np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
      np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
      np.array(pb.targets, { dtype: np.int32 }),
    );
    entArr.dispose();
    const logp = (await lpArr.data()) as Float32Array;
    // log-ratio offsets: inside the clip range (±0.05, 0), outside it (±0.5), and past the dual
    // clip bound for negative advantages (1.5: ρ = 4.5 > c = 3). Far from every kink.
    const offsets = [0, 0.05, -0.05, 0.5, -0.5, 1.5];
    const mask = new Float32Array(B * T);
    const adv = new Float32Array(B * T);
    const old = new Float32Array(B * T);
    const ref = new Float32Array(B * T);
    const weights = new Float32Array(B * T);
    for (let b = 0; b < B; b++)
      for (let t = 3; t < T - 1; t++) {
        const i = b * T + t;
        mask[i] = 1;
        adv[i] = (b + t) % 2 ? 0.8 : -1.1;
        old[i] = logp[i] - offsets[(b * 7 + t) % offsets.length];
        ref[i] = logp[i] + 0.3 * Math.sin(i);
        weights[i] = 1 / (B * (T - 4)); // seq-mean-token-mean with equal row lengths
      }
    const scalars = new Float32Array(POLICY_SCALARS.count);
    scalars[POLICY_SCALARS.clipLow] = 0.2;
    scalars[POLICY_SCALARS.clipHigh] = 0.28;
    scalars[POLICY_SCALARS.dualClip] = 3;
    scalars[POLICY_SCALARS.klCoef] = 0.5;
    scalars[POLICY_SCALARS.k3] = 1;
    scalars[POLICY_SCALARS.entropyCoef] = 0.1;
    const { policy } = makeLossFunctions(cfg);
    const loss = (p: Params) => {
      const [l, stats] = policy(
        p,
        np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
        np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
        np.array(pb.targets, { dtype: np.int32 }),
        np.array(weights),
        np.array(mask),
        np.array(adv),
        np.array(old),
        np.array(ref),
        np.array(scalars),
      );
      stats.dispose();
      return l;
    };
    await checkGradients(cfg, host, loss);
  });
});

describe("AdamW inside the jitted step", () => {
  it("matches a plain TypeScript AdamW with global-norm clipping and decoupled decay, over two steps", async () => {
    const cfg = ModelConfigSchema.parse({ ...TINY, initStd: 0.3 });
    // eps 1e-3: the key bias has an exactly-zero true gradient whose float noise (~1e-9) Adam would
    // otherwise blow up to ±lr, differently in two differently fused computations.
    const optim = OptimizerConfigSchema.parse({
      beta1: 0.9,
      beta2: 0.99,
      eps: 1e-3,
      weightDecay: 0.1,
      gradClip: 0.5,
    });
    const { numpy: np, valueAndGrad } = jx;
    const { B, T, pb } = inputsFor(cfg, 8);
    const weights = new Float32Array(B * T).fill(1 / (B * T));
    const inputs = () =>
      [
        np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
        np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
        np.array(pb.targets, { dtype: np.int32 }),
        np.array(weights),
      ] as const;
    const { supervised } = makeLossFunctions(cfg);
    const fns = makeStepFunctions(cfg, optim);
    const specs = paramSpecs(cfg);
    let host = initHostParams(cfg, 2);
    let params = paramsToDevice(cfg, host);
    let state = initAdamState(cfg);
    const m = new Map(specs.map((s) => [s.name, new Float64Array(host.get(s.name)!.length)]));
    const v = new Map(specs.map((s) => [s.name, new Float64Array(host.get(s.name)!.length)]));
    const lr = 0.01;
    for (let t = 1; t <= 2; t++) {
      const [, gradsArr] = valueAndGrad(supervised)(paramsToDevice(cfg, host), ...inputs());
      const grads = await paramsToHost(cfg, gradsArr as Params);
      let sq = 0;
      for (const g of grads.values()) for (const x of g) sq += x * x;
      const norm = Math.sqrt(sq);
      const scale = Math.min(1, optim.gradClip / (norm + 1e-6));
      const expected: HostParams = new Map();
      for (const spec of specs) {
        const p = host.get(spec.name)!;
        const g = grads.get(spec.name)!;
        const mm = m.get(spec.name)!;
        const vv = v.get(spec.name)!;
        const out = new Float32Array(p.length);
        for (let i = 0; i < p.length; i++) {
          const gi = g[i] * scale;
          mm[i] = optim.beta1 * mm[i] + (1 - optim.beta1) * gi;
          vv[i] = optim.beta2 * vv[i] + (1 - optim.beta2) * gi * gi;
          const mHat = mm[i] / (1 - optim.beta1 ** t);
          const vHat = vv[i] / (1 - optim.beta2 ** t);
          let delta = mHat / (Math.sqrt(vHat) + optim.eps);
          if (spec.decay) delta += optim.weightDecay * p[i];
          out[i] = p[i] - lr * delta;
        }
        expected.set(spec.name, out);
      }
      const [p1, s1, stats] = fns.supervised(
        params,
        state,
        ...inputs(),
        np.array(new Float32Array(adamScalars(lr, t, optim))),
      );
      params = p1;
      state = s1;
      const st = (await stats.data()) as Float32Array;
      expect(st[1]).toBeCloseTo(norm, 4); // grad_norm before clipping
      expect(norm).toBeGreaterThan(optim.gradClip); // so the clip really acts
      expect(st[2]).toBe(1); // applied
      host = await paramsToHost(cfg, params);
      for (const spec of specs) {
        const got = host.get(spec.name)!;
        const want = expected.get(spec.name)!;
        let worst = 0;
        for (let i = 0; i < got.length; i++) worst = Math.max(worst, Math.abs(got[i] - want[i]));
      }
    }
  });
});

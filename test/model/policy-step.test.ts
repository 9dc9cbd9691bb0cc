import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RlConfig, RlConfigSchema } from "../../src/config/rl.js";
import { EmbeddedPolicy } from "../../src/model/embedded-policy.js";
import type { PolicyBatch, TokenBatch } from "../../src/model/policy.js";
import { policyLoss } from "../../src/rl/policy-loss.js";
import { packSequences, randomSequences, TINY } from "./helpers.js";

/**
 * The engine's policy loss against the plain-TypeScript reference of rl/policy-loss.ts on the same
 * inputs: the engine's own log-probs and entropies, with old/reference log-probs offset so that
 * clipping, the dual clip and the KL all act. lr = 0 keeps the weights fixed across configurations.
 */

let policy: EmbeddedPolicy;
let batch: TokenBatch;
let logp: Float32Array;
let entropy: Float32Array;
const promptLen = [3, 5, 2, 4, 3];

beforeAll(async () => {
  policy = await EmbeddedPolicy.create({ ...TINY, initStd: 0.2 }, 21);
  // Five rows of different response lengths (9..12 tokens), right-padded to 12.
  const seqs = randomSequences(5, 12, 12, 5).map((s, i) => s.slice(0, 12 - (i % 4)));
  batch = packSequences(seqs, 12);
  ({ logprobs: logp, entropy } = await policy.logprobsAndEntropy(batch));
});
afterAll(() => policy.dispose());

function policyBatch(): PolicyBatch {
  const { batchSize, seqLen } = batch;
  const n = batchSize * seqLen;
  const responseMask = new Float32Array(n);
  const advantages = new Float32Array(n);
  const oldLogprobs = new Float32Array(n);
  const refLogprobs = new Float32Array(n);
  const offsets = [0, 0.1, -0.1, 0.6, -0.6, 1.6, -0.3];
  for (let b = 0; b < batchSize; b++) {
    const len = 12 - (b % 4);
    const adv = [1.2, -0.7, 0.4, -1.5, 0.9][b];
    for (let t = promptLen[b]; t < len; t++) {
      const i = b * seqLen + t;
      responseMask[i] = 1;
      advantages[i] = adv;
      oldLogprobs[i] = logp[i] - offsets[(b * 5 + t) % offsets.length];
      refLogprobs[i] = logp[i] + 0.4 * Math.cos(i);
    }
  }
  return { ...batch, responseMask, advantages, oldLogprobs, refLogprobs };
}

const cases: Partial<RlConfig>[] = [
  {},
  { aggregation: "seq-mean-token-mean", klEstimator: "k1", klCoef: 0.1 },
  { aggregation: "seq-mean-token-sum-norm", klEstimator: "k2", klCoef: 0.05, dualClip: 3 },
  { aggregation: "seq-mean-token-sum-norm", lossNormLength: 9 },
  { clipLow: 0.2, clipHigh: 0.28, dualClip: 3, klEstimator: "k3", klCoef: 0.2, entropyCoef: 0.01 },
  { klPlacement: "none", entropyCoef: 0.05 },
  { klPlacement: "reward", klCoef: 0.1 },
];

describe("policy step vs the TypeScript reference (rl/policy-loss)", () => {
  for (const c of cases) {
    it(`agrees for ${JSON.stringify(c)}`, async () => {
      const cfg = RlConfigSchema.parse(c);
      const pb = policyBatch();
      const want = policyLoss(
        {
          batchSize: pb.batchSize,
          seqLen: pb.seqLen,
          logprobs: logp,
          oldLogprobs: pb.oldLogprobs,
          advantages: pb.advantages,
          mask: pb.responseMask,
          refLogprobs: pb.refLogprobs,
          entropy,
        },
        cfg,
      );
      const got = await policy.step(pb, cfg, 0);
      expect(got.skipped).toBe(false);
      const close = (a: number, b: number, what: string) =>
        expect(Math.abs(a - b), `${what}: engine ${a} vs reference ${b}`).toBeLessThan(
          1e-5 + 1e-5 * Math.abs(b),
        );
      close(got["actor/pg_loss"], want.stats["actor/pg_loss"], "pg_loss");
      close(got["actor/pg_clipfrac"], want.stats["actor/pg_clipfrac"], "pg_clipfrac");
      close(got["actor/pg_clipfrac_lower"], want.stats["actor/pg_clipfrac_lower"], "pg_clipfrac_lower");
      close(got["actor/ppo_kl"], want.stats["actor/ppo_kl"], "ppo_kl");
      close(got["actor/entropy"], want.stats["actor/entropy"], "entropy");
      close(got["actor/kl_loss"], want.stats["actor/kl_loss"], "kl_loss");
      close(got["actor/loss"], want.loss, "loss");
      expect(got["actor/lr"]).toBe(0);
      // The offsets make clipping act on some tokens (and not on all).
      expect(got["actor/pg_clipfrac"]).toBeGreaterThan(0);
      expect(got["actor/pg_clipfrac"]).toBeLessThan(1);
      if (cfg.dualClip !== null) expect(got["actor/pg_clipfrac_lower"]).toBeGreaterThan(0);
    });
  }

  it("uses the frozen reference when the KL is in the loss and the batch has no refLogprobs", async () => {
    const cfg = RlConfigSchema.parse({ klCoef: 0.3 });
    const pb = policyBatch();
    pb.refLogprobs = undefined;
    await expect(policy.step(pb, cfg, 0)).rejects.toThrow(/reference/);
    policy.snapshotReference();
    const got = await policy.step(pb, cfg, 0);
    // Reference = current weights, so k3 is exactly its value at logp = ref: 0.
    expect(Math.abs(got["actor/kl_loss"])).toBeLessThan(1e-7);
    policy.clearReference();
  });
});

describe("non-finite updates", () => {
  it("skips the update when an advantage is NaN and leaves weights and step count unchanged", async () => {
    const p = await EmbeddedPolicy.create(TINY, 4);
    try {
      const pb = policyBatch();
      const before = await p.hostParams();
      pb.advantages[pb.seqLen * 2 + 5] = Number.NaN;
      const stats = await p.step(pb, RlConfigSchema.parse({}), 0.1);
      expect(stats.skipped).toBe(true);
      expect(p.updates).toBe(0);
      const after = await p.hostParams();
      for (const [name, data] of before) expect(after.get(name)).toEqual(data);
      // The next finite step is applied and changes the weights.
      pb.advantages[pb.seqLen * 2 + 5] = 0.5;
      const ok = await p.step(pb, RlConfigSchema.parse({}), 0.1);
      expect(ok.skipped).toBe(false);
      expect(p.updates).toBe(1);
      expect((await p.hostParams()).get("head")).not.toEqual(before.get("head"));
    } finally {
      p.dispose();
    }
  });
});

describe("reproducibility", () => {
  it("a fixed seed gives identical initial weights, samples and training", async () => {
    const run = async (seed: number) => {
      const p = await EmbeddedPolicy.create(TINY, seed);
      const init = await p.hostParams();
      const lossMask = new Float32Array(batch.tokens.length).fill(1);
      await p.supervisedStep({ ...batch, lossMask }, 1e-2);
      const pb = policyBatch();
      await p.step(pb, RlConfigSchema.parse({ klPlacement: "none" }), 1e-2);
      const sample = await p.sample(
        [
          [2, 3],
          [4, 5, 6],
        ],
        { maxNewTokens: 6, temperature: 1, topP: 0.9, seed: 9 },
      );
      const trained = await p.hostParams();
      p.dispose();
      return { init, trained, sample };
    };
    const a = await run(33);
    const b = await run(33);
    const c = await run(34);
    for (const [name, data] of a.init) expect(b.init.get(name)).toEqual(data);
    for (const [name, data] of a.trained) expect(b.trained.get(name)).toEqual(data);
    expect(b.sample).toEqual(a.sample);
    expect(c.init.get("wte")).not.toEqual(a.init.get("wte"));
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  aggregate,
  k1,
  k1Grad,
  k2,
  k2Grad,
  k3,
  k3Grad,
  klEstimators,
  type PolicyLossConfig,
  policyLoss,
  ppoClipTokenLoss,
  tokenKl,
} from "../../src/rl/index.js";

const sym = { clipLow: 0.2, clipHigh: 0.2, dualClip: null };
const higher = { clipLow: 0.2, clipHigh: 0.28, dualClip: null };
const dual = { clipLow: 0.2, clipHigh: 0.28, dualClip: 3 };

describe("PPO clipped loss per token (docs/method.md#policy-loss)", () => {
  it("clips a positive advantage above 1 + eps_high", () => {
    // A = 1, rho = 1.5: -1.5 vs -1.28 → max = -1.28, clipped, gradient 0.
    const r = ppoClipTokenLoss(Math.log(1.5), 0, 1, higher);
    expect(r.loss).toBeCloseTo(-1.28, 12);
    expect(r.clipped).toBe(true);
    expect(r.grad).toBe(0);
  });
  it("leaves a ratio inside the trust region alone", () => {
    // A = 1, rho = 1.1: both branches -1.1; gradient d(-A·rho)/dlogp = -1.1.
    const r = ppoClipTokenLoss(Math.log(1.1), 0, 1, higher);
    expect(r.loss).toBeCloseTo(-1.1, 12);
    expect(r.clipped).toBe(false);
    expect(r.grad).toBeCloseTo(-1.1, 12);
  });
  it("clip-higher: rho = 1.25 is clipped at 0.2 but not at 0.28", () => {
    // A = 1: symmetric → max(-1.25, -1.2) = -1.2 (clipped); higher → max(-1.25, -1.25) = -1.25.
    expect(ppoClipTokenLoss(Math.log(1.25), 0, 1, sym).loss).toBeCloseTo(-1.2, 12);
    expect(ppoClipTokenLoss(Math.log(1.25), 0, 1, sym).clipped).toBe(true);
    expect(ppoClipTokenLoss(Math.log(1.25), 0, 1, higher).loss).toBeCloseTo(-1.25, 12);
    expect(ppoClipTokenLoss(Math.log(1.25), 0, 1, higher).clipped).toBe(false);
  });
  it("takes the pessimistic branch for a negative advantage below 1 - eps_low", () => {
    // A = -1, rho = 0.5: 0.5 vs 0.8 → 0.8, clipped.
    const r = ppoClipTokenLoss(Math.log(0.5), 0, -1, higher);
    expect(r.loss).toBeCloseTo(0.8, 12);
    expect(r.clipped).toBe(true);
    expect(r.grad).toBe(0);
  });
  it("does not clip a positive advantage below 1 - eps_low", () => {
    // A = 1, rho = 0.5: -0.5 vs -0.8 → -0.5 unclipped, gradient -0.5.
    const r = ppoClipTokenLoss(Math.log(0.5), 0, 1, higher);
    expect(r.loss).toBeCloseTo(-0.5, 12);
    expect(r.grad).toBeCloseTo(-0.5, 12);
  });
  it("dual clip bounds the loss of a negative advantage at -c·A", () => {
    // A = -1, rho = 5: max(5, 1.28) = 5; with c = 3 → min(5, 3) = 3 (dual clipped, gradient 0).
    const plain = ppoClipTokenLoss(Math.log(5), 0, -1, higher);
    expect(plain.loss).toBeCloseTo(5, 12);
    expect(plain.grad).toBeCloseTo(5, 12);
    const d = ppoClipTokenLoss(Math.log(5), 0, -1, dual);
    expect(d.loss).toBeCloseTo(3, 12);
    expect(d.dualClipped).toBe(true);
    expect(d.grad).toBe(0);
    // A = -1, rho = 1.5: max(1.5, 1.28) = 1.5 < 3 → dual clip does not bind.
    expect(ppoClipTokenLoss(Math.log(1.5), 0, -1, dual).loss).toBeCloseTo(1.5, 12);
    // Positive advantages are never dual clipped: A = 1, rho = 5 → -1.28.
    expect(ppoClipTokenLoss(Math.log(5), 0, 1, dual).dualClipped).toBe(false);
  });
  it("clamps the log-ratio to ±20", () => {
    // logp - old = 25 → rho = e^20 = 4.85165e8; A = -1 → loss e^20, gradient 0 (clamp holds it).
    const r = ppoClipTokenLoss(25, 0, -1, higher);
    expect(r.loss).toBeCloseTo(Math.exp(20), 0);
    expect(r.grad).toBe(0);
    expect(r.logRatio).toBe(20);
    expect(ppoClipTokenLoss(-30, 0, 1, higher).logRatio).toBe(-20);
  });
});

describe("KL estimators (docs/method.md#policy-loss)", () => {
  it("k1, k2, k3 by hand", () => {
    // logp = -1, ref = -2: k1 = 1, k2 = 0.5, k3 = e^-1 + 1 - 1 = 0.3678794.
    expect(k1(-1, -2)).toBe(1);
    expect(k2(-1, -2)).toBe(0.5);
    expect(k3(-1, -2)).toBeCloseTo(0.3678794, 7);
    // logp = -2, ref = -1: k1 = -1, k2 = 0.5, k3 = e - 1 - 1 = 0.7182818.
    expect(k1(-2, -1)).toBe(-1);
    expect(k2(-2, -1)).toBe(0.5);
    expect(k3(-2, -1)).toBeCloseTo(0.7182818, 7);
    expect(k3(-3, -3)).toBe(0);
  });
  it("k3 clamps at 10 on both sides of the log-ratio", () => {
    // ref - logp = 15: e^15 - 16 = 3.27e6 → 10. ref - logp = -12: e^-12 + 11 = 11.000006 → 10.
    expect(k3(-20, -5)).toBe(10);
    expect(k3(0, -12)).toBe(10);
    // ref - logp = -9: e^-9 + 8 = 8.000123 (below the clamp).
    expect(k3(0, -9)).toBeCloseTo(8.0001234, 6);
    expect(k3(0, -1000)).toBe(10);
    expect(k3(-1000, 0)).toBe(10);
    expect(k3(Number.NEGATIVE_INFINITY, 0)).toBe(10);
  });
  it("derivatives with respect to logp", () => {
    // dk3/dlogp = 1 - e^(ref - logp): logp = -1, ref = -2 → 1 - e^-1 = 0.6321206; 0 where clamped.
    expect(k1Grad(-1, -2)).toBe(1);
    expect(k2Grad(-1, -2)).toBe(1);
    expect(k3Grad(-1, -2)).toBeCloseTo(0.6321206, 7);
    expect(k3Grad(0, -12)).toBe(0);
  });
  it("k3 lies in [0, 10] and its gradient matches finite differences", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -30, max: 0, noNaN: true }),
        fc.double({ min: -30, max: 0, noNaN: true }),
        (lp, ref) => {
          const v = k3(lp, ref);
          expect(v).toBeGreaterThanOrEqual(0);
          expect(v).toBeLessThanOrEqual(10);
          fc.pre(Math.abs(v - 10) > 1e-3);
          for (const est of Object.values(klEstimators)) {
            const h = 1e-5;
            const fd = (est.value(lp + h, ref) - est.value(lp - h, ref)) / (2 * h);
            expect(est.grad(lp, ref)).toBeCloseTo(fd, 3);
          }
        },
      ),
    );
  });
  it("tokenKl zeroes masked positions", () => {
    const kl = tokenKl("k1", [-1, -1, -1], [-2, -3, -4], [1, 0, 1]);
    expect(Array.from(kl)).toEqual([1, 0, 3]);
  });
});

describe("aggregations (docs/method.md#policy-loss)", () => {
  // Rows of lengths 2 and 1 (T = 3), a padding row of length 0; masked values (100) must be ignored.
  const shape = { batchSize: 3, seqLen: 3 };
  const mask = [1, 1, 0, 1, 0, 0, 0, 0, 0];
  const values = [1, 2, 100, 4, 100, 100, 100, 100, 100];
  it("token-mean: (1 + 2 + 4)/3", () => {
    expect(aggregate("token-mean", values, mask, shape)).toBeCloseTo(7 / 3, 12);
  });
  it("seq-mean-token-mean: ((1 + 2)/2 + 4)/2 over non-empty rows", () => {
    expect(aggregate("seq-mean-token-mean", values, mask, shape)).toBeCloseTo(2.75, 12);
  });
  it("seq-mean-token-sum-norm: ((1 + 2) + 4)/(2 rows · T = 3), or · normLength", () => {
    expect(aggregate("seq-mean-token-sum-norm", values, mask, shape)).toBeCloseTo(7 / 6, 12);
    expect(aggregate("seq-mean-token-sum-norm", values, mask, shape, { normLength: 10 })).toBeCloseTo(
      0.35,
      12,
    );
  });
  it("an all-masked batch aggregates to 0", () => {
    for (const mode of ["token-mean", "seq-mean-token-mean", "seq-mean-token-sum-norm"] as const)
      expect(aggregate(mode, values, new Array(9).fill(0), shape)).toBe(0);
  });
});

const baseCfg: PolicyLossConfig = {
  clipLow: 0.2,
  clipHigh: 0.2,
  dualClip: null,
  aggregation: "token-mean",
  klPlacement: "none",
  klEstimator: "k1",
  klCoef: 0,
  entropyCoef: 0,
};

describe("policyLoss (docs/method.md#policy-loss)", () => {
  // One row, two tokens: rho = 1.1 (inside), rho = 1.5 (clipped at 1.2), A = 1 on both.
  const input = {
    batchSize: 1,
    seqLen: 2,
    logprobs: [Math.log(1.1), Math.log(1.5)],
    oldLogprobs: [0, 0],
    advantages: [1, 1],
    mask: [1, 1],
    refLogprobs: [0, 0],
  };
  it("computes pg_loss, clipfrac and ppo_kl", () => {
    // Token losses -1.1 and -1.2 → token-mean -1.15; clipfrac 1/2;
    // ppo_kl = mean(old - logp) = -(ln 1.1 + ln 1.5)/2 = -0.2503876. Gradient [-1.1/2, 0].
    const r = policyLoss(input, baseCfg);
    expect(r.loss).toBeCloseTo(-1.15, 12);
    expect(r.stats["actor/pg_loss"]).toBeCloseTo(-1.15, 12);
    expect(r.stats["actor/pg_clipfrac"]).toBe(0.5);
    expect(r.stats["actor/ppo_kl"]).toBeCloseTo(-0.2503876, 7);
    expect(r.stats["actor/kl_loss"]).toBe(0);
    expect(Number.isNaN(r.stats["actor/entropy"])).toBe(true);
    expect(r.gradLogprobs[0]).toBeCloseTo(-0.55, 12);
    expect(r.gradLogprobs[1]).toBe(0);
  });
  it("adds klCoef·kl_loss when the KL is in the loss", () => {
    // k1 = logp - ref = [ln 1.1, ln 1.5], token-mean 0.2503876; total = -1.15 + 0.1·0.2503876 = -1.1249612.
    // Gradient adds 0.1 · 1/2 · dk1/dlogp = 0.05 per token → [-0.5, 0.05].
    const r = policyLoss(input, { ...baseCfg, klPlacement: "loss", klCoef: 0.1 });
    expect(r.stats["actor/kl_loss"]).toBeCloseTo(0.2503876, 7);
    expect(r.loss).toBeCloseTo(-1.1249612, 7);
    expect(r.gradLogprobs[0]).toBeCloseTo(-0.5, 12);
    expect(r.gradLogprobs[1]).toBeCloseTo(0.05, 12);
  });
  it("subtracts entropyCoef·entropy", () => {
    // Entropy [1, 3] → 2; total = -1.15 - 0.01·2 = -1.17.
    const r = policyLoss({ ...input, entropy: [1, 3] }, { ...baseCfg, entropyCoef: 0.01 });
    expect(r.stats["actor/entropy"]).toBeCloseTo(2, 12);
    expect(r.loss).toBeCloseTo(-1.17, 12);
  });
  it("reports the dual-clip fraction", () => {
    // A = -1 on both; rho 1.1 → 1.1, rho 5 → min(5, 3) = 3: pg_loss 2.05, clipfrac_lower 1/2.
    const r = policyLoss(
      { ...input, logprobs: [Math.log(1.1), Math.log(5)], advantages: [-1, -1] },
      { ...baseCfg, dualClip: 3 },
    );
    expect(r.stats["actor/pg_loss"]).toBeCloseTo(2.05, 12);
    expect(r.stats["actor/pg_clipfrac_lower"]).toBe(0.5);
  });
  it("requires refLogprobs for a KL in the loss and entropy for an entropy bonus", () => {
    const { refLogprobs: _, ...noRef } = input;
    expect(() => policyLoss(noRef, { ...baseCfg, klPlacement: "loss", klCoef: 0.1 })).toThrow(/refLogprobs/);
    expect(() => policyLoss(input, { ...baseCfg, entropyCoef: 0.1 })).toThrow(/entropy/);
    expect(() => policyLoss({ ...input, mask: [1] }, baseCfg)).toThrow(/mask/);
  });

  it("gradLogprobs matches finite differences of the total loss (every aggregation and KL)", () => {
    const modes = ["token-mean", "seq-mean-token-mean", "seq-mean-token-sum-norm"] as const;
    const kls = ["k1", "k2", "k3"] as const;
    const B = 3;
    const T = 4;
    const arb = fc.record({
      logprobs: fc.array(fc.double({ min: -3, max: -0.01, noNaN: true }), {
        minLength: B * T,
        maxLength: B * T,
      }),
      delta: fc.array(fc.double({ min: -0.6, max: 0.6, noNaN: true }), {
        minLength: B * T,
        maxLength: B * T,
      }),
      ref: fc.array(fc.double({ min: -3, max: -0.01, noNaN: true }), { minLength: B * T, maxLength: B * T }),
      adv: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), { minLength: B * T, maxLength: B * T }),
      lengths: fc.array(fc.integer({ min: 0, max: T }), { minLength: B, maxLength: B }),
      mode: fc.constantFrom(...modes),
      kl: fc.constantFrom(...kls),
    });
    fc.assert(
      fc.property(arb, ({ logprobs, delta, ref, adv, lengths, mode, kl }) => {
        const mask = new Array(B * T).fill(0);
        lengths.forEach((len, b) => {
          mask.fill(1, b * T, b * T + len);
        });
        const old = logprobs.map((lp, i) => lp - delta[i]);
        // Stay away from the kinks of the clip, where the one-sided derivatives differ.
        for (const d of delta)
          fc.pre(Math.abs(Math.exp(d) - 0.8) > 1e-3 && Math.abs(Math.exp(d) - 1.28) > 1e-3);
        const cfg = {
          ...baseCfg,
          clipHigh: 0.28,
          aggregation: mode,
          klPlacement: "loss" as const,
          klCoef: 0.3,
          klEstimator: kl,
        };
        const at = (lp: number[]) =>
          policyLoss(
            {
              batchSize: B,
              seqLen: T,
              logprobs: lp,
              oldLogprobs: old,
              advantages: adv,
              mask,
              refLogprobs: ref,
            },
            cfg,
          );
        const g = at(logprobs).gradLogprobs;
        const h = 1e-6;
        for (let i = 0; i < B * T; i++) {
          const up = logprobs.slice();
          const dn = logprobs.slice();
          up[i] += h;
          dn[i] -= h;
          const fd = (at(up).loss - at(dn).loss) / (2 * h);
          expect(g[i]).toBeCloseTo(fd, 5);
        }
      }),
      { numRuns: 60 },
    );
  });
});

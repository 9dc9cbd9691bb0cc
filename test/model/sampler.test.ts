import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EmbeddedPolicy } from "../../src/model/embedded-policy.js";
import { sampleToken } from "../../src/model/sampler.js";
import { EOS_ID } from "../../src/model/tokenizer.js";
import type { Rng } from "../../src/util/rng.js";
import { packSequences, TINY } from "./helpers.js";

const fixedRng = (u: number) => ({ next: () => u }) as unknown as Rng;

describe("sampleToken", () => {
  const logp = [0.5, 0.3, 0.15, 0.05].map(Math.log);

  it("is the argmax at temperature 0 (lowest id on ties)", () => {
    expect(sampleToken(logp, 0, 1, fixedRng(0.99))).toBe(0);
    expect(sampleToken([-1, -0.5, -0.5], 0, 1, fixedRng(0))).toBe(1);
  });

  it("inverts the cumulative distribution at temperature 1", () => {
    // cumulative 0.5, 0.8, 0.95, 1.0
    expect(sampleToken(logp, 1, 1, fixedRng(0.49))).toBe(0);
    expect(sampleToken(logp, 1, 1, fixedRng(0.51))).toBe(1);
    expect(sampleToken(logp, 1, 1, fixedRng(0.9))).toBe(2);
    expect(sampleToken(logp, 1, 1, fixedRng(0.97))).toBe(3);
  });

  it("keeps the smallest nucleus reaching top-p and renormalizes it", () => {
    // top-p 0.7 keeps {0, 1} (0.5 < 0.7 ≤ 0.8): renormalized 0.625, 0.375.
    expect(sampleToken(logp, 1, 0.7, fixedRng(0.62))).toBe(0);
    expect(sampleToken(logp, 1, 0.7, fixedRng(0.63))).toBe(1);
    expect(sampleToken(logp, 1, 0.7, fixedRng(0.999))).toBe(1);
  });

  it("flattens the distribution with temperature 2", () => {
    // p^(1/2) ∝ 0.7071, 0.5477, 0.3873, 0.2236 (sum 1.8657): cumulative 0.379, 0.673, 0.880, 1.
    expect(sampleToken(logp, 2, 1, fixedRng(0.37))).toBe(0);
    expect(sampleToken(logp, 2, 1, fixedRng(0.39))).toBe(1);
    expect(sampleToken(logp, 2, 1, fixedRng(0.87))).toBe(2);
    expect(sampleToken(logp, 2, 1, fixedRng(0.89))).toBe(3);
  });
});

describe("KV-cache sampler", () => {
  const variants = [
    { positions: "learned", tokenShift: true },
    { positions: "rotary", tokenShift: false },
    { positions: "rotary", tokenShift: true },
  ] as const;
  const policies: EmbeddedPolicy[] = [];
  beforeAll(async () => {
    for (const [i, v] of variants.entries())
      policies.push(await EmbeddedPolicy.create({ ...TINY, ...v, initStd: 0.3 }, 100 + i));
  });
  afterAll(() => {
    for (const p of policies) p.dispose();
  });

  for (const [i, v] of variants.entries()) {
    it(`log-probs equal the full-sequence logprobs (${v.positions}, shift ${v.tokenShift})`, async () => {
      const p = policies[i];
      // 11 prompts of lengths 1..6 (rows are padded to a bucket of 16).
      const prompts = Array.from({ length: 11 }, (_, k) =>
        Array.from({ length: 1 + (k % 6) }, (_, j) => 2 + ((k * 3 + j * 5) % 10)),
      );
      const s = await p.sample(prompts, { maxNewTokens: 10, temperature: 1, topP: 1, seed: 5 });
      const seqs = prompts.map((q, b) => [...q, ...s.tokens[b]]);
      const batch = packSequences(seqs);
      const lp = await p.logprobs(batch);
      let worst = 0;
      let count = 0;
      prompts.forEach((q, b) => {
        expect(s.logprobs[b].length).toBe(s.tokens[b].length);
        expect(s.eosProbs[b].length).toBe(s.tokens[b].length);
        s.tokens[b].forEach((tok, j) => {
          worst = Math.max(worst, Math.abs(s.logprobs[b][j] - lp[b * batch.seqLen + q.length + j]));
          count++;
          const pe = s.eosProbs[b][j];
          expect(pe).toBeGreaterThan(0);
          expect(pe).toBeLessThan(1);
          if (tok === EOS_ID) expect(Math.abs(Math.log(pe) - s.logprobs[b][j])).toBeLessThan(1e-5);
        });
      });
      expect(count).toBeGreaterThan(30);
      expect(worst).toBeLessThan(1e-4);
    });
  }

  it("stops each row at EOS, caps at maxNewTokens, and is reproducible from the seed", async () => {
    const p = policies[0];
    const prompts = Array.from({ length: 20 }, (_, k) => [2 + (k % 10), 3]);
    const opts = { maxNewTokens: 7, temperature: 1.5, topP: 1, seed: 42 };
    const a = await p.sample(prompts, opts);
    const b = await p.sample(prompts, opts);
    expect(b).toEqual(a);
    const c = await p.sample(prompts, { ...opts, seed: 43 });
    expect(c.tokens).not.toEqual(a.tokens);
    for (const [r, toks] of a.tokens.entries()) {
      expect(toks.length).toBeLessThanOrEqual(7);
      const eosAt = toks.indexOf(EOS_ID);
      if (a.finished[r]) expect(eosAt).toBe(toks.length - 1);
      else {
        expect(eosAt).toBe(-1);
        expect(toks.length).toBe(7);
      }
    }
  });

  it("greedily reproduces sequences learned by supervised steps, stopping at EOS", async () => {
    const p = await EmbeddedPolicy.create({ ...TINY, dModel: 32, dMlp: 64 }, 7);
    try {
      // Two continuations keyed by the first token: 2 → 4 6 8 EOS, 3 → 5 7 EOS.
      const seqs = [
        [2, 9, 4, 6, 8, EOS_ID],
        [3, 9, 5, 7, EOS_ID],
      ];
      const batch = packSequences(seqs, 6);
      const lossMask = new Float32Array(12);
      for (let t = 2; t < 6; t++) lossMask[t] = 1;
      for (let t = 2; t < 5; t++) lossMask[6 + t] = 1;
      let last = Infinity;
      for (let i = 0; i < 150 && last > 0.01; i++)
        last = (await p.supervisedStep({ ...batch, lossMask }, 1e-2)).loss;
      expect(last).toBeLessThan(0.01);
      const s = await p.sample(
        [
          [2, 9],
          [3, 9],
        ],
        { maxNewTokens: 10, temperature: 0, topP: 1, seed: 0 },
      );
      expect(s.tokens).toEqual([
        [4, 6, 8, EOS_ID],
        [5, 7, EOS_ID],
      ]);
      expect(s.finished).toEqual([true, true]);
      expect(s.eosProbs[1][2]).toBeGreaterThan(0.9);
    } finally {
      p.dispose();
    }
  });

  it("gives the one-pass result when the rows run in several passes (sampling and log-probs)", async () => {
    // Same weights (same seed) in one pass of 64 rows and in passes of 5 rows (each padded to 8).
    const one = await EmbeddedPolicy.create({ ...TINY, initStd: 0.3 }, 11);
    const split = await EmbeddedPolicy.create({ ...TINY, initStd: 0.3 }, 11, { rowsPerPass: 5 });
    try {
      const prompts = Array.from({ length: 21 }, (_, k) =>
        Array.from({ length: 1 + ((k * 7) % 9) }, (_, j) => 2 + ((k * 5 + j * 3) % 10)),
      );
      for (const temperature of [0, 1.5]) {
        const opts = { maxNewTokens: 10, temperature, topP: 0.9, seed: 9 };
        const a = await one.sample(prompts, opts);
        const b = await split.sample(prompts, opts);
        expect(b).toEqual(a);
        if (temperature > 0) {
          // Rows end at different steps, so some passes finish before others.
          const lengths = new Set(a.tokens.map((t) => t.length));
          expect(lengths.size).toBeGreaterThan(2);
          const batch = packSequences(prompts.map((q, r) => [...q, ...a.tokens[r]]));
          expect(await split.logprobsAndEntropy(batch)).toEqual(await one.logprobsAndEntropy(batch));
        }
      }
    } finally {
      one.dispose();
      split.dispose();
    }
  });

  it("rejects prompts that leave no room in the context", async () => {
    await expect(
      policies[0].sample([new Array(24).fill(2)], { maxNewTokens: 1, temperature: 0, topP: 1, seed: 0 }),
    ).rejects.toThrow(/context length 24/);
  });
});

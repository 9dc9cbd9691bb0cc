import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ModelConfigInput, ModelConfigSchema } from "../../src/config/model.js";
import { initEngine, jax } from "../../src/model/engine.js";
import { initHostParams, type Params, paramsToDevice } from "../../src/model/params.js";
import { CACHE_STAGE, cacheStage, Sampler } from "../../src/model/sampler.js";
import { EOS_ID } from "../../src/model/tokenizer.js";
import { randomSequences, TINY } from "./helpers.js";

describe("cacheStage", () => {
  it("is the fewest slots ≥ need that differ from the final size by a multiple of the stage", () => {
    for (const slots of [16, 24, 30, 48, 62, 96]) {
      for (let need = 1; need <= slots + 5; need++) {
        const c = cacheStage(need, slots);
        expect(c).toBeLessThanOrEqual(slots);
        expect(c).toBeGreaterThanOrEqual(Math.min(need, slots));
        expect((slots - c) % CACHE_STAGE).toBe(0);
        expect(c - CACHE_STAGE).toBeLessThan(need);
      }
    }
    expect(cacheStage(16, 62)).toBe(30);
    expect(cacheStage(31, 62)).toBe(46);
    expect(cacheStage(47, 62)).toBe(62);
    expect(CACHE_STAGE % 4).toBe(0);
  });
});

/**
 * The grown cache must give exactly what a full-size cache gives: same tokens, and log-probs and
 * π(EOS) equal to the last bit (the softmax's 4-lane sums see the same terms in the same order).
 */
describe("decoding with a growing cache", () => {
  const cases: { name: string; model: ModelConfigInput; promptLen: [number, number]; maxNew: number }[] = [
    // slots 62 (not a multiple of 4): the cache grows 30 → 46 → 62.
    { name: "learned, context 62", model: { ...TINY, contextLength: 62 }, promptLen: [1, 9], maxNew: 45 },
    {
      name: "rotary, no shift, context 40",
      model: { ...TINY, contextLength: 40, positions: "rotary", tokenShift: false },
      promptLen: [2, 7],
      maxNew: 30,
    },
    // Prompts past the first bucket: P = 32, the cache starts at 32 of 48.
    {
      name: "long prompts, context 48",
      model: { ...TINY, contextLength: 48 },
      promptLen: [17, 20],
      maxNew: 25,
    },
  ];
  const made: { sampler: Sampler; reference: Sampler; params: Params }[] = [];
  beforeAll(async () => {
    await initEngine();
    for (const [i, c] of cases.entries()) {
      const model = ModelConfigSchema.parse({ ...c.model, initStd: 0.3 });
      const host = initHostParams(model, 40 + i);
      // lnf.b[0] = 10 and head[0, EOS] = −10 lower every EOS logit by 100: rows run to the cap.
      host.get("lnf.b")![0] = 10;
      host.get("head")![EOS_ID] = -10;
      made.push({
        sampler: new Sampler(model),
        reference: new Sampler(model, undefined, undefined, false),
        params: paramsToDevice(model, host),
      });
    }
  });
  afterAll(() => {
    for (const m of made) {
      m.sampler.dispose();
      m.reference.dispose();
      jax().tree.dispose(m.params);
    }
  });

  for (const [i, c] of cases.entries()) {
    it(`is bit-identical to a full-size cache (${c.name})`, async () => {
      const { sampler, reference, params } = made[i];
      const vocab = TINY.vocabSize ?? 12;
      const [lo, hi] = c.promptLen;
      const prompts = randomSequences(11, hi, vocab, 7 + i).map((p, j) =>
        p.slice(0, lo + (j % (hi - lo + 1))),
      );
      for (const opts of [
        { maxNewTokens: c.maxNew, temperature: 1, topP: 1, seed: 3 },
        { maxNewTokens: c.maxNew, temperature: 0.8, topP: 0.9, seed: 4 },
      ]) {
        const a = await sampler.sample(params, prompts, opts);
        const b = await reference.sample(params, prompts, opts);
        expect(a.tokens).toEqual(b.tokens);
        expect(a.finished).toEqual(b.finished);
        // Every row runs to the cap, past several flushes: the cache grew.
        for (const t of a.tokens) expect(t.length).toBe(c.maxNew);
        for (let r = 0; r < prompts.length; r++) {
          expect(Buffer.from(a.logprobs[r].buffer).equals(Buffer.from(b.logprobs[r].buffer))).toBe(true);
          expect(Buffer.from(a.eosProbs[r].buffer).equals(Buffer.from(b.eosProbs[r].buffer))).toBe(true);
        }
      }
    });
  }
});

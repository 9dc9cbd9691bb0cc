import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RewardConfigSchema } from "../../src/config/reward.js";
import {
  makeRewardFn,
  meanScale,
  multiplicativeScale,
  rewards,
  rlevReward,
  rlevScale,
  shuffleValues,
} from "../../src/rewards/index.js";

const cfg = (o: object = {}) => RewardConfigSchema.parse(o);
const sample = (o: Partial<{ itemId: string; value: number; score: number; length: number }> = {}) => ({
  itemId: "a",
  sample: 0,
  value: 0.05,
  score: 1,
  length: 10,
  ...o,
});

describe("value scales (docs/method.md#rlev-reward)", () => {
  it("rlevScale = 1 + min(alpha·v, clip)", () => {
    // alpha 10: v = 0.02 → 1.2; v = 0.1 → 1 + min(1, 1) = 2 (the clip starts to bind); v = 0.5 → 2.
    expect(rlevScale(0.02)).toBeCloseTo(1.2, 12);
    expect(rlevScale(0.1)).toBe(2);
    expect(rlevScale(0.5)).toBe(2);
    // alpha 5, v = 0.1 → 1.5; clip 0.3, v = 0.1 → 1.3.
    expect(rlevScale(0.1, 5)).toBe(1.5);
    expect(rlevScale(0.1, 10, 0.3)).toBe(1.3);
  });
  it("multiplicative has no clip", () => {
    // 1 + 10·0.5 = 6.
    expect(multiplicativeScale(0.5)).toBe(6);
  });
  it("meanScale is the train-set mean of s(x)", () => {
    // s = 1.2, 1.5, 2 → 4.7/3.
    expect(meanScale([0.02, 0.05, 0.3], cfg())).toBeCloseTo(4.7 / 3, 12);
    expect(() => meanScale([], cfg())).toThrow(/at least one/);
  });
  it("rlevReward = s(x)·correct", () => {
    expect(rlevReward(0.05, 1)).toBeCloseTo(1.5, 12);
    expect(rlevReward(0.05, 0)).toBe(0);
  });
});

describe("reward kinds", () => {
  const train = [
    { id: "a", value: 0.05 },
    { id: "b", value: 0.02 },
    { id: "c", value: 0.3 },
  ];
  it("each kind scales a correct answer as the spec says", () => {
    // v(a) = 0.05: correctness 1, rlev 1.5, multiplicative 1.5, uniform s̄ = 4.7/3.
    expect(makeRewardFn(cfg({ kind: "correctness" }))(sample()).reward).toBe(1);
    expect(makeRewardFn(cfg({ kind: "rlev" }))(sample()).reward).toBeCloseTo(1.5, 12);
    expect(makeRewardFn(cfg({ kind: "multiplicative" }))(sample({ value: 0.3 })).reward).toBeCloseTo(4, 12);
    expect(makeRewardFn(cfg({ kind: "rlev" }))(sample({ value: 0.3 })).reward).toBe(2);
    const uni = makeRewardFn(cfg({ kind: "uniform" }), train);
    expect(uni.context.uniformScale).toBeCloseTo(4.7 / 3, 12);
    expect(uni(sample()).reward).toBeCloseTo(4.7 / 3, 12);
    expect(makeRewardFn(cfg({ kind: "uniform", uniformScale: 1.3 }))(sample()).reward).toBe(1.3);
  });
  it("keeps reward and score apart, and the true value and the scale used", () => {
    const s = makeRewardFn(cfg({ kind: "rlev" }))(sample({ score: 0.5 }));
    // Partial credit 0.5 at s = 1.5 → reward 0.75, score 0.5.
    expect(s).toEqual({
      itemId: "a",
      sample: 0,
      reward: 0.75,
      score: 0.5,
      value: 0.05,
      scale: 1.5,
      length: 10,
    });
  });
  it("subtracts lengthCost × length from every sample", () => {
    // 1.5 - 0.01·10 = 1.4 when correct; -0.1 when wrong.
    const fn = makeRewardFn(cfg({ kind: "rlev", lengthCost: 0.01 }));
    expect(fn(sample()).reward).toBeCloseTo(1.4, 12);
    expect(fn(sample({ score: 0 })).reward).toBeCloseTo(-0.1, 12);
  });
  it("shuffled uses another train item's value for the scale and keeps the true value", () => {
    const fn = makeRewardFn(cfg({ kind: "shuffled", shuffleSeed: 3 }), train);
    const map = fn.context.shuffled!;
    const s = fn(sample({ itemId: "b", value: 0.02 }));
    expect(s.value).toBe(0.02);
    expect(s.scale).toBeCloseTo(rlevScale(map.get("b")!), 12);
    expect(() => fn(sample({ itemId: "zz" }))).toThrow(/not in the train set/);
  });
  it("rejects bad input and missing train data", () => {
    const fn = makeRewardFn(cfg());
    expect(() => fn(sample({ score: 1.5 }))).toThrow(/score/);
    expect(() => fn(sample({ value: Number.NaN }))).toThrow(/value/);
    expect(() => fn(sample({ length: -1 }))).toThrow(/length/);
    expect(() => makeRewardFn(cfg({ kind: "uniform" }))).toThrow(/uniformScale/);
    expect(() => makeRewardFn(cfg({ kind: "shuffled" }), [])).toThrow(/train set/);
    expect(Object.keys(rewards).sort()).toEqual([
      "correctness",
      "multiplicative",
      "rlev",
      "shuffled",
      "shuffled-within",
      "uniform",
      "uniform-by-difficulty",
    ]);
  });
});

describe("value shuffle", () => {
  const items = Array.from({ length: 30 }, (_, i) => ({ id: `q${i}`, value: (i + 1) / 100 }));
  it("is a seeded permutation: same marginal, reproducible, seed-dependent", () => {
    const a = shuffleValues(items, 7);
    const b = shuffleValues(items, 7);
    const c = shuffleValues(items, 8);
    expect([...a.values()].sort()).toEqual(items.map((x) => x.value).sort());
    expect([...a.entries()]).toEqual([...b.entries()]);
    expect([...a.entries()]).not.toEqual([...c.entries()]);
    // A permutation of 30 distinct values that leaves more than half in place would not be a shuffle.
    const fixed = items.filter((x) => a.get(x.id) === x.value).length;
    expect(fixed).toBeLessThan(15);
  });
  it("rejects duplicate ids", () => {
    expect(() => shuffleValues([items[0], items[0]], 0)).toThrow(/duplicate/);
  });
  it("preserves the marginal for any values and seed (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        fc.integer(),
        (values, seed) => {
          const train = values.map((value, i) => ({ id: String(i), value }));
          const shuffled = [...shuffleValues(train, seed).values()].sort((x, y) => x - y);
          expect(shuffled).toEqual(values.slice().sort((x, y) => x - y));
        },
      ),
    );
  });
  it("uniform scaling has RLEV's mean reward over the train set when all answers are right (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: 0.001, max: 1, noNaN: true }), { minLength: 1, maxLength: 50 }),
        (values) => {
          const train = values.map((value, i) => ({ id: String(i), value }));
          const rlev = makeRewardFn(cfg({ kind: "rlev" }));
          const uni = makeRewardFn(cfg({ kind: "uniform" }), train);
          let sr = 0;
          let su = 0;
          for (const t of train) {
            sr += rlev(sample({ itemId: t.id, value: t.value })).reward;
            su += uni(sample({ itemId: t.id, value: t.value })).reward;
          }
          expect(su).toBeCloseTo(sr, 9);
        },
      ),
    );
  });
});

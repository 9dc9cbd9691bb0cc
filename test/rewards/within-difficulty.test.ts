import { describe, expect, it } from "vitest";
import { RewardConfigSchema } from "../../src/config/reward.js";
import {
  makeRewardFn,
  meanScaleByDifficulty,
  shuffleValuesWithin,
  type ValuedItem,
} from "../../src/rewards/index.js";

const cfg = (o: object = {}) => RewardConfigSchema.parse(o);

// Hand-worked train set: difficulty 1 has values 0.02, 0.06 (s = 1.2, 1.6: mean 1.4);
// difficulty 3 has 0.05, 0.15, 0.01 (s = 1.5, 2.0 (clipped), 1.1: mean 1.5333…).
const train: ValuedItem[] = [
  { id: "a", value: 0.02, difficulty: 1 },
  { id: "b", value: 0.06, difficulty: 1 },
  { id: "c", value: 0.05, difficulty: 3 },
  { id: "d", value: 0.15, difficulty: 3 },
  { id: "e", value: 0.01, difficulty: 3 },
];
const sample = (o: object) => ({ itemId: "a", sample: 0, value: 0.02, score: 1, length: 10, ...o });

describe("uniform-by-difficulty (the mean s(x) of the item's difficulty)", () => {
  it("scales each difficulty by its own mean s(x), computed by hand", () => {
    const m = meanScaleByDifficulty(train, { alpha: 10, clip: 1 });
    expect(m.get(1)).toBeCloseTo(1.4, 12);
    expect(m.get(3)).toBeCloseTo((1.5 + 2 + 1.1) / 3, 12);
    expect(m.size).toBe(2);
  });

  it("rewards a correct answer with s̄(k) whatever the item's own value, minus the length cost", () => {
    const fn = makeRewardFn(cfg({ kind: "uniform-by-difficulty", lengthCost: 0.01 }), train);
    // difficulty 1, own value 0.06 (own s 1.6): reward 1.4·1 − 0.01·10 = 1.3.
    const r = fn(sample({ itemId: "b", value: 0.06, difficulty: 1 }));
    expect(r.scale).toBeCloseTo(1.4, 12);
    expect(r.reward).toBeCloseTo(1.3, 12);
    // difficulty 3, wrong answer: 0 − 0.1.
    expect(fn(sample({ itemId: "d", value: 0.15, difficulty: 3, score: 0 })).reward).toBeCloseTo(-0.1, 12);
    expect(fn(sample({ itemId: "d", value: 0.15, difficulty: 3 })).scale).toBeCloseTo(4.6 / 3, 12);
  });

  it("errors clearly without a difficulty, or on one no train item has", () => {
    const fn = makeRewardFn(cfg({ kind: "uniform-by-difficulty" }), train);
    expect(() => fn(sample({}))).toThrow(/needs the item's difficulty/);
    expect(() => fn(sample({ difficulty: 2 }))).toThrow(/no train item has difficulty 2/);
    expect(() => makeRewardFn(cfg({ kind: "uniform-by-difficulty" }), [{ id: "x", value: 0.1 }])).toThrow(
      /"x" has no difficulty/,
    );
    expect(() => makeRewardFn(cfg({ kind: "uniform-by-difficulty" }))).toThrow(/needs the train set/);
  });
});

describe("shuffled-within (values permuted among items of the same difficulty)", () => {
  it("keeps each difficulty's multiset of values and moves no value across difficulties", () => {
    for (const seed of [0, 1, 2, 3, 7, 42]) {
      const m = shuffleValuesWithin(train, seed);
      expect([m.get("a"), m.get("b")].sort()).toEqual([0.02, 0.06]);
      expect([m.get("c"), m.get("d"), m.get("e")].sort()).toEqual([0.01, 0.05, 0.15]);
    }
  });

  it("does permute within a difficulty for some seed, and is reproducible", () => {
    const moved = [0, 1, 2, 3, 4, 5, 6, 7].some((seed) => shuffleValuesWithin(train, seed).get("a") === 0.06);
    expect(moved).toBe(true);
    expect([...shuffleValuesWithin(train, 5)]).toEqual([...shuffleValuesWithin(train, 5)]);
  });

  it("a singleton difficulty keeps its own value", () => {
    const m = shuffleValuesWithin([...train, { id: "z", value: 0.09, difficulty: 7 }], 3);
    expect(m.get("z")).toBe(0.09);
  });

  it("rewards with the shuffled value's s(x), and rejects items outside the train set or without difficulty", () => {
    const fn = makeRewardFn(cfg({ kind: "shuffled-within", shuffleSeed: 5 }), train);
    const v = shuffleValuesWithin(train, 5).get("c")!;
    expect(fn(sample({ itemId: "c", value: 0.05 })).scale).toBeCloseTo(1 + Math.min(10 * v, 1), 12);
    expect(() => fn(sample({ itemId: "nope" }))).toThrow(/shuffled-within covers train items only/);
    expect(() => makeRewardFn(cfg({ kind: "shuffled-within" }), [{ id: "x", value: 0.1 }])).toThrow(
      /"x" has no difficulty/,
    );
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  accuracy,
  bootstrapCi,
  bootstrapWeighted,
  hAcc,
  meanAtN,
  meanResponseLength,
  pairedDifference,
  passAtK,
  seedCi,
  studentTCdf,
  studentTQuantile,
  valueDensity,
  valueSliceAccuracy,
} from "../../src/metrics/index.js";
import { Rng } from "../../src/util/rng.js";

describe("Acc, H-Acc, length, value density (docs/method.md#metrics)", () => {
  it("by hand", () => {
    // values [.1,.2,.3,.4], scores [1,0,1,.5]: Acc = 2.5/4; H-Acc = (.1 + .3 + .5·.4)/1.0 = 0.6.
    expect(accuracy([1, 0, 1, 0.5])).toBe(0.625);
    expect(hAcc([0.1, 0.2, 0.3, 0.4], [1, 0, 1, 0.5])).toBeCloseTo(0.6, 12);
    expect(meanResponseLength([10, 20, 60])).toBe(30);
    // Weights: hAcc with weights [2,1,1,1] → (.2 + .3 + .2)/(0.2+0.2+0.3+0.4) = 0.7/1.1.
    expect(hAcc([0.1, 0.2, 0.3, 0.4], [1, 0, 1, 0.5], [2, 1, 1, 1])).toBeCloseTo(0.7 / 1.1, 12);
    expect(Number.isNaN(accuracy([]))).toBe(true);
  });
  it("value density is H-Acc in percent per token: 55.0 / 168.1 = 0.33", () => {
    expect(valueDensity(0.55, 168.1).toFixed(2)).toBe("0.33");
    expect(valueDensity(0.55, 168.1)).toBeCloseTo(0.327186, 6);
    // The paper's RLEV row: 57.0 / 84.8 = 0.67.
    expect(valueDensity(0.57, 84.8).toFixed(2)).toBe("0.67");
  });
});

describe("pass@k and mean@n", () => {
  it("by hand", () => {
    // n=5, c=2, k=2: 1 - C(3,2)/C(5,2) = 1 - 3/10 = 0.7.
    expect(passAtK(5, 2, 2)).toBeCloseTo(0.7, 12);
    // k = 1 is c/n; c = 0 gives 0; n - c < k gives 1.
    expect(passAtK(8, 3, 1)).toBeCloseTo(3 / 8, 12);
    expect(passAtK(10, 0, 4)).toBe(0);
    expect(passAtK(3, 2, 2)).toBe(1);
  });
  it("stays exact where the binomials are huge", () => {
    // C(1000,100) ≈ 6e139; exact rational arithmetic (Python fractions) gives 0.653072285207994.
    expect(passAtK(1000, 10, 100)).toBeCloseTo(0.653072285207994, 12);
    // 1 - C(197,50)/C(200,50) = 0.5802497335160651.
    expect(passAtK(200, 3, 50)).toBeCloseTo(0.5802497335160651, 12);
  });
  it("rejects impossible arguments", () => {
    expect(() => passAtK(4, 1, 5)).toThrow(/k ≤ n/);
    expect(() => passAtK(4, 5, 1)).toThrow(/c ≤ n/);
    expect(() => passAtK(4, 1.5, 1)).toThrow(/integers/);
  });
  it("is monotone in k and c (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 60 }), fc.nat(), fc.nat(), (n, c0, k0) => {
        const c = c0 % (n + 1);
        const k = (k0 % n) + 1;
        const p = passAtK(n, c, k);
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        if (k < n) expect(passAtK(n, c, k + 1)).toBeGreaterThanOrEqual(p - 1e-12);
        if (c < n) expect(passAtK(n, c + 1, k)).toBeGreaterThanOrEqual(p - 1e-12);
      }),
    );
  });
  it("mean@n is the mean of per-prompt mean scores", () => {
    expect(meanAtN([0.5, 1, 0.25])).toBeCloseTo(1.75 / 3, 12);
  });
});

describe("top/bottom value slices", () => {
  it("takes exactly the fraction, sharing the cut-off among tied prompts", () => {
    // 10 prompts, top 20% = weight 2: v=9 fully (acc 1), the three 8s share 1 → each 1/3:
    // (1 + (0 + 1 + 1)/3)/2 = 0.833333. Bottom: v=2 (acc 1) and v=3 (acc 0) → 0.5.
    const values = [9, 8, 8, 8, 7, 6, 5, 4, 3, 2];
    const accs = [1, 0, 1, 1, 0, 0, 0, 0, 0, 1];
    expect(valueSliceAccuracy(values, accs, 0.2, "top")).toBeCloseTo(5 / 6, 12);
    expect(valueSliceAccuracy(values, accs, 0.2, "bottom")).toBeCloseTo(0.5, 12);
    // 5 prompts: the slice is the single highest / lowest.
    expect(valueSliceAccuracy([5, 4, 4, 4, 1], [1, 0, 1, 1, 0], 0.2, "top")).toBe(1);
    expect(valueSliceAccuracy([5, 4, 4, 4, 1], [1, 0, 1, 1, 0], 0.2, "bottom")).toBe(0);
    // All values tied: every prompt shares equally → the overall mean 0.4.
    expect(valueSliceAccuracy([1, 1, 1, 1, 1], [1, 0, 1, 0, 0], 0.2, "top")).toBeCloseTo(0.4, 12);
  });
  it("does not depend on the order of the prompts (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 30,
        }),
        fc.integer(),
        (pairs, seed) => {
          const shuffled = new Rng(seed).shuffle(pairs);
          for (const which of ["top", "bottom"] as const) {
            const a = valueSliceAccuracy(
              pairs.map((p) => p[0]),
              pairs.map((p) => p[1]),
              0.2,
              which,
            );
            const b = valueSliceAccuracy(
              shuffled.map((p) => p[0]),
              shuffled.map((p) => p[1]),
              0.2,
              which,
            );
            expect(b).toBeCloseTo(a, 9);
          }
        },
      ),
    );
  });
});

describe("Student t", () => {
  it("matches printed tables", () => {
    expect(studentTQuantile(0.975, 1)).toBeCloseTo(12.7062047, 5);
    expect(studentTQuantile(0.975, 2)).toBeCloseTo(4.30265273, 6);
    expect(studentTQuantile(0.975, 4)).toBeCloseTo(2.77644511, 6);
    expect(studentTQuantile(0.975, 10)).toBeCloseTo(2.22813885, 6);
    expect(studentTQuantile(0.995, 3)).toBeCloseTo(5.84090931, 6);
    expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.77644511, 6);
    expect(studentTQuantile(0.975, 1e6)).toBeCloseTo(1.959966, 4);
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
  });
});

describe("confidence intervals", () => {
  it("t-based CI over seeds by hand", () => {
    // [.50, .54, .52]: mean .52, sd .02, half = 4.302653·.02/√3 = 0.0496827.
    const ci = seedCi([0.5, 0.54, 0.52]);
    expect(ci.estimate).toBeCloseTo(0.52, 12);
    expect(ci.sd).toBeCloseTo(0.02, 12);
    expect(ci.lo).toBeCloseTo(0.4703173, 6);
    expect(ci.hi).toBeCloseTo(0.5696827, 6);
    expect(Number.isNaN(seedCi([0.5]).lo)).toBe(true);
  });
  it("paired differences over seeds by hand", () => {
    // diffs [.05,.02,.02]: mean .03, sd √.0003 = .0173205, half = 4.302653·.0173205/√3 = .0430265.
    const d = pairedDifference([0.6, 0.62, 0.58], [0.55, 0.6, 0.56]);
    expect(d.estimate).toBeCloseTo(0.03, 12);
    expect(d.lo).toBeCloseTo(-0.0130265, 6);
    expect(d.hi).toBeCloseTo(0.0730265, 6);
    expect([d.wins, d.losses, d.ties]).toEqual([3, 0, 0]);
    expect(() => pairedDifference([1], [1, 2])).toThrow(/same length/);
  });
  it("bootstrap is seeded, and the weighted form draws the same resamples", () => {
    const rng = new Rng(5);
    const xs = Array.from({ length: 100 }, () => rng.normal());
    const mean = (s: number[]) => s.reduce((a, b) => a + b, 0) / s.length;
    const a = bootstrapCi(xs, mean, { seed: 1, resamples: 500 });
    const b = bootstrapCi(xs, mean, { seed: 1, resamples: 500 });
    const c = bootstrapCi(xs, mean, { seed: 2, resamples: 500 });
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    const w = bootstrapWeighted(
      xs.length,
      (weights) => ({ mean: xs.reduce((s, x, i) => s + weights[i] * x, 0) / xs.length }),
      { seed: 1, resamples: 500 },
    ).mean;
    expect(w.estimate).toBeCloseTo(a.estimate, 12);
    expect(w.lo).toBeCloseTo(a.lo, 12);
    expect(w.hi).toBeCloseTo(a.hi, 12);
    // The percentile CI of a mean of 100 draws is about ±1.96·sd/10 wide around it.
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - a.estimate) ** 2, 0) / 99);
    expect(a.lo).toBeLessThan(a.estimate);
    expect(a.hi).toBeGreaterThan(a.estimate);
    expect((a.hi - a.lo) / ((2 * 1.96 * sd) / 10)).toBeGreaterThan(0.8);
    expect((a.hi - a.lo) / ((2 * 1.96 * sd) / 10)).toBeLessThan(1.2);
  });
  it("bootstrap over seeds", () => {
    const ci = seedCi([0.5, 0.54, 0.52, 0.6], { method: "bootstrap", seed: 3 });
    expect(ci.method).toBe("bootstrap");
    expect(ci.lo).toBeGreaterThanOrEqual(0.5);
    expect(ci.hi).toBeLessThanOrEqual(0.6);
  });
});

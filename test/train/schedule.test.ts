import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EpochSchedule, learningRateAt, miniBatchRows } from "../../src/train/schedule.js";

describe("EpochSchedule", () => {
  it("visits every item exactly once per epoch, in a seed-dependent order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 1, max: 13 }), (n, size) => {
        const s = new EpochSchedule(3, 1, n);
        const walk: number[] = [];
        for (let step = 0; walk.length < 3 * n; step++) walk.push(...s.batch(step, size));
        for (let e = 0; e < 3; e++) {
          const epoch = walk.slice(e * n, (e + 1) * n).sort((a, b) => a - b);
          expect(epoch).toEqual(Array.from({ length: n }, (_, i) => i));
        }
      }),
    );
    const a = new EpochSchedule(1, 1, 50).batch(0, 50);
    const b = new EpochSchedule(2, 1, 50).batch(0, 50);
    expect(a).not.toEqual(b);
  });

  it("depends only on (seed, step): a fresh schedule asked for step 7 agrees with one that walked there", () => {
    const walked = new EpochSchedule(9, 5, 23);
    for (let step = 0; step < 7; step++) walked.batch(step, 10);
    expect(new EpochSchedule(9, 5, 23).batch(7, 10)).toEqual(walked.batch(7, 10));
  });
});

describe("learningRateAt", () => {
  it("warms up linearly, then stays constant", () => {
    // base 1e-3, warm-up 4: steps 0..3 get 1/4, 2/4, 3/4, 4/4 of it.
    expect([0, 1, 2, 3, 4, 100].map((s) => learningRateAt(s, 1e-3, 4))).toEqual([
      2.5e-4, 5e-4, 7.5e-4, 1e-3, 1e-3, 1e-3,
    ]);
    expect(learningRateAt(0, 1e-3, 0)).toBe(1e-3);
  });
});

describe("miniBatchRows", () => {
  it("partitions the rows into equal mini-batches, reproducibly", () => {
    const parts = miniBatchRows(1, 4, 0, 12, 3);
    expect(parts.map((p) => p.length)).toEqual([4, 4, 4]);
    expect(parts.flat().sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
    expect(miniBatchRows(1, 4, 0, 12, 3)).toEqual(parts);
    expect(miniBatchRows(1, 5, 0, 12, 3)).not.toEqual(parts);
    expect(() => miniBatchRows(1, 4, 0, 10, 3)).toThrow(/divide/);
  });
});

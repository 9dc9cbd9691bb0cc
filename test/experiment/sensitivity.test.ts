import { describe, expect, it } from "vitest";
import { olsSlope, valueSensitivity } from "../../src/experiment/sensitivity.js";

describe("value sensitivity of the worked choice", () => {
  it("olsSlope by hand: y = 2x + 1 has slope 2; two values give (Δ mean y)/(Δ x)", () => {
    expect(olsSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBeCloseTo(2, 12);
    // x = 0.02 (worked 1 of 4), x = 0.18 (worked 3 of 4): (0.75 − 0.25)/0.16 = 3.125.
    expect(olsSlope([0.02, 0.02, 0.02, 0.02, 0.18, 0.18, 0.18, 0.18], [1, 0, 0, 0, 1, 1, 1, 0])).toBeCloseTo(
      3.125,
      12,
    );
    expect(olsSlope([1, 1, 1], [0, 1, 0])).toBeNaN();
  });

  it("P(worked | value, difficulty) cells and per-difficulty slopes", () => {
    const rows = [
      { value: 0.02, difficulty: 5, worked: false },
      { value: 0.02, difficulty: 5, worked: true },
      { value: 0.18, difficulty: 5, worked: true },
      { value: 0.18, difficulty: 5, worked: true },
      { value: 0.02, difficulty: 1, worked: true },
      { value: 0.18, difficulty: 1, worked: true },
    ];
    const s = valueSensitivity(rows, 2, 1);
    expect(s.cells).toEqual([
      { difficulty: 1, value: 0.02, n: 1, worked: 1 },
      { difficulty: 1, value: 0.18, n: 1, worked: 1 },
      { difficulty: 5, value: 0.02, n: 2, worked: 0.5 },
      { difficulty: 5, value: 0.18, n: 2, worked: 1 },
    ]);
    expect(s.slopes[0]).toMatchObject({ difficulty: 1, n: 2, slope: 0, worked: 1 });
    expect(s.slopes[1].slope).toBeCloseTo(0.5 / 0.16, 12);
    expect(s.slopes[1].worked).toBe(0.75);
  });
});

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

describe("the value-sensitivity table of the report", async () => {
  const { sensitivityTable } = await import("../../src/experiment/sensitivity-report.js");
  const { record } = await import("./fixtures.js");
  const sens = (low: number, high: number) => ({
    samples: 2,
    temperature: 1,
    cells: [
      { difficulty: 7, value: 0.02, n: 10, worked: low },
      { difficulty: 7, value: 0.18, n: 10, worked: high },
    ],
    slopes: [{ difficulty: 7, n: 20, slope: (high - low) / 0.16, worked: (low + high) / 2 }],
  });
  it("per arm and difficulty: low/high-value worked shares (clipped CIs) and the slope per +0.1 value", () => {
    const t = sensitivityTable([
      {
        id: "a",
        label: "RLEV",
        records: [
          record("a", 1, 0.9, { sensitivity: { greedy: sens(0, 1), sampled: sens(0.1, 0.9) } }),
          record("a", 2, 0.9, { sensitivity: { greedy: sens(0, 1), sampled: sens(0.3, 0.7) } }),
        ],
      },
      { id: "b", label: "no sensitivity recorded", records: [record("b", 1, 0.9)] },
    ]);
    expect(t?.rows).toHaveLength(1);
    const c = t!.rows[0].cells;
    expect(c.sampledLow?.mean).toBeCloseTo(0.2, 12);
    expect(c.sampledHigh?.mean).toBeCloseTo(0.8, 12);
    expect(c.sampledLow?.lo).toBe(0);
    // slopes 5 and 2.5 per unit value → 0.5 and 0.25 per +0.1: mean 0.375.
    expect(c.slope?.mean).toBeCloseTo(0.375, 12);
    expect(c.greedyHigh?.mean).toBe(1);
    expect(sensitivityTable([{ id: "b", label: "x", records: [record("b", 1, 0.9)] }])).toBeNull();
  });
});

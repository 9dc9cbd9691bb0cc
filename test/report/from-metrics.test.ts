import { describe, expect, it } from "vitest";
import type { ItemResult } from "../../src/metrics/graded.js";
import { summarizeRun, summarizeSeeds } from "../../src/metrics/summary.js";
import {
  DEFAULT_RESULT_METRICS,
  lengthByValueFromRuns,
  resultsFromRuns,
  resultsFromSeeds,
} from "../../src/report/from-metrics.js";
import { renderReport } from "../../src/report/html.js";

/**
 * Ten prompts with values 0.01..0.10 (one response each); prompt i is correct when `correct(i)`
 * and has length 10·i + `extra`.
 */
function items(correct: (i: number) => boolean, extra = 0): ItemResult[] {
  return Array.from({ length: 10 }, (_, k) => {
    const i = k + 1;
    return {
      id: `q${i}`,
      value: i / 100,
      difficulty: undefined,
      n: 1,
      scoreSum: correct(i) ? 1 : 0,
      fullCorrect: correct(i) ? 1 : 0,
      lengthSum: 10 * i + extra,
    };
  });
}
const run = (correct: (i: number) => boolean, extra = 0) =>
  summarizeRun(items(correct, extra), { bootstrap: { resamples: 0 } });

describe("report sections from metrics summaries", () => {
  // Seeds of arm A: correct on i ≤ 5, i ≤ 6, i ≤ 7 → Acc 0.5, 0.6, 0.7 (mean 0.6);
  // H-Acc = Σ_{i≤m} i / 55 → 15/55, 21/55, 28/55 (mean 64/165 = 0.387878…).
  const armA = [5, 6, 7].map((m) => run((i) => i <= m));
  const armB = [5, 6, 7].map((m) => run((i) => i > 10 - m, 2));

  it("builds the results table over seeds", () => {
    const table = resultsFromSeeds([
      { arm: "a", seeds: summarizeSeeds(armA) },
      { arm: "b", seeds: summarizeSeeds(armB) },
    ]);
    expect(table.columns.map((c) => c.key)).toEqual([...DEFAULT_RESULT_METRICS]);
    expect(table.ciMethod).toBe("the Student-t 95% CI over 3 seeds");
    const acc = table.rows[0].cells.acc!;
    expect(acc.mean).toBeCloseTo(0.6, 12);
    expect(acc.n).toBe(3);
    // sd 0.1, se 0.1/√3, t(0.975, 2) = 4.302653 → ± 0.248414.
    expect(acc.hi! - acc.mean).toBeCloseTo(0.248414, 5);
    expect(table.rows[0].cells.hAcc!.mean).toBeCloseTo(64 / 165, 12);
    // Arm B is correct on the high-value prompts: H-Acc (10+9+…+6)/55 = 40/55 for m = 5, etc.
    expect(table.rows[1].cells.hAcc!.mean).toBeCloseTo((40 / 55 + 45 / 55 + 49 / 55) / 3, 12);
    const html = renderReport({
      title: "t",
      arms: [
        { id: "a", label: "A" },
        { id: "b", label: "B" },
      ],
      results: table,
    });
    expect(html).toContain('<span class="mean">60.0%</span>');
    expect(html).toContain("In brackets: the Student-t 95% CI over 3 seeds.");
  });

  it("builds a one-run table with the bootstrap interval over prompts", () => {
    const summary = summarizeRun(
      items((i) => i % 2 === 0),
      { bootstrap: { resamples: 200, seed: 1 } },
    );
    const table = resultsFromRuns([{ arm: "m", run: summary }], { metrics: ["acc", "hAcc", "pass@1"] });
    expect(table.columns.map((c) => [c.key, c.format])).toEqual([
      ["acc", "percent"],
      ["hAcc", "percent"],
      ["pass@1", "percent"],
    ]);
    const acc = table.rows[0].cells.acc!;
    expect(acc.mean).toBe(0.5);
    expect(acc.n).toBe(1);
    expect(acc.lo).toBeLessThan(0.5);
    expect(acc.hi).toBeGreaterThan(0.5);
    expect(table.ciMethod).toMatch(/^the percentile-bootstrap 95% CI over prompts \(200 resamples\)/);
  });

  it("aligns value buckets across arms and seeds", () => {
    const chart = lengthByValueFromRuns([
      { arm: "a", runs: armA },
      { arm: "b", runs: armB },
    ]);
    // Five equal-count buckets of two prompts: values .01–.02, …, .09–.10; lengths 10·i (+2 in arm B).
    expect(chart.buckets.map((b) => b.label)).toEqual([
      "0.010–0.020",
      "0.030–0.040",
      "0.050–0.060",
      "0.070–0.080",
      "0.090–0.100",
    ]);
    expect(chart.buckets.map((b) => b.items)).toEqual([2, 2, 2, 2, 2]);
    expect(chart.series[0].values.map((v) => v!.mean)).toEqual([15, 35, 55, 75, 95]);
    expect(chart.series[1].values.map((v) => v!.mean)).toEqual([17, 37, 57, 77, 97]);
    // Identical across seeds: a zero-width interval.
    expect(chart.series[0].values[0]).toMatchObject({ lo: 15, hi: 15, n: 3 });

    const other = summarizeRun(
      items(() => true).map((it, k) => ({ ...it, value: (k + 1) / 50 })),
      { bootstrap: { resamples: 0 } },
    );
    expect(() => lengthByValueFromRuns([{ arm: "a", runs: [...armA, other] }])).toThrow(
      /arm "a" run 3 differ from the first run's/,
    );
  });
});

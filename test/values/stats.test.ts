import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { importGaokao } from "../../src/data/importers/gaokao.js";
import type { Item } from "../../src/data/item.js";
import { formatValueStats, medianOfSorted, valueStats } from "../../src/values/stats.js";
import { sharedData, skipWithoutSharedData } from "../helpers/cli.js";

function v(
  value: number,
  examId: string,
  meta: Record<string, unknown> = {},
): Pick<Item, "value" | "examId" | "meta"> {
  return { value, examId, meta };
}

describe("valueStats", () => {
  // Worked by hand: values 0.005, 0.015, 0.1, 0.12, 0.3 in exams A, A, B, B, C.
  const items = [v(0.005, "A"), v(0.015, "A"), v(0.1, "B"), v(0.12, "B"), v(0.3, "C")];

  it("count, exams, mean, min/median/max", () => {
    const s = valueStats(items);
    expect(s.count).toBe(5);
    expect(s.exams).toBe(3);
    expect(s.mean).toBeCloseTo(0.54 / 5, 15); // (0.005 + 0.015 + 0.1 + 0.12 + 0.3) / 5
    expect([s.min, s.median, s.max]).toEqual([0.005, 0.1, 0.3]);
    expect(s.distinctValues).toBe(5);
  });

  it("alpha * v > 1 counts where the clip binds; v = 1/alpha exactly does not", () => {
    // alpha 10: 0.12 → 1.2 and 0.3 → 3 exceed 1; 0.1 → 1 does not.
    expect(valueStats(items).clipped).toEqual({ count: 2, share: 0.4 });
    // alpha 100: 0.015 → 1.5 and the three above; 0.005 → 0.5 does not.
    expect(valueStats(items, { alpha: 100 }).clipped).toEqual({ count: 4, share: 0.8 });
    expect(valueStats(items, { alpha: 1 }).clipped.count).toBe(0);
  });

  it("histogram bins are half-open [lo, hi)", () => {
    const h = valueStats(items).histogram;
    const count = (lo: number) => h.find((b) => b.lo === lo)?.count;
    expect(count(0)).toBe(1); // 0.005
    expect(count(0.01)).toBe(1); // 0.015
    expect(count(0.1)).toBe(2); // 0.1 and 0.12
    expect(count(0.25)).toBe(1); // 0.3
    expect(h.reduce((n, b) => n + b.count, 0)).toBe(5);
    expect(valueStats([v(1, "X")]).histogram.at(-1)?.count).toBe(1);
  });

  it("exam coverage sums values per exam, leaving out flagged duplicates", () => {
    // A: 0.02, B: 0.22, C: 0.3; the duplicate in C does not count.
    const s = valueStats([...items, v(0.3, "C", { duplicateOf: "c1" })]);
    expect(s.examCoverage.min).toBeCloseTo(0.02, 15);
    expect(s.examCoverage.median).toBeCloseTo(0.22, 15);
    expect(s.examCoverage.max).toBeCloseTo(0.3, 15);
    expect(s.duplicates).toBe(1);
    expect(s.count).toBe(6);
  });

  it("medians of even-length lists average the middle pair", () => {
    expect(medianOfSorted([1, 2, 3, 4])).toBe(2.5);
    expect(medianOfSorted([7])).toBe(7);
    expect(Number.isNaN(medianOfSorted([]))).toBe(true);
  });

  it("counts value sources", () => {
    const s = valueStats([
      v(0.01, "A", { valueSource: "weak" }),
      v(0.02, "A"),
      v(0.03, "B", { valueSource: "shuffled" }),
    ]);
    expect(s.valueSources).toEqual({ exam: 1, weak: 1, shuffled: 1 });
  });

  it("formats a readable report", () => {
    const text = formatValueStats(valueStats(items));
    expect(text).toContain("items          5\n");
    expect(text).toContain("alpha*v > 1    2 items (40.00%) at alpha = 10");
    expect(text).toContain("  [0.25, 1.00]       1  ");
  });
});

describe("valueStats on GAOKAO-Bench (../shared/data)", () => {
  it.skipIf(skipWithoutSharedData("GAOKAO value statistics"))(
    "matches the data README: 175 exams, 2,811 items, the value histogram and summary",
    async () => {
      const s = valueStats(await importGaokao(join(sharedData, "gaokao_bench/raw")));
      expect(s.count).toBe(2811);
      expect(s.exams).toBe(175);
      // README §1.3: the value-bin table.
      expect(s.histogram.map((b) => b.count)).toEqual([105, 622, 421, 702, 394, 244, 202, 66, 55, 0]);
      // README: 27 distinct values; mean 0.039; min 1/150; median 5/150 = 0.033; max 34/150.
      expect(s.distinctValues).toBe(27);
      expect(s.mean).toBeCloseTo(0.039, 3);
      expect([s.min, s.median, s.max]).toEqual([1 / 150, 5 / 150, 34 / 150]);
      // Most common values: 5/150 × 675, 4/300 × 607, 6/300 × 397.
      expect(s.commonValues.slice(0, 3)).toEqual([
        { value: 5 / 150, count: 675 },
        { value: 4 / 300, count: 607 },
        { value: 6 / 300, count: 397 },
      ]);
      // exams.jsonl coverage: min 12/300 = 0.04, median 0.6333 (95/150), max 269/300.
      expect(s.examCoverage.min).toBeCloseTo(0.04, 12);
      expect(s.examCoverage.median).toBeCloseTo(95 / 150, 12);
      expect(s.examCoverage.max).toBeCloseTo(269 / 300, 12);
      expect(s.duplicates).toBe(8);
      // alpha = 10: v > 0.1 strictly, i.e. the 121 items of the two top bins minus the 37 at exactly 15/150 = 0.1.
      expect(s.clipped.count).toBe(84);
    },
  );
});

import { describe, expect, it } from "vitest";
import {
  accuracyByDifficulty,
  compareRuns,
  compareSeeds,
  type GradedRow,
  groupByItem,
  lengthByValueBucket,
  summarizeRun,
  summarizeSeeds,
} from "../../src/metrics/index.js";

// Three prompts, two responses each:
// q1 v=.5 d=1: right (10 tokens), wrong (20); q2 v=.3 d=2: right (30), right (40);
// q3 v=.2 d=2: wrong (50), half credit (60).
const rows: GradedRow[] = [
  { id: "q1", value: 0.5, correct: true, length: 10, difficulty: 1 },
  { id: "q1", value: 0.5, correct: false, length: 20, difficulty: 1 },
  { id: "q2", value: 0.3, correct: true, length: 30, difficulty: 2 },
  { id: "q2", value: 0.3, correct: 1, length: 40, difficulty: 2 },
  { id: "q3", value: 0.2, correct: 0, length: 50, difficulty: 2 },
  { id: "q3", value: 0.2, correct: 0.5, length: 60, difficulty: 2 },
];

describe("summarizeRun", () => {
  const items = groupByItem(rows);
  const s = summarizeRun(items, { k: [1, 2], buckets: 3, bootstrap: { resamples: 0 } });
  const m = (name: string) => s.metrics[name].estimate;
  it("computes every metric as worked out by hand", () => {
    // Acc = 3.5/6; H-Acc = (.5 + .6 + .1)/(1 + .6 + .4) = 0.6; length 210/6 = 35; density 60/35.
    expect(m("acc")).toBeCloseTo(3.5 / 6, 12);
    expect(m("hAcc")).toBeCloseTo(0.6, 12);
    expect(m("meanLength")).toBeCloseTo(35, 12);
    expect(m("valueDensity")).toBeCloseTo(60 / 35, 12);
    // Top 20% of 3 prompts = 0.6 of q1 (acc .5); bottom = 0.6 of q3 (acc .25).
    expect(m("topAcc")).toBeCloseTo(0.5, 12);
    expect(m("bottomAcc")).toBeCloseTo(0.25, 12);
    // mean@n = (.5 + 1 + .25)/3. pass@1 counts full credit only: (1/2 + 1 + 0)/3 = .5.
    expect(m("meanAtN")).toBeCloseTo(1.75 / 3, 12);
    expect(m("pass@1")).toBeCloseTo(0.5, 12);
    // pass@2: q1 (n=2, c=1) → 1, q2 → 1, q3 (c=0) → 0.
    expect(m("pass@2")).toBeCloseTo(2 / 3, 12);
    expect(s.responses).toBe(6);
    expect(s.items).toBe(3);
    expect(s.bootstrap).toBeNull();
    expect(Number.isNaN(s.metrics.acc.lo)).toBe(true);
  });
  it("breaks down by difficulty and by value bucket", () => {
    // d=1: q1 → acc .5, hAcc .5, length 15. d=2: acc 2.5/4, hAcc (.6 + .1)/1.0 = .7, length 45.
    expect(accuracyByDifficulty(items)).toEqual([
      { difficulty: 1, items: 1, responses: 2, acc: 0.5, hAcc: 0.5, meanLength: 15 },
      { difficulty: 2, items: 2, responses: 4, acc: 0.625, hAcc: expect.closeTo(0.7, 12), meanLength: 45 },
    ]);
    // Three buckets of one prompt each, by ascending value: q3, q2, q1.
    expect(lengthByValueBucket(items, 3).map((b) => [b.bucket, b.lo, b.meanLength])).toEqual([
      [1, 0.2, 55],
      [2, 0.3, 35],
      [3, 0.5, 15],
    ]);
  });
  it("keeps tied values in one bucket", () => {
    const tied = groupByItem(
      [0.1, 0.1, 0.1, 0.2, 0.3].map((value, i) => ({ id: `p${i}`, value, correct: true, length: i })),
    );
    // 5 prompts into 5 buckets: the three 0.1s share bucket 1; 0.2 → rank 3 → bucket 4; 0.3 → bucket 5.
    expect(lengthByValueBucket(tied, 5).map((b) => [b.bucket, b.items])).toEqual([
      [1, 3],
      [4, 1],
      [5, 1],
    ]);
  });
  it("leaves prompts with fewer than k samples out of pass@k", () => {
    const s3 = summarizeRun(items, { k: [3], bootstrap: { resamples: 0 } });
    expect(s3.passAtKItems["pass@3"]).toBe(0);
    expect(Number.isNaN(s3.metrics["pass@3"].estimate)).toBe(true);
  });
  it("bootstraps over prompts reproducibly, with the estimate inside the CI", () => {
    const a = summarizeRun(items, { bootstrap: { resamples: 200, seed: 4 } });
    const b = summarizeRun(items, { bootstrap: { resamples: 200, seed: 4 } });
    expect(a).toEqual(b);
    for (const iv of Object.values(a.metrics)) {
      expect(iv.lo).toBeLessThanOrEqual(iv.estimate + 1e-12);
      expect(iv.hi).toBeGreaterThanOrEqual(iv.estimate - 1e-12);
    }
  });
  it("rejects prompts whose rows disagree on the value", () => {
    expect(() =>
      groupByItem(
        [
          { id: "a", value: 0.1, correct: true, length: 1 },
          { id: "a", value: 0.2, correct: true, length: 1 },
        ],
        (i) => ({ file: "f.jsonl", line: i + 1 }),
      ),
    ).toThrow(/f\.jsonl:2 field "value"/);
  });
});

describe("comparisons", () => {
  const a = groupByItem(rows);
  const flipped = groupByItem(rows.map((r) => ({ ...r, correct: r.id === "q3" ? true : r.correct })));
  it("pairs two arms over the same prompts", () => {
    // Arm B gets both q3 answers fully right: Acc 5/6 vs 3.5/6 → A − B = −0.25;
    // H-Acc (.5 + .6 + .4)/2 = .75 vs .6 → −0.15.
    const c = compareRuns(a, flipped, { bootstrap: { resamples: 100 } });
    expect(c.pairing).toBe("items");
    expect(c.metrics.acc.estimate).toBeCloseTo(-0.25, 12);
    expect(c.metrics.hAcc.estimate).toBeCloseTo(-0.15, 12);
    expect(c.metrics.meanLength.estimate).toBe(0);
    expect(() => compareRuns(a, a.slice(1))).toThrow(/same prompts/);
  });
  it("pairs per-seed runs and summarizes seeds", () => {
    const ra = [
      summarizeRun(a, { bootstrap: { resamples: 0 } }),
      summarizeRun(a, { bootstrap: { resamples: 0 } }),
    ];
    const rb = [
      summarizeRun(flipped, { bootstrap: { resamples: 0 } }),
      summarizeRun(a, { bootstrap: { resamples: 0 } }),
    ];
    const seeds = summarizeSeeds(rb);
    expect(seeds.metrics.hAcc.perSeed.map((x) => Number(x.toFixed(9)))).toEqual([0.75, 0.6]);
    expect(seeds.metrics.hAcc.estimate).toBeCloseTo(0.675, 12);
    const c = compareSeeds(ra, rb);
    // H-Acc diffs [−0.15, 0] → mean −0.075, one loss, one tie.
    expect(c.metrics.hAcc.estimate).toBeCloseTo(-0.075, 12);
    expect(c.metrics.hAcc).toMatchObject({ wins: 0, losses: 1, ties: 1 });
  });
});

import { describe, expect, it } from "vitest";
import { TaskConfigSchema } from "../../src/config/task.js";
import { ItemSchema } from "../../src/data/item.js";
import { chainMeta, generateExams } from "../../src/task/exams.js";
import { chainAnswer, renderPrompt } from "../../src/task/format.js";

const defaults = TaskConfigSchema.parse({});

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}

describe("generateExams", () => {
  it("is a pure function of the config and seed", () => {
    const a = generateExams({ ...defaults, trainExams: 5, testExams: 2 }, 7);
    const b = generateExams({ ...defaults, trainExams: 5, testExams: 2 }, 7);
    const c = generateExams({ ...defaults, trainExams: 5, testExams: 2 }, 8);
    expect(b).toEqual(a);
    expect(c.train.map((i) => i.prompt)).not.toEqual(a.train.map((i) => i.prompt));
  });

  it("keeps earlier exams when a split grows", () => {
    const small = generateExams({ ...defaults, trainExams: 3, testExams: 1 }, 1);
    const large = generateExams({ ...defaults, trainExams: 6, testExams: 2 }, 1);
    expect(large.train.slice(0, small.train.length)).toEqual(small.train);
    expect(large.test.slice(0, small.test.length)).toEqual(small.test);
  });

  it("produces valid items, split by exam, with values summing to 1 per exam", () => {
    const { train, test } = generateExams({ ...defaults, trainExams: 20, testExams: 4 }, 3);
    expect(train).toHaveLength(20 * 25);
    expect(test).toHaveLength(4 * 25);
    const trainExams = new Set(train.map((i) => i.examId));
    for (const item of test) expect(trainExams.has(item.examId)).toBe(false);
    expect(new Set([...train, ...test].map((i) => i.id)).size).toBe(train.length + test.length);
    const byExam = new Map<string, number>();
    for (const item of [...train, ...test]) {
      ItemSchema.parse(item);
      const meta = chainMeta(item);
      expect(meta.terms).toHaveLength(meta.steps + 1);
      expect(item.difficulty).toBe(meta.steps);
      expect(item.reference).toBe(String(chainAnswer(meta.terms, 10)));
      expect(item.prompt).toBe(
        renderPrompt(meta.terms, item.points, { showPoints: true, pointsDigits: 2, padToTerms: 8 }),
      );
      // Every prompt has one length: "[pp]" + 8 terms with separators and "=".
      expect(item.prompt).toHaveLength(4 + 16);
      expect(item.prompt).toMatch(/^\[\d\d\]/);
      expect(item.value).toBeCloseTo(item.points / item.examTotal, 12);
      byExam.set(item.examId, (byExam.get(item.examId) ?? 0) + item.value);
    }
    for (const total of byExam.values()) expect(total).toBeCloseTo(1, 10);
  });

  it("has GAOKAO-like values: mean 1/25, right-skewed, correlated with difficulty but not equal to it", () => {
    const { train, test } = generateExams(defaults, 0);
    const all = [...train, ...test];
    const values = all.map((i) => i.value);
    const m = mean(values);
    // Each exam's values sum to 1 over 25 questions, so the mean is exactly 0.04.
    expect(m).toBeCloseTo(0.04, 10);
    const sorted = [...values].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(m); // median below mean: right skew
    const sd = Math.sqrt(mean(values.map((v) => (v - m) ** 2)));
    const skew = mean(values.map((v) => ((v - m) / sd) ** 3));
    expect(skew).toBeGreaterThan(1);
    const testMax = Math.max(...test.map((i) => i.value));
    expect(testMax).toBeGreaterThan(0.12);
    expect(testMax).toBeLessThan(0.4);
    const ks = all.map((i) => i.difficulty!);
    const mk = mean(ks);
    const r =
      mean(values.map((v, j) => (v - m) * (ks[j] - mk))) /
      (sd * Math.sqrt(mean(ks.map((k) => (k - mk) ** 2))));
    expect(r).toBeGreaterThan(0.4);
    expect(r).toBeLessThan(0.85);
    // Every difficulty from 1 to 7 occurs.
    expect(new Set(ks)).toEqual(new Set([1, 2, 3, 4, 5, 6, 7]));
  });

  it("hides the points when asked", () => {
    const { test } = generateExams({ ...defaults, showPoints: false, trainExams: 1, testExams: 1 }, 0);
    for (const item of test) expect(item.prompt).not.toContain("[");
  });

  it("rejects an inverted difficulty range", () => {
    expect(() => TaskConfigSchema.parse({ minSteps: 5, maxSteps: 3 })).toThrow(/minSteps/);
  });
});

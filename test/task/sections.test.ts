import { describe, expect, it } from "vitest";
import { SftConfigSchema } from "../../src/config/sft.js";
import { TaskConfigSchema } from "../../src/config/task.js";
import { generateExams } from "../../src/task/exams.js";
import { workedShareFor } from "../../src/train/sft.js";

/** The first train prompt of the default task, as the generator made it before sections existed. */
const PINNED_FIRST_PROMPT = "[03]3+2=____________";

const task = TaskConfigSchema.parse({
  questionsPerExam: 10,
  trainExams: 40,
  testExams: 4,
  sections: [
    { points: 1, count: 5 },
    { points: 9, count: 5 },
  ],
});

describe("section-valued exams", () => {
  it("each exam has the sections' counts, points printed as the marker, values points/50", () => {
    const { train } = generateExams(task);
    const exams = new Map<string, typeof train>();
    for (const i of train) exams.set(i.examId, [...(exams.get(i.examId) ?? []), i]);
    expect(exams.size).toBe(40);
    for (const items of exams.values()) {
      expect(items.filter((i) => i.points === 1)).toHaveLength(5);
      expect(items.filter((i) => i.points === 9)).toHaveLength(5);
      for (const i of items) {
        expect(i.examTotal).toBe(50);
        expect(i.value).toBeCloseTo(i.points / 50, 15);
        expect(i.prompt.startsWith(i.points === 1 ? "[01]" : "[09]")).toBe(true);
        expect((i.meta as { section: number }).section).toBe(i.points === 1 ? 0 : 1);
      }
    }
  });

  it("section is independent of chain length (both sections at every length, roughly half each)", () => {
    const { train } = generateExams({ ...task, trainExams: 200 });
    for (let k = 1; k <= 7; k++) {
      const atK = train.filter((i) => i.difficulty === k);
      const high = atK.filter((i) => i.points === 9).length / atK.length;
      expect(high).toBeGreaterThan(0.38);
      expect(high).toBeLessThan(0.62);
    }
  });

  it("rejects counts that do not sum to questionsPerExam, and points wider than pointsDigits", () => {
    expect(() =>
      TaskConfigSchema.parse({ questionsPerExam: 9, sections: [{ points: 1, count: 5 }] }),
    ).toThrow(/sum to questionsPerExam/);
    expect(() =>
      TaskConfigSchema.parse({ questionsPerExam: 5, pointsDigits: 1, sections: [{ points: 12, count: 5 }] }),
    ).toThrow(/pointsDigits/);
  });

  it("without sections the exams are the committed generator's (first prompt pinned)", () => {
    const plain = generateExams(TaskConfigSchema.parse({ trainExams: 1, testExams: 1 })).train;
    expect(plain[0].meta).not.toHaveProperty("section");
    expect(plain[0].prompt).toBe(PINNED_FIRST_PROMPT);
  });
});

describe("the capacity probe's value-conditioned warm-up rule", () => {
  // λ = 0.11: work iff s(x)·0.9 > 0.11·(2k + 1). s = 1.2 (v 0.02): k = 4 → 1.08 > 0.99 works; k = 5 → 1.08 < 1.21 guesses.
  // s = 2.0 (v 0.18): k = 7 → 1.8 > 1.65 works.
  const sc = SftConfigSchema.parse({ workedRule: { lengthCost: 0.11 } });
  it("works iff the stake beats the length price, by hand", () => {
    expect(workedShareFor(sc, 4, 0.02)).toBe(1);
    expect(workedShareFor(sc, 5, 0.02)).toBe(0);
    expect(workedShareFor(sc, 7, 0.02)).toBe(0);
    expect(workedShareFor(sc, 5, 0.18)).toBe(1);
    expect(workedShareFor(sc, 7, 0.18)).toBe(1);
  });
  it("falls back to workedShare when the value is not given", () => {
    expect(workedShareFor(sc, 5)).toBe(0.5);
  });
});

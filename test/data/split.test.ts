import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { importGaokao } from "../../src/data/importers/gaokao.js";
import type { Item } from "../../src/data/item.js";
import { splitByExam } from "../../src/data/split.js";
import { duplicateKey } from "../../src/data/text-hash.js";
import { Rng } from "../../src/util/rng.js";
import { sharedData, skipWithoutSharedData } from "../helpers/cli.js";

function item(id: string, examId: string, prompt: string): Item {
  return {
    id,
    prompt,
    reference: "1",
    answerType: "number",
    examId,
    points: 1,
    examTotal: 100,
    value: 0.01,
    split: "train",
    meta: {},
  };
}

/** Exams A (3 items), B (2) and C (5); B and C share the question "shared". */
function smallSet(): Item[] {
  return [
    item("a1", "A", "a one"),
    item("a2", "A", "a two"),
    item("a3", "A", "a three"),
    item("b1", "B", "b one"),
    item("b2", "B", "shared"),
    item("c1", "C", "shared "),
    item("c2", "C", "c two"),
    item("c3", "C", "c three"),
    item("c4", "C", "c four"),
    item("c5", "C", "c five"),
  ];
}

const sideOf = (items: Item[]) => new Map(items.map((it) => [it.id, it.split]));

describe("train/test split by exam", () => {
  it("exams sharing a question stay together, for every seed", () => {
    for (let seed = 0; seed < 25; seed++) {
      const { items, summary } = splitByExam(smallSet(), { testFraction: 0.3, seed });
      const side = sideOf(items);
      expect(side.get("b1")).toBe(side.get("c1"));
      expect(summary.units).toBe(2); // {A} and {B, C}
      expect(summary.linkedExams).toBe(2);
      // 30% of 10 = 3: unit {A} (3 items) is exactly the target, {B, C} (7) overshoots more than it helps.
      expect(items.filter((it) => it.split === "test").map((it) => it.id)).toEqual(["a1", "a2", "a3"]);
    }
  });

  it("without text grouping, B and C are separate units", () => {
    const { summary } = splitByExam(smallSet(), { testFraction: 0.3, seed: 0, groupByText: false });
    expect(summary.units).toBe(3);
    expect(summary.linkedExams).toBe(0);
  });

  it("fractions 0 and 1 put everything on one side; names are configurable", () => {
    expect(
      splitByExam(smallSet(), { testFraction: 0, seed: 1 }).items.every((it) => it.split === "train"),
    ).toBe(true);
    const all = splitByExam(smallSet(), { testFraction: 1, seed: 1, testName: "eval" });
    expect(all.items.every((it) => it.split === "eval")).toBe(true);
    expect(all.summary.test).toEqual({ items: 10, exams: 3 });
    expect(() => splitByExam(smallSet(), { testFraction: 1.2, seed: 0 })).toThrow(RangeError);
  });

  const arbItems = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 11 }), fc.integer({ min: 0, max: 40 })), {
      minLength: 1,
      maxLength: 120,
    })
    .map((rows) => rows.map(([exam, text], i) => item(`i${i}`, `E${exam}`, `question ${text}`)));

  it("never splits an exam or a shared question; is independent of input order; lands near the target", () => {
    fc.assert(
      fc.property(
        arbItems,
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(1000),
        (items, testFraction, seed) => {
          const { items: out, summary } = splitByExam(items, { testFraction, seed });
          const examSide = new Map<string, string>();
          const textSide = new Map<string, string>();
          for (const it of out) {
            expect(examSide.get(it.examId) ?? it.split).toBe(it.split);
            examSide.set(it.examId, it.split);
            const key = duplicateKey(it.prompt);
            expect(textSide.get(key) ?? it.split).toBe(it.split);
            textSide.set(key, it.split);
          }
          // The same items in another order get the same sides.
          const shuffled = new Rng(seed).shuffle(items);
          const side = sideOf(splitByExam(shuffled, { testFraction, seed }).items);
          for (const it of out) expect(side.get(it.id)).toBe(it.split);
          // Loose here (units merge through shared texts); the precise bound is tested below.
          const target = Math.round(testFraction * items.length);
          expect(Math.abs(summary.test.items - target)).toBeLessThanOrEqual(items.length / 2);
          expect(summary.train.items + summary.test.items).toBe(items.length);
        },
      ),
      { numRuns: 300, seed: 42 },
    );
  });

  it("the greedy bound: |test - target| is at most half the largest unit", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 30 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat(1000),
        (sizes, testFraction, seed) => {
          // Exam k has sizes[k] items with distinct texts: every exam is its own unit.
          const items = sizes.flatMap((n, k) =>
            Array.from({ length: n }, (_, j) => item(`e${k}-${j}`, `E${k}`, `t${k}-${j}`)),
          );
          const { summary } = splitByExam(items, { testFraction, seed });
          const target = Math.round(testFraction * items.length);
          expect(Math.abs(summary.test.items - target)).toBeLessThanOrEqual(Math.max(...sizes) / 2);
        },
      ),
      { numRuns: 300, seed: 43 },
    );
  });

  it.skipIf(skipWithoutSharedData("GAOKAO split"))(
    "GAOKAO: no exam and no shared question on both sides",
    async () => {
      const items = await importGaokao(join(sharedData, "gaokao_bench/raw"));
      const { items: out, summary } = splitByExam(items, { testFraction: 0.2, seed: 0 });
      const train = out.filter((it) => it.split === "train");
      const test = out.filter((it) => it.split === "test");
      const trainExams = new Set(train.map((it) => it.examId));
      const trainTexts = new Set(train.map((it) => duplicateKey(it.prompt)));
      expect(test.some((it) => trainExams.has(it.examId))).toBe(false);
      expect(test.some((it) => trainTexts.has(duplicateKey(it.prompt)))).toBe(false);
      expect(summary.train.exams + summary.test.exams).toBe(175);
      // Texts shared across exams link them (README: 28 texts, mostly 数学(理)/数学(文) of one year).
      expect(summary.linkedExams).toBeGreaterThan(0);
      expect(summary.units).toBeLessThan(175);
      expect(Math.abs(test.length - 0.2 * 2811)).toBeLessThan(60);
    },
  );
});

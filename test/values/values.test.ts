import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Item } from "../../src/data/item.js";
import { ItemChecker } from "../../src/data/validate.js";
import { shuffleValues as rewardShuffle } from "../../src/rewards/shuffle.js";
import { shuffleItemValues } from "../../src/values/shuffle.js";
import { applyExamTotals, examPointsInDataset, examValue } from "../../src/values/value.js";
import {
  classOfLevel,
  DIFFICULTY_CLASSES,
  difficultyClassOf,
  parseDifficultyClass,
  weakValue,
  withWeakValue,
} from "../../src/values/weak.js";

function item(
  id: string,
  examId: string,
  points: number,
  examTotal: number,
  extra: Partial<Item> = {},
): Item {
  return {
    id,
    prompt: `q ${id}`,
    reference: "1",
    answerType: "number",
    examId,
    points,
    examTotal,
    value: points / examTotal,
    split: "train",
    meta: {},
    ...extra,
  };
}

const valid = (items: Item[]) => {
  const c = new ItemChecker();
  items.forEach((it, row) => {
    c.check(it, { file: "mem", row });
  });
};

describe("v = points / exam total (docs/method.md#values)", () => {
  it("fixed vectors", () => {
    expect(examValue(5, 150)).toBe(5 / 150);
    expect(examValue(6, 300)).toBe(0.02);
    expect(examValue(150, 150)).toBe(1);
    expect(() => examValue(0, 150)).toThrow(RangeError);
    expect(() => examValue(5, 0)).toThrow(RangeError);
  });

  // Exam A (official 150): 5, 10 and 15 points, plus a flagged copy of the 10-point item.
  // Exam B (official 300): one 12-point item.
  const exam = () => [
    item("a1", "A", 5, 150, { meta: { officialExamTotal: 150 } }),
    item("a2", "A", 10, 150, { meta: { officialExamTotal: 150 } }),
    item("a3", "A", 15, 150, { meta: { officialExamTotal: 150 } }),
    item("a2-copy", "A", 10, 150, { meta: { officialExamTotal: 150, duplicateOf: "a2" } }),
    item("b1", "B", 12, 300, { meta: { officialExamTotal: 300 } }),
  ];

  it("in-data-set totals sum each exam's points, duplicates left out", () => {
    expect(examPointsInDataset(exam())).toEqual(
      new Map([
        ["A", 30],
        ["B", 12],
      ]),
    );
    const out = applyExamTotals(exam(), "dataset");
    // A: 5/30, 10/30, 15/30, the copy 10/30; B: 12/12.
    expect(out.map((it) => it.value)).toEqual([1 / 6, 1 / 3, 1 / 2, 1 / 3, 1]);
    expect(out.map((it) => it.examTotal)).toEqual([30, 30, 30, 30, 12]);
    expect(out.every((it) => it.meta.examTotalRule === "dataset" && it.meta.valueSource === "exam")).toBe(
      true,
    );
    valid(out);
  });

  it("switching back to official totals restores the original values", () => {
    const back = applyExamTotals(applyExamTotals(exam(), "dataset"), "official");
    expect(back.map((it) => it.value)).toEqual([5 / 150, 10 / 150, 15 / 150, 10 / 150, 12 / 300]);
    expect(back.map((it) => it.meta.examTotalRule)).toEqual(Array(5).fill("official"));
  });

  it("official totals without a recorded official total keep examTotal and record it", () => {
    const [out] = applyExamTotals([item("x", "X", 3, 120)], "official");
    expect(out).toMatchObject({
      examTotal: 120,
      value: 3 / 120,
      meta: { officialExamTotal: 120, examTotalRule: "official" },
    });
  });

  it("cannot go back to official totals when none was recorded", () => {
    const summed = item("x", "X", 3, 3, { meta: { examTotalRule: "dataset" } });
    expect(() => applyExamTotals([summed], "official")).toThrow(/no meta.officialExamTotal/);
  });
});

describe("weak values (docs/method.md#weak-values: classes 1, 2, 4, 6, 8 / 100)", () => {
  it("class → value", () => {
    expect(DIFFICULTY_CLASSES.map(weakValue)).toEqual([0.01, 0.02, 0.04, 0.06, 0.08]);
  });

  it("MATH levels 1–5 map onto the classes in order", () => {
    expect([1, 2, 3, 4, 5].map((l) => classOfLevel(l))).toEqual(DIFFICULTY_CLASSES.slice());
    expect(classOfLevel(0)).toBeUndefined();
    expect(classOfLevel(6)).toBeUndefined();
    expect(classOfLevel(2.5)).toBeUndefined();
  });

  it("class names in several spellings", () => {
    expect(parseDifficultyClass("Junior High")).toBe("junior_high");
    expect(parseDifficultyClass("senior-high")).toBe("senior_high");
    expect(parseDifficultyClass("PhD")).toBe("phd");
    expect(parseDifficultyClass("college")).toBeUndefined();
  });

  it("a weak item keeps value = points / examTotal and records its exam numbers", () => {
    const w = withWeakValue(item("q", "E", 12, 150), "university");
    expect(w).toMatchObject({ points: 6, examTotal: 100, value: 0.06 });
    expect(w.meta).toMatchObject({
      valueSource: "weak",
      difficultyClass: "university",
      examScore: { points: 12, examTotal: 150, value: 12 / 150 },
    });
    valid([w]);
  });

  it("class from meta.difficultyClass first, else from difficulty 1–5", () => {
    expect(difficultyClassOf(item("a", "E", 1, 10, { difficulty: 4 }))).toEqual({ cls: "university" });
    expect(
      difficultyClassOf(item("a", "E", 1, 10, { difficulty: 9, meta: { difficultyClass: "primary" } })),
    ).toEqual({
      cls: "primary",
    });
    expect(difficultyClassOf(item("a", "E", 1, 10))).toMatchObject({ field: "difficulty" });
    expect(difficultyClassOf(item("a", "E", 1, 10, { difficulty: 7 }))).toMatchObject({
      field: "difficulty",
    });
    expect(difficultyClassOf(item("a", "E", 1, 10, { meta: { difficultyClass: "toddler" } }))).toMatchObject({
      field: "meta.difficultyClass",
    });
  });
});

describe("shuffled values (the random-weights ablation)", () => {
  const arbItems = fc
    .array(fc.tuple(fc.integer({ min: 1, max: 30 }), fc.boolean(), fc.integer({ min: 0, max: 4 })), {
      minLength: 1,
      maxLength: 60,
    })
    .map((rows) =>
      rows.map(([points, isTest, exam], i) =>
        item(`i${i}`, `E${exam}`, points, 150, { split: isTest ? "test" : "train" }),
      ),
    );

  it("permutes values within the train split only: same multiset, test untouched, valid items", () => {
    fc.assert(
      fc.property(arbItems, fc.nat(), (items, seed) => {
        const out = shuffleItemValues(items, { seed });
        const sorted = (xs: Item[]) => xs.map((it) => it.value).sort((a, b) => a - b);
        expect(sorted(out.filter((it) => it.split === "train"))).toEqual(
          sorted(items.filter((it) => it.split === "train")),
        );
        out.forEach((it, i) => {
          expect(it.points).toBe(items[i].points);
          if (it.split === "test") expect(it).toEqual(items[i]);
          else
            expect(it.meta).toMatchObject({
              valueSource: "shuffled",
              originalValue: items[i].value,
              shuffleSeed: seed,
            });
        });
        valid(out);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it("is a function of the seed", () => {
    const items = Array.from({ length: 40 }, (_, i) => item(`i${i}`, "E", 1 + i, 150));
    const a = shuffleItemValues(items, { seed: 1 }).map((it) => it.value);
    expect(shuffleItemValues(items, { seed: 1 }).map((it) => it.value)).toEqual(a);
    expect(shuffleItemValues(items, { seed: 2 }).map((it) => it.value)).not.toEqual(a);
    // With 40 distinct values, a shuffle that leaves them all in place has probability 1/40!.
    expect(a).not.toEqual(items.map((it) => it.value));
  });

  it("gives the same permutation as the reward layer's shuffled-reward ablation for the same seed", () => {
    const items = Array.from({ length: 25 }, (_, i) =>
      item(`i${i}`, `E${i % 3}`, 1 + i, 150, { split: i % 4 === 0 ? "test" : "train" }),
    );
    const ours = shuffleItemValues(items, { seed: 17 });
    const theirs = rewardShuffle(
      items.filter((it) => it.split === "train"),
      17,
    );
    for (const it of ours) if (it.split === "train") expect(it.value).toBe(theirs.get(it.id));
  });

  it("split null shuffles every item; shuffling twice keeps the first original value", () => {
    const items = [item("a", "E", 1, 10, { split: "test" }), item("b", "E", 2, 10), item("c", "E", 3, 10)];
    const all = shuffleItemValues(items, { seed: 3, split: null });
    expect(all.every((it) => it.meta.valueSource === "shuffled")).toBe(true);
    const twice = shuffleItemValues(all, { seed: 4, split: null });
    expect(twice.map((it) => it.meta.originalValue)).toEqual([0.1, 0.2, 0.3]);
  });

  it("recomputing exam totals undoes a shuffle", () => {
    const items = Array.from({ length: 10 }, (_, i) => item(`i${i}`, "E", 1 + i, 150));
    const back = applyExamTotals(shuffleItemValues(items, { seed: 9 }), "official");
    expect(back.map((it) => it.value)).toEqual(items.map((it) => it.value));
    expect(back.every((it) => it.meta.valueSource === "exam" && it.meta.originalValue === undefined)).toBe(
      true,
    );
  });
});

import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Item } from "../../src/data/item.js";

export function tempDir(prefix = "rlev-data-"): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A small exam: three items of 5, 10 and 15 points in a 150-point paper (values 1/30, 1/15, 1/10). */
export function sampleItems(): Item[] {
  return [
    {
      id: "ex/1",
      prompt: "1 + 1 = ?",
      reference: "2",
      answerType: "number",
      examId: "2020|demo|数学",
      points: 5,
      examTotal: 150,
      value: 5 / 150,
      split: "train",
      meta: {},
    },
    {
      id: "ex/2",
      prompt: "Pick the prime numbers. A. 4 B. 5 C. 7",
      reference: ["B", "C"],
      answerType: "choice_list",
      examId: "2020|demo|数学",
      points: 10,
      examTotal: 150,
      value: 10 / 150,
      difficulty: 3,
      split: "train",
      meta: { subject: "Math", nested: { list: [1, 2, 3] } },
    },
    {
      id: "ex/3",
      prompt: "求 $\\int_0^1 x\\,dx$。",
      reference: "\\frac{1}{2}",
      answerType: "math",
      examId: "2021|demo|数学",
      points: 15,
      examTotal: 150,
      value: 15 / 150,
      split: "test",
      meta: { valueSource: "exam" },
    },
  ];
}

/** `count` valid items spread over `exams` exams, for bigger files. */
export function manyItems(count: number, exams = 7): Item[] {
  return Array.from({ length: count }, (_, i) => ({
    id: `gen/${i}`,
    prompt: `Question ${i}: what is ${i} + ${i}? 中文 ${"x".repeat(i % 13)}`,
    reference: i % 4 === 0 ? ["A", "C"] : String(2 * i),
    answerType: i % 4 === 0 ? ("choice_list" as const) : ("number" as const),
    examId: `exam-${i % exams}`,
    points: 1 + (i % 6),
    examTotal: 150,
    value: (1 + (i % 6)) / 150,
    difficulty: i % 3 === 0 ? undefined : 1 + (i % 5),
    split: i % 5 === 0 ? "test" : "train",
    meta: { n: i },
  })).map((it) => {
    if (it.difficulty === undefined) delete (it as { difficulty?: number }).difficulty;
    return it;
  });
}

import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { lastBoxed } from "../../src/data/importers/boxed.js";
import { classOfSteps, gsm8kFinalAnswer, gsm8kSteps, importGsm8k } from "../../src/data/importers/gsm8k.js";
import { importMath, mathLevel } from "../../src/data/importers/math.js";
import { InputError } from "../../src/util/errors.js";
import { sharedData, skipWithoutSharedData } from "../helpers/cli.js";
import { tempDir } from "./fixtures.js";

const jsonl = (rows: unknown[]) => `${rows.map((r) => JSON.stringify(r)).join("\n")}\n`;
const readRows = (file: string) =>
  readFileSync(file, "utf8")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l));

describe("MATH answers and levels", () => {
  it("the last \\boxed{} with balanced braces", () => {
    expect(lastBoxed("so $\\boxed{2}$ and then $\\boxed{\\frac{1}{2}}$.")).toBe("\\frac{1}{2}");
    expect(lastBoxed("$\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}$")).toBe(
      "\\left( 3, \\frac{\\pi}{2} \\right)",
    );
    expect(lastBoxed("$\\boxed{\\{1,2\\}}$")).toBe("\\{1,2\\}");
    expect(lastBoxed("$\\boxed 5$.")).toBe("5");
    expect(lastBoxed("\\fbox{x+1}")).toBe("x+1");
    expect(lastBoxed("no answer")).toBeUndefined();
    expect(lastBoxed("\\boxed{unclosed")).toBeUndefined();
  });

  it("levels from 5, 'Level 5' or level_int", () => {
    expect(mathLevel({ level: 5 })).toBe(5);
    expect(mathLevel({ level: "Level 3" })).toBe(3);
    expect(mathLevel({ level: "Level ?" })).toBeUndefined();
    expect(mathLevel({ level: "Level 3", level_int: 3 })).toBe(3);
  });

  it("imports with level → weak value, exams by subject or by chunk", async () => {
    const file = join(tempDir(), "mini_math.jsonl");
    writeFileSync(
      file,
      jsonl([
        { problem: "p1", solution: "... $\\boxed{7}$", level: "Level 1", type: "Algebra" },
        { problem: "p2", answer: "x^2", level: 5, subject: "Geometry", unique_id: "test/geometry/1.json" },
        { problem: "p3", solution: "$\\boxed{\\frac{3}{4}}$", level: "Level 3", type: "Algebra", id: "my/3" },
      ]),
    );
    const items = await importMath(file);
    expect(items.map((it) => [it.id, it.reference, it.examId, it.points, it.value, it.difficulty])).toEqual([
      ["mini_math/0", "7", "mini_math|Algebra", 1, 0.01, 1],
      ["math/test/geometry/1.json", "x^2", "mini_math|Geometry", 8, 0.08, 5],
      ["my/3", "\\frac{3}{4}", "mini_math|Algebra", 4, 0.04, 3],
    ]);
    expect(items[0]).toMatchObject({
      answerType: "math",
      examTotal: 100,
      meta: { valueSource: "weak", difficultyClass: "primary" },
    });
    const chunked = await importMath(file, { examBy: "chunk", examSize: 2 });
    expect(chunked.map((it) => it.examId)).toEqual([
      "mini_math|chunk0000",
      "mini_math|chunk0000",
      "mini_math|chunk0001",
    ]);
  });

  it("unknown levels fail with file, line and field, or are skipped on request", async () => {
    const file = join(tempDir(), "m.jsonl");
    writeFileSync(
      file,
      jsonl([
        { problem: "p", answer: "1", level: 2 },
        { problem: "q", answer: "2", level: "Level ?" },
      ]),
    );
    const err = await importMath(file).catch((e) => e);
    expect(err).toBeInstanceOf(InputError);
    expect(err.location).toEqual({ file, line: 2, field: "level" });
    expect((await importMath(file, { onUnknownLevel: "skip" })).length).toBe(1);
    writeFileSync(file, jsonl([{ problem: "p", solution: "no box", level: 2 }]));
    expect((await importMath(file).catch((e) => e)).location).toEqual({ file, line: 1, field: "solution" });
  });
});

describe("GSM8K answers and steps", () => {
  it("the number after ####, commas removed", () => {
    expect(gsm8kFinalAnswer("a\nb\n#### 1,234")).toBe("1234");
    expect(gsm8kFinalAnswer("#### -3.5 ")).toBe("-3.5");
    expect(gsm8kFinalAnswer("no marker")).toBeUndefined();
    expect(gsm8kFinalAnswer("#### about 5")).toBeUndefined();
  });

  it("steps and their classes", () => {
    expect(gsm8kSteps("line 1\n\nline 2\n#### 3")).toBe(2);
    expect([1, 2, 3, 4, 5, 6, 9].map(classOfSteps)).toEqual([
      "primary",
      "primary",
      "junior_high",
      "senior_high",
      "university",
      "phd",
      "phd",
    ]);
  });

  it("imports uniform or step-count weak values in pseudo-exams", async () => {
    const file = join(tempDir(), "test.jsonl");
    const row = (n: number, ans: string) => ({
      question: `q${n}`,
      answer: `${Array.from({ length: n }, (_, i) => `step ${i}`).join("\n")}\n#### ${ans}`,
    });
    writeFileSync(file, jsonl([row(2, "18"), row(4, "1,000"), row(7, "-2")]));
    const uniform = await importGsm8k(file, { examSize: 2 });
    expect(uniform.map((it) => [it.id, it.reference, it.value, it.difficulty, it.examId])).toEqual([
      ["gsm8k/test/0", "18", 0.01, 2, "test|chunk0000"],
      ["gsm8k/test/1", "1000", 0.01, 4, "test|chunk0000"],
      ["gsm8k/test/2", "-2", 0.01, 7, "test|chunk0001"],
    ]);
    expect(uniform[0].answerType).toBe("number");
    const steps = await importGsm8k(file, { weak: "steps" });
    expect(steps.map((it) => it.value)).toEqual([0.01, 0.04, 0.08]);
    writeFileSync(file, jsonl([row(2, "18"), { question: "q", answer: "no final answer" }]));
    expect((await importGsm8k(file).catch((e) => e)).location).toEqual({ file, line: 2, field: "answer" });
  });
});

describe("MATH and GSM8K importers on ../shared/data", () => {
  const skip = skipWithoutSharedData("MATH/GSM8K import");

  it.skipIf(skip)(
    "MATH-500: 500 items, levels 43/90/105/128/134, \\boxed answers equal OpenAI's",
    async () => {
      const file = join(sharedData, "math/math500_test.jsonl");
      const items = await importMath(file);
      expect(items.length).toBe(500);
      const byValue = new Map<number, number>();
      for (const it of items) byValue.set(it.value, (byValue.get(it.value) ?? 0) + 1);
      expect(Object.fromEntries([...byValue].sort((a, b) => a[0] - b[0]))).toEqual({
        0.01: 43,
        0.02: 90,
        0.04: 105,
        0.06: 128,
        0.08: 134,
      });
      expect(new Set(items.map((it) => it.examId)).size).toBe(7);
      const rows = readRows(file);
      expect(rows.filter((r) => lastBoxed(r.solution) === r.answer).length).toBe(500);
    },
  );

  it.skipIf(skip)("MATH test without MATH-500: 4,500 items, answers from the solutions", async () => {
    const file = join(sharedData, "math/math_test_excl500.jsonl");
    const rows = readRows(file);
    // Drop the derived answer so the importer must extract it from \boxed{}.
    const stripped = join(tempDir(), "math_test.jsonl");
    writeFileSync(stripped, jsonl(rows.map(({ answer: _a, level_int: _l, ...r }) => r)));
    const items = await importMath(stripped);
    expect(items.length).toBe(4500);
    expect(
      items.filter((it, i) => it.reference === rows[i].answer && it.difficulty === rows[i].level_int).length,
    ).toBe(4500);
  });

  it.skipIf(skip)(
    "GSM8K: the final answer and step count of every row agree with the derived fields",
    async () => {
      for (const [name, n] of [
        ["gsm8k_train", 7473],
        ["gsm8k_test", 1319],
      ] as const) {
        const file = join(sharedData, `gsm8k/${name}.jsonl`);
        const rows = readRows(file);
        const items = await importGsm8k(file, { weak: "steps" });
        expect(items.length).toBe(n);
        expect(items.filter((it, i) => it.reference === rows[i].final_answer).length).toBe(n);
        expect(items.filter((it, i) => it.difficulty === rows[i].n_solution_lines).length).toBe(n);
      }
    },
  );
});

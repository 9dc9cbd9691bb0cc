import { describe, expect, it } from "vitest";
import { parseConfig } from "../../src/config/index.js";
import type { Item } from "../../src/data/item.js";
import { breakEvenByDifficulty, breakEvenScale, breakEvenTable } from "../../src/experiment/break-even.js";
import { generateExams } from "../../src/task/exams.js";
import { record } from "./fixtures.js";

/** A chain item of `steps` steps with value v (only what the analysis reads). */
const chain = (id: string, steps: number, value: number): Item =>
  ({
    id,
    prompt: "",
    reference: "0",
    value,
    meta: { terms: Array.from({ length: steps + 1 }, () => 1), steps, modulus: 10 },
  }) as unknown as Item;

describe("breakEvenScale (worked by hand)", () => {
  it("s*(k) = λ·(L_w − L_d)/(a_w − a_d) with L_w = 2k + 4, L_d = 3", () => {
    // k = 4, λ = 0.1: 0.1·(12 − 3)/(1 − 0.1) = 0.9/0.9 = 1
    expect(breakEvenScale(4, 0.1, 1, 0.1)).toBeCloseTo(1, 12);
    // k = 1, λ = 0.14: 0.14·3/0.9 = 0.46667
    expect(breakEvenScale(1, 0.14, 1, 0.1)).toBeCloseTo(0.42 / 0.9, 12);
    // k = 7, λ = 0.1, a_w = 0.8: 0.1·15/0.7 = 2.142857
    expect(breakEvenScale(7, 0.1, 0.8, 0.1)).toBeCloseTo(1.5 / 0.7, 12);
    expect(breakEvenScale(3, 0, 1, 0.1)).toBe(0);
  });

  it("refuses a worked answer that is no better than a guess", () => {
    expect(() => breakEvenScale(2, 0.1, 0.1, 0.1)).toThrow(/must beat a guess/);
  });
});

describe("breakEvenByDifficulty (worked by hand)", () => {
  // α = 10, clip 1: v = 0.02 → s = 1.2, v = 0.08 → s = 1.8; s̄ = (1.2 + 1.8 + 1.2 + 1.8)/4 = 1.5.
  // λ = 0.1: s*(1) = 0.3/0.9 = 0.333, s*(6) = 1.3/0.9 = 1.444.
  const items = [chain("a", 1, 0.02), chain("b", 1, 0.08), chain("c", 6, 0.02), chain("d", 6, 0.08)];
  const a = breakEvenByDifficulty(items, { alpha: 10, clip: 1, lengthCost: 0.1 });

  it("finds s̄, s*(k) and each reward's best action", () => {
    expect(a.uniformScale).toBeCloseTo(1.5, 12);
    expect(a.directAcc).toBeCloseTo(0.1, 12);
    expect(a.rows.map((r) => r.steps)).toEqual([1, 6]);
    const [k1, k6] = a.rows;
    expect(k1.breakEven).toBeCloseTo(0.3 / 0.9, 12);
    expect(k6.breakEven).toBeCloseTo(1.3 / 0.9, 12);
    expect(k1.medianScale).toBeCloseTo(1.5, 12);
    // k = 1: every reward works it out.
    expect(k1.bestWorked).toEqual({ correctness: 1, uniform: 1, uniformByDifficulty: 1, rlev: 1 });
    expect(k1.valueDecisive).toBe(0);
    // k = 6: correctness guesses (1 < 1.444), uniform works (1.5 > 1.444), RLEV works only the s = 1.8 item.
    expect(k6.bestWorked.correctness).toBe(0);
    expect(k6.bestWorked.uniform).toBe(1);
    expect(k6.bestWorked.rlev).toBeCloseTo(0.5, 12);
    // The s = 1.2 item is decided by its value; at stake: |1.2 − 1.444|·0.9 = 0.22.
    expect(k6.valueDecisive).toBeCloseTo(0.5, 12);
    expect(k6.decisiveStake).toBeCloseTo((1.3 / 0.9 - 1.2) * 0.9, 12);
    // Uniform-by-difficulty at k = 6: s̄(6) = (1.2 + 1.8)/2 = 1.5 > 1.444, works; the same item is decisive within k.
    expect(k6.difficultyScale).toBeCloseTo(1.5, 12);
    expect(k6.bestWorked.uniformByDifficulty).toBe(1);
    expect(k6.valueDecisiveWithin).toBeCloseTo(0.5, 12);
    expect(k6.withinStake).toBeCloseTo((1.3 / 0.9 - 1.2) * 0.9, 12);
    expect(a.all.items).toBe(4);
    expect(a.all.bestWorked.correctness).toBeCloseTo(0.5, 12);
    expect(a.all.bestWorked.uniform).toBeCloseTo(1, 12);
    expect(a.all.bestWorked.rlev).toBeCloseTo(0.75, 12);
    expect(a.all.valueDecisive).toBeCloseTo(0.25, 12);
  });

  it("gives the H-Acc each reward's best actions would reach (a_w = 1, a_d = 0.1)", () => {
    // k = 6 holds v = 0.02 and 0.08. Correctness guesses both: (0.002 + 0.008)/0.1 = 0.1.
    // RLEV works the v = 0.08 item only: (0.002 + 0.08)/0.1 = 0.82. Uniform works both: 1.
    expect(a.rows[1].bestHAcc.correctness).toBeCloseTo(0.1, 12);
    expect(a.rows[1].bestHAcc.rlev).toBeCloseTo(0.82, 12);
    expect(a.rows[1].bestHAcc.uniform).toBeCloseTo(1, 12);
    // All four items (Σv = 0.2): correctness (0.1 + 0.01)/0.2 = 0.55, RLEV (0.1 + 0.082)/0.2 = 0.91.
    expect(a.all.bestHAcc.correctness).toBeCloseTo(0.55, 12);
    expect(a.all.bestHAcc.rlev).toBeCloseTo(0.91, 12);
    expect(a.all.bestHAcc.uniform).toBeCloseTo(1, 12);
  });

  it("counts an item on the break-even point itself as indifferent (½)", () => {
    // k = 4, λ = 0.1: s* = 1 exactly, correctness (s = 1) is indifferent.
    const b = breakEvenByDifficulty([chain("e", 4, 0.05)], { alpha: 10, clip: 1, lengthCost: 0.1 });
    expect(b.rows[0].bestWorked.correctness).toBe(0.5);
  });

  it("uses a given s̄ instead of the train-set mean", () => {
    const b = breakEvenByDifficulty(items, { alpha: 10, clip: 1, lengthCost: 0.1, uniformScale: 1.3 });
    expect(b.uniformScale).toBe(1.3);
    expect(b.rows[1].bestWorked.uniform).toBe(0);
    // Now the s = 1.8 item at k = 6 is the value-decisive one.
    expect(b.rows[1].valueDecisive).toBeCloseTo(0.5, 12);
    expect(b.rows[1].decisiveStake).toBeCloseTo((1.8 - 1.3 / 0.9) * 0.9, 12);
  });

  it("reads difficulties and values from the task's own items", () => {
    const task = parseConfig({ task: { trainExams: 4, testExams: 1 } }).task;
    const train = generateExams(task).train;
    const b = breakEvenByDifficulty(train, { alpha: 10, clip: 1, lengthCost: 0.1 });
    expect(b.all.items).toBe(train.length);
    expect(b.rows.reduce((s, r) => s + r.items, 0)).toBe(train.length);
    // s* grows with difficulty: each step adds 2 tokens of cost.
    for (let i = 1; i < b.rows.length; i++)
      expect(b.rows[i].breakEven).toBeGreaterThan(b.rows[i - 1].breakEven);
  });
});

describe("breakEvenTable", () => {
  it("puts computed optima beside the worked share the runs learned, mean over seeds", () => {
    const items = [chain("a", 1, 0.02), chain("b", 1, 0.08), chain("c", 6, 0.02), chain("d", 6, 0.08)];
    const analysis = breakEvenByDifficulty(items, { alpha: 10, clip: 1, lengthCost: 0.1 });
    const learned = (cell: string, seed: number, k6: number) =>
      record(cell, seed, 0.5, {
        final: {
          workedShare: (1 + k6) / 2,
          byDifficulty: [
            { difficulty: 1, n: 2, acc: 1, meanLength: 6, workedShare: 1 },
            { difficulty: 6, n: 2, acc: 0.5, meanLength: 10, workedShare: k6 },
          ],
        } as never,
      });
    const t = breakEvenTable([
      {
        title: "λ = 0.1",
        analysis,
        arms: [
          { key: "rlev", label: "RLEV", records: [learned("r", 1, 0.2), learned("r", 2, 0.4)] },
          { key: "uniform", label: "uniform", records: [learned("u", 1, 1)] },
        ],
      },
    ]);
    expect(t.rows.map((r) => r.label)).toEqual(["k = 1 (2 items)", "k = 6 (2 items)", "all (4 items)"]);
    const k6 = t.rows[1].cells;
    expect(k6["best:rlev"]?.mean).toBeCloseTo(0.5, 12);
    expect(k6["measured:rlev"]?.mean).toBeCloseTo(0.3, 12);
    expect(k6["measured:rlev"]?.n).toBe(2);
    expect(k6["measured:uniform"]?.mean).toBe(1);
    // No correctness runs given: no measured cell, not a zero.
    expect(k6["measured:correctness"]).toBeNull();
    expect(t.rows[2].cells["measured:rlev"]?.mean).toBeCloseTo((0.6 + 0.7) / 2, 12);
    expect(t.rows[2].cells.breakEven).toBeNull();
    expect(t.rows[2].cells["bestHAcc:rlev"]?.mean).toBeCloseTo(0.91, 12);
  });
});

describe("uniform-by-difficulty in the break-even analysis (worked by hand)", () => {
  const chainItem = (id: string, steps: number, value: number) =>
    ({
      id,
      prompt: "",
      reference: "0",
      answerType: "number",
      examId: "e",
      points: 1,
      examTotal: 1,
      value,
      difficulty: steps,
      split: "train",
      meta: { terms: new Array(steps + 1).fill(0), steps, modulus: 10 },
    }) as never;
  // k = 1 items all s = 1.0 (v 0), k = 6 items s = 2.0 (v 0.2): global s̄ = 1.5 > s*(6) = 1.444, but
  // s̄(1) = 1 and s̄(6) = 2 are each item's own scale: nothing is decisive within k, while globally nothing either.
  // Put a k = 6 item at s = 1.2 (v 0.02) beside one at s = 2: s̄(6) = 1.6 works, the s = 1.2 one is decisive within k.
  const a = breakEvenByDifficulty([chainItem("a", 1, 0), chainItem("b", 6, 0.2), chainItem("c", 6, 0.02)], {
    alpha: 10,
    clip: 1,
    lengthCost: 0.1,
  });
  it("s̄(k) is the mean s(x) of difficulty k and decides the control's best action", () => {
    const k6 = a.rows[1];
    expect(a.rows[0].difficultyScale).toBeCloseTo(1, 12);
    expect(k6.difficultyScale).toBeCloseTo(1.6, 12);
    expect(k6.bestWorked.uniformByDifficulty).toBe(1);
    expect(k6.valueDecisiveWithin).toBeCloseTo(0.5, 12);
    // H-Acc at best on k = 6: RLEV works b (v 0.2, right) and guesses c (0.1·0.02): (0.2 + 0.002)/0.22.
    expect(k6.bestHAcc.rlev).toBeCloseTo((0.2 + 0.002) / 0.22, 12);
    expect(k6.bestHAcc.uniformByDifficulty).toBeCloseTo(1, 12);
  });
});

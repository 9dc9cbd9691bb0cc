import { describe, expect, it } from "vitest";
import { eosTrajectories, valueBucketsByDifficulty } from "../../src/eval/breakdown.js";
import type { GradedResponse } from "../../src/eval/grade.js";

function row(
  id: string,
  value: number,
  difficulty: number,
  correct: boolean,
  length: number,
  worked: boolean,
): GradedResponse {
  return {
    id,
    examId: "e",
    value,
    points: 1,
    difficulty,
    correct,
    length,
    sample: "",
    worked,
    pred: "",
    reference: "",
    finished: true,
  };
}

describe("eosTrajectories", () => {
  it("averages pi(EOS) per position over the highest- and lowest-value prompts", () => {
    const rows = [
      row("a", 0.3, 1, true, 3, true),
      row("b", 0.1, 1, true, 1, false),
      row("c", 0.2, 1, true, 2, false),
      row("d", 0.05, 1, true, 2, false),
    ];
    const eos = [
      Float32Array.of(0.1, 0.2, 0.9),
      Float32Array.of(0.8),
      Float32Array.of(0.3, 0.7),
      Float32Array.of(0.5, 0.5),
    ];
    const { high, low } = eosTrajectories(rows, eos, 2);
    // High: a (0.3) and c (0.2): position 0 (0.1+0.3)/2 = 0.2, position 1 (0.2+0.7)/2 = 0.45, position 2 only a: 0.9.
    expect(high.prompts).toBe(2);
    expect(high.meanValue).toBeCloseTo(0.25, 12);
    expect(high.meanEosProb.map((x) => Number(x.toFixed(6)))).toEqual([0.2, 0.45, 0.9]);
    expect(high.count).toEqual([2, 2, 1]);
    // Low: b (0.1) and d (0.05): position 0 (0.8+0.5)/2 = 0.65, position 1 only d: 0.5.
    expect(low.meanEosProb.map((x) => Number(x.toFixed(6)))).toEqual([0.65, 0.5]);
    expect(low.count).toEqual([2, 1]);
  });

  it("never lets the two sets overlap", () => {
    const rows = [
      row("a", 0.3, 1, true, 1, false),
      row("b", 0.1, 1, true, 1, false),
      row("c", 0.2, 1, true, 1, false),
    ];
    const eos = [Float32Array.of(1), Float32Array.of(1), Float32Array.of(1)];
    const { high, low } = eosTrajectories(rows, eos, 200);
    expect(high.prompts).toBe(1);
    expect(low.prompts).toBe(1);
    expect(high.meanValue).toBe(0.3);
    expect(low.meanValue).toBe(0.1);
  });
});

describe("valueBucketsByDifficulty", () => {
  it("splits each difficulty by value quantiles and summarizes accuracy, length and worked share", () => {
    const rows = [
      // Difficulty 2, values 0.01..0.04: low bucket {0.01, 0.02}, high bucket {0.03, 0.04}.
      row("a", 0.04, 2, true, 8, true),
      row("b", 0.01, 2, false, 3, false),
      row("c", 0.03, 2, true, 8, true),
      row("d", 0.02, 2, true, 3, false),
      // Difficulty 1, a single row: one bucket only.
      row("e", 0.05, 1, true, 6, true),
    ];
    const out = valueBucketsByDifficulty(rows, 2);
    expect(out).toHaveLength(3);
    expect(out[0]).toMatchObject({ difficulty: 1, bucket: 0, n: 1, acc: 1, meanLength: 6, workedShare: 1 });
    expect(out[1]).toMatchObject({
      difficulty: 2,
      bucket: 0,
      n: 2,
      valueMin: 0.01,
      valueMax: 0.02,
      acc: 0.5,
      meanLength: 3,
      workedShare: 0,
    });
    expect(out[2]).toMatchObject({
      difficulty: 2,
      bucket: 1,
      n: 2,
      valueMin: 0.03,
      valueMax: 0.04,
      acc: 1,
      meanLength: 8,
      workedShare: 1,
    });
    expect(out[2].meanValue).toBeCloseTo(0.035, 12);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { verifyAnswer } from "../../src/verify/verifiers.js";
import { sharedData, skipWithoutSharedData } from "../helpers/cli.js";

const skip = skipWithoutSharedData("GSM8K verification");
const rows: Array<{ answer: string; final_answer: string }> = skip
  ? []
  : readFileSync(join(sharedData, "gsm8k/gsm8k_test.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));

describe.skipIf(skip)("GSM8K test split", () => {
  it("every final answer verifies against its own worked solution (#### line, thousands separators)", () => {
    const misses = rows.filter(
      (r) => !verifyAnswer({ reference: r.final_answer, response: r.answer, answerType: "number" }).correct,
    );
    expect(misses).toEqual([]);
  });
  it("and not against the next problem's solution when the numbers differ", () => {
    const wrong = rows.filter((r, i) => {
      const next = rows[(i + 1) % rows.length];
      if (Number(next.final_answer) === Number(r.final_answer)) return false;
      return verifyAnswer({ reference: r.final_answer, response: next.answer, answerType: "number" }).correct;
    });
    expect(wrong).toEqual([]);
  });
});

import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { AnswerType } from "../../src/data/item.js";
import { verifyAnswer } from "../../src/verify/verifiers.js";
import { sharedData, skipWithoutSharedData } from "../helpers/cli.js";

interface GaokaoRow {
  id: string;
  split: string;
  question_type: string;
  answer: string[] | string;
  analysis: string;
}

const skip = skipWithoutSharedData("GAOKAO-Bench choice extraction");
const rows: GaokaoRow[] = skip
  ? []
  : readFileSync(join(sharedData, "gaokao_bench/gaokao_bench.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));

describe.skipIf(skip)("GAOKAO-Bench: the reference letters are found in the worked solutions (解析)", () => {
  // The analyses end in 故选C / 所以选择 A / 故答案选 B / C项正确 …; some have no conclusion at all
  // or contradict the answer key (OCR), so the bar is 98%, not 100%.
  for (const type of ["single_choice", "multi_choice"] as const) {
    it(type, () => {
      const items = rows.filter((r) => r.split === "objective" && r.question_type === type);
      const hits = items.filter(
        (r) =>
          verifyAnswer({
            reference: Array.isArray(r.answer) ? r.answer.join("") : r.answer,
            response: r.analysis,
            answerType: type as AnswerType,
          }).correct,
      ).length;
      expect(items.length).toBeGreaterThan(50);
      expect(hits / items.length).toBeGreaterThanOrEqual(0.98);
    });
  }
});

import { z } from "zod";
import { InputError } from "../../util/errors.js";
import { type DifficultyClass, weakScore } from "../difficulty.js";
import type { Item } from "../item.js";
import { readJsonl } from "../jsonl.js";
import { chunkExamId, DEFAULT_EXAM_SIZE, datasetNameOf } from "./grouping.js";

/** One GSM8K row: `question` and a worked `answer` ending in "#### <number>". */
const Gsm8kRowSchema = z
  .object({
    question: z.string().min(1),
    answer: z.string().min(1),
    id: z.string().optional(),
    source: z.string().optional(),
  })
  .loose();

/** GSM8K has no values: every item the same class (`uniform`), or a class from its step count (`steps`). */
export type Gsm8kWeakMode = "uniform" | "steps";

export interface Gsm8kImportOptions {
  weak?: Gsm8kWeakMode;
  /** The class every item gets in `uniform` mode (default primary: grade-school math, 1/100). */
  uniformClass?: DifficultyClass;
  /** Problems per pseudo-exam, in file order (default 50). */
  examSize?: number;
  split?: string;
  name?: string;
  /** Keep the worked solution in `meta.solution` (default true). */
  includeSolution?: boolean;
}

/**
 * The final answer of a GSM8K solution: the text after the last "####", commas removed
 * ("#### 1,234" → "1234"). Undefined when there is no "####" or it is not a plain number.
 */
export function gsm8kFinalAnswer(solution: string): string | undefined {
  const at = solution.lastIndexOf("####");
  if (at < 0) return undefined;
  const text = solution
    .slice(at + 4)
    .trim()
    .replace(/,/g, "");
  return /^-?\d+(\.\d+)?$/.test(text) ? text : undefined;
}

/** Reasoning lines before "####" (non-blank), a crude difficulty proxy. */
export function gsm8kSteps(solution: string): number {
  const at = solution.lastIndexOf("####");
  return solution
    .slice(0, at < 0 ? undefined : at)
    .split("\n")
    .filter((l) => l.trim() !== "").length;
}

/**
 * Step count → the five weak classes: ≤2 steps primary, 3 junior high, 4 senior high,
 * 5 university, ≥6 PhD. The cut points follow the step-count distribution of GSM8K train
 * (2: 26%, 3: 29%, 4: 22%, 5: 13%, ≥6: 10%), so every class is used.
 */
export function classOfSteps(steps: number): DifficultyClass {
  if (steps <= 2) return "primary";
  if (steps === 3) return "junior_high";
  if (steps === 4) return "senior_high";
  if (steps === 5) return "university";
  return "phd";
}

/**
 * Imports GSM8K JSONL: reference = the number after "####", answer type `number`, a weak value
 * (uniform or by step count), and pseudo-exams of `examSize` problems in file order.
 */
export async function importGsm8k(file: string, options: Gsm8kImportOptions = {}): Promise<Item[]> {
  const name = options.name ?? datasetNameOf(file);
  const examSize = options.examSize ?? DEFAULT_EXAM_SIZE;
  const mode = options.weak ?? "uniform";
  const items: Item[] = [];
  for await (const { line, value: row } of readJsonl(file, Gsm8kRowSchema)) {
    const reference = gsm8kFinalAnswer(row.answer);
    if (reference === undefined)
      throw new InputError({ file, line, field: "answer" }, 'does not end in "#### <number>"');
    const steps = gsm8kSteps(row.answer);
    const cls = mode === "steps" ? classOfSteps(steps) : (options.uniformClass ?? "primary");
    const score = weakScore(cls);
    const meta: Record<string, unknown> = {
      dataset: "gsm8k",
      source: row.source ?? file,
      steps,
      difficultyClass: cls,
      weakMode: mode,
      valueSource: "weak",
      officialExamTotal: score.examTotal,
      examTotalRule: "official",
    };
    if (options.includeSolution !== false) meta.solution = row.answer;
    items.push({
      id: row.id ?? `gsm8k/${name}/${line - 1}`,
      prompt: row.question,
      reference,
      answerType: "number",
      examId: chunkExamId(name, items.length, examSize),
      points: score.points,
      examTotal: score.examTotal,
      value: score.value,
      difficulty: steps,
      split: options.split ?? "train",
      meta,
    });
  }
  return items;
}

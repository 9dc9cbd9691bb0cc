import { z } from "zod";
import { InputError } from "../../util/errors.js";
import { classOfLevel, weakScore } from "../difficulty.js";
import type { Item } from "../item.js";
import { readJsonl } from "../jsonl.js";
import { lastBoxed } from "./boxed.js";
import { chunkExamId, DEFAULT_EXAM_SIZE, datasetNameOf, type ExamGrouping } from "./grouping.js";

/**
 * One MATH problem in any of the common JSONL layouts: MATH-500 / PRM800K (`answer`, `subject`,
 * integer `level`, `unique_id`), Hendrycks' MATH (`type`, `level: "Level N"`, answer only inside
 * the solution's `\boxed{}`), and the derived files of ../shared/data (`level_int`, `id`).
 */
const MathRowSchema = z
  .object({
    problem: z.string().min(1),
    solution: z.string().optional(),
    answer: z.string().optional(),
    level: z.union([z.number(), z.string()]).optional(),
    level_int: z.number().optional(),
    subject: z.string().optional(),
    type: z.string().optional(),
    unique_id: z.string().optional(),
    id: z.string().optional(),
    idx: z.number().optional(),
    source: z.string().optional(),
  })
  .loose();

export interface MathImportOptions {
  /** Exam grouping: one exam per MATH subject (default) or fixed-size chunks in file order. */
  examBy?: ExamGrouping;
  examSize?: number;
  split?: string;
  /** Name used in exam ids; defaults to the file name without extension. */
  name?: string;
  /** Problems whose level is unknown ("Level ?" in MATH train): an error (default) or skipped. */
  onUnknownLevel?: "error" | "skip";
  /** Keep the worked solution in `meta.solution` (default true). */
  includeSolution?: boolean;
}

/** A level 1–5 from `level` (5 or "Level 5") or `level_int`; undefined when unknown. */
export function mathLevel(row: { level?: number | string; level_int?: number }): number | undefined {
  if (typeof row.level_int === "number") return row.level_int;
  if (typeof row.level === "number") return row.level;
  const m = /^\s*(?:Level\s*)?([1-5])\s*$/i.exec(row.level ?? "");
  return m ? Number(m[1]) : undefined;
}

/**
 * Imports MATH problems from JSONL with weak values (docs/method.md#weak-values): level L → difficulty class L →
 * score 1, 2, 4, 6, 8 of 100. The reference answer is `answer` when given, else the last
 * `\boxed{}` of the solution; the answer type is `math`.
 */
export async function importMath(file: string, options: MathImportOptions = {}): Promise<Item[]> {
  const name = options.name ?? datasetNameOf(file);
  const examSize = options.examSize ?? DEFAULT_EXAM_SIZE;
  const items: Item[] = [];
  for await (const { line, value: row } of readJsonl(file, MathRowSchema)) {
    const level = mathLevel(row);
    const cls = level === undefined ? undefined : classOfLevel(level);
    if (!cls) {
      if (options.onUnknownLevel === "skip") continue;
      throw new InputError(
        { file, line, field: row.level_int !== undefined ? "level_int" : "level" },
        `needs a level 1–5 (got ${JSON.stringify(row.level_int ?? row.level ?? null)})`,
      );
    }
    const reference = row.answer ?? (row.solution !== undefined ? lastBoxed(row.solution) : undefined);
    if (reference === undefined || reference.trim() === "")
      throw new InputError(
        { file, line, field: row.answer !== undefined ? "answer" : "solution" },
        "no answer: neither an `answer` field nor a \\boxed{} answer in the solution",
      );
    const subject = row.subject ?? row.type ?? "unknown";
    const examId =
      (options.examBy ?? "subject") === "subject"
        ? `${name}|${subject}`
        : chunkExamId(name, items.length, examSize);
    const id = row.id ?? (row.unique_id ? `math/${row.unique_id}` : `${name}/${line - 1}`);
    const score = weakScore(cls);
    const meta: Record<string, unknown> = {
      dataset: "math",
      source: row.source ?? file,
      subject,
      level,
      difficultyClass: cls,
      valueSource: "weak",
      officialExamTotal: score.examTotal,
      examTotalRule: "official",
    };
    if (row.unique_id) meta.uniqueId = row.unique_id;
    if (options.includeSolution !== false && row.solution !== undefined) meta.solution = row.solution;
    items.push({
      id,
      prompt: row.problem,
      reference,
      answerType: "math",
      examId,
      points: score.points,
      examTotal: score.examTotal,
      value: score.value,
      difficulty: level,
      split: options.split ?? "train",
      meta,
    });
  }
  return items;
}

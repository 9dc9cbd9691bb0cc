import { z } from "zod";
import { readJsonl } from "../data/jsonl.js";
import { InputError } from "../util/errors.js";

/**
 * One graded response, the input of `rlev metrics` (eval/'s responses.jsonl rows qualify; other
 * fields are ignored). `correct` is a boolean or a partial score in [0, 1].
 */
export const GradedRowSchema = z
  .object({
    id: z.string().min(1),
    value: z.number().finite().nonnegative(),
    correct: z.union([z.boolean(), z.number().min(0).max(1)]),
    length: z.number().int().nonnegative(),
    difficulty: z.union([z.number().finite(), z.string()]).optional(),
    sample: z.unknown().optional(),
  })
  .loose();
export type GradedRow = z.infer<typeof GradedRowSchema>;

/** The score of a graded row: 1/0 for a boolean verdict, else the partial score. */
export function rowScore(row: Pick<GradedRow, "correct">): number {
  return typeof row.correct === "boolean" ? (row.correct ? 1 : 0) : row.correct;
}

/** The responses of one prompt, aggregated. */
export interface ItemResult {
  id: string;
  value: number;
  difficulty: number | string | undefined;
  /** Responses. */
  n: number;
  /** Σ score. */
  scoreSum: number;
  /** Responses with full credit (score 1), for pass@k. */
  fullCorrect: number;
  /** Σ length. */
  lengthSum: number;
}

/**
 * Groups graded rows by prompt id (in order of first appearance). A prompt's rows must agree on
 * value and difficulty; `where(i)` names the row for the error.
 */
export function groupByItem(
  rows: readonly GradedRow[],
  where: (index: number) => { file: string; line?: number } = (i) => ({ file: "input", row: i }),
): ItemResult[] {
  const byId = new Map<string, ItemResult>();
  rows.forEach((row, i) => {
    let item = byId.get(row.id);
    if (!item) {
      item = {
        id: row.id,
        value: row.value,
        difficulty: row.difficulty,
        n: 0,
        scoreSum: 0,
        fullCorrect: 0,
        lengthSum: 0,
      };
      byId.set(row.id, item);
    } else if (item.value !== row.value) {
      throw new InputError(
        { ...where(i), field: "value" },
        `item "${row.id}" has value ${row.value} here but ${item.value} earlier`,
      );
    } else if (item.difficulty !== row.difficulty) {
      throw new InputError(
        { ...where(i), field: "difficulty" },
        `item "${row.id}" has difficulty ${String(row.difficulty)} here but ${String(item.difficulty)} earlier`,
      );
    }
    const score = rowScore(row);
    item.n++;
    item.scoreSum += score;
    if (score === 1) item.fullCorrect++;
    item.lengthSum += row.length;
  });
  return [...byId.values()];
}

/** Reads a graded-responses JSONL file; a malformed line raises an InputError naming file, line and field. */
export async function readGraded(file: string): Promise<{ rows: GradedRow[]; items: ItemResult[] }> {
  const rows: GradedRow[] = [];
  const lines: number[] = [];
  for await (const { line, value } of readJsonl(file, GradedRowSchema)) {
    rows.push(value);
    lines.push(line);
  }
  if (rows.length === 0) throw new InputError({ file }, "no graded responses");
  const items = groupByItem(rows, (i) => ({ file, line: lines[i] }));
  if (items.every((item) => item.value === 0))
    throw new InputError({ file, field: "value" }, "every value is 0 (H-Acc is undefined)");
  return { rows, items };
}

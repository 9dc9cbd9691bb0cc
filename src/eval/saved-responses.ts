import { z } from "zod";
import { itemFormatOf } from "../data/items-io.js";
import { readJsonlRaw, zodToInputError } from "../data/jsonl.js";
import { readParquetRows } from "../data/parquet.js";
import { InputError } from "../util/errors.js";

/**
 * A saved response of any model, matched to its item by id (the input of `rlev grade`). A
 * verdict the file already holds (`score` in [0, 1] or `correct`) is kept to compare with.
 */
export interface SavedResponse {
  id: string;
  sample: number;
  response: string;
  /** Generated tokens when the file says; else graded rows estimate chars / 4. */
  length: number | null;
  /** A verdict already present in the input (e.g. the benchmark's own), to compare with. */
  given: GivenVerdict | null;
  /** Where the response was read, for errors. */
  where: { file: string; line?: number; row?: number };
}

export interface GivenVerdict {
  /** Points earned / points, in [0, 1]. */
  score: number;
  /** Per blank, in [0, 1], when known. */
  blanks?: number[];
  pred: string | null;
  /** Who gave it, e.g. "input", "extraction", "judge". */
  source: string;
}

const ResponseRowSchema = z
  .object({
    id: z.string().min(1),
    response: z.string(),
    sample: z.number().int().nonnegative().optional(),
    length: z.number().int().nonnegative().optional(),
    score: z.number().min(0).max(1).optional(),
    correct: z.union([z.boolean(), z.number().min(0).max(1)]).optional(),
    pred: z.string().nullable().optional(),
  })
  .loose();

function givenOf(row: z.infer<typeof ResponseRowSchema>): GivenVerdict | null {
  const score =
    row.score ??
    (row.correct === undefined
      ? undefined
      : typeof row.correct === "boolean"
        ? Number(row.correct)
        : row.correct);
  return score === undefined ? null : { score, pred: row.pred ?? null, source: "input" };
}

/**
 * Reads responses from a .jsonl or .parquet file: `{id, response, sample?, length?, score? |
 * correct?, pred?}` per line (other fields ignored). A bad line raises an InputError naming
 * file, line (or row) and field; an (id, sample) given twice is an error too.
 */
export async function readSavedResponses(file: string): Promise<SavedResponse[]> {
  const out: SavedResponse[] = [];
  const seen = new Set<string>();
  const nextSample = new Map<string, number>();
  const take = (value: unknown, where: SavedResponse["where"]) => {
    const parsed = ResponseRowSchema.safeParse(value);
    if (!parsed.success) throw zodToInputError(parsed.error, where);
    const r = parsed.data;
    const sample = r.sample ?? nextSample.get(r.id) ?? 0;
    const key = `${r.id}\u0000${sample}`;
    if (seen.has(key))
      throw new InputError(
        { ...where, field: r.sample === undefined ? "id" : "sample" },
        `response ${sample} of "${r.id}" is given twice`,
      );
    seen.add(key);
    // Without explicit sample numbers, repeated ids are samples 0, 1, 2, … in file order.
    if (r.sample === undefined) nextSample.set(r.id, sample + 1);
    out.push({ id: r.id, sample, response: r.response, length: r.length ?? null, given: givenOf(r), where });
  };
  if (itemFormatOf(file) === "jsonl") {
    for await (const { line, value } of readJsonlRaw(file)) take(value, { file, line });
  } else {
    for await (const { row, value } of readParquetRows(file)) take(value, { file, row });
  }
  if (out.length === 0) throw new InputError({ file }, "no responses");
  return out;
}

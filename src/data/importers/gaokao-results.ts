import { readdir, readFile, stat } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { InputError } from "../../util/errors.js";
import type { Item } from "../item.js";
import { type GaokaoQuestionFile, gaokaoItems, type RawQuestion } from "./gaokao.js";
import { subjectOfKeyword } from "./gaokao-exams.js";
import { readJsonFile } from "./json-file.js";

/**
 * GAOKAO-Bench result files (`Results/…/<model>_<keyword>.json` upstream): a model's whole
 * responses (`model_output`) with the questions they answer and the benchmark's own verdicts —
 * `model_answer` (its regex extraction, compared blank by blank with `standard_answer`) for
 * objective files, `model_correction_score` (an LLM judge's points per blank) for subjective ones.
 */

const ResultExampleSchema = z.object({
  index: z.union([z.number().int().nonnegative(), z.string().regex(/^\d+$/).transform(Number)]),
  year: z.union([z.string().regex(/^\d{4}$/), z.number().int()]).transform(String),
  category: z.string().min(1),
  score: z
    .union([
      z.number(),
      z
        .string()
        .regex(/^\d+(\.\d+)?$/)
        .transform(Number),
    ])
    .pipe(z.number().positive()),
  question: z.string().min(1),
  standard_answer: z.union([z.array(z.string().min(1)).min(1), z.string()]),
  analysis: z.string().optional(),
  model_output: z.string(),
  model_answer: z.array(z.string()).optional(),
  model_correction_score: z.array(z.number()).optional(),
});
type ResultExample = z.infer<typeof ResultExampleSchema>;

const ResultFileSchema = z.object({
  keyword: z.string().min(1).optional(),
  keywords: z.string().min(1).optional(),
  model_name: z.string().optional(),
  example: z.array(z.unknown()),
});

/** The benchmark's own verdict on one response, as its scorer computes it. */
export interface BenchmarkVerdict {
  /** Points earned / points, in [0, 1]. */
  score: number;
  /** Per blank, in [0, 1]. */
  blanks: number[];
  /** The benchmark's extracted answers (objective files), joined by ", ". */
  pred: string | null;
  /** "extraction" (model_answer vs standard_answer) or "judge" (model_correction_score). */
  source: "extraction" | "judge";
}

/** One graded-to-be response read from a result file. */
export interface GaokaoResult {
  id: string;
  keyword: string;
  index: number;
  response: string;
  benchmark: BenchmarkVerdict | null;
  /** Where the example sits, for errors and for reading it. */
  file: string;
  row: number;
}

export interface GaokaoResultFile {
  file: string;
  keyword: string;
  model: string | null;
  results: GaokaoResult[];
  /** The questions, in the importer's raw shape (items can be built from them). */
  questions: RawQuestion[];
}

/**
 * The benchmark's objective scoring (`Bench/OBJ_score_evaluation.py` upstream): a blank earns
 * full points when the extracted answer equals the reference; for physics, an answer whose
 * letters are all in the reference earns half (6 / 3 / 0). Answers of the wrong length count as
 * all wrong ("Z" per blank), as upstream.
 */
export function benchmarkObjectiveScores(
  keyword: string,
  modelAnswer: readonly string[],
  reference: readonly string[],
): number[] {
  const answers = modelAnswer.length === reference.length ? modelAnswer : reference.map(() => "Z");
  const physics = keyword === "2010-2022_Physics_MCQs";
  return reference.map((ref, j) => {
    if (answers[j] === ref) return 1;
    if (!physics) return 0;
    // Upstream: 3 of 6 points when no chosen letter is wrong (an empty answer too).
    return [...answers[j]].every((ch) => ref.includes(ch)) ? 0.5 : 0;
  });
}

function benchmarkVerdict(keyword: string, ex: ResultExample): BenchmarkVerdict | null {
  if (ex.model_answer && Array.isArray(ex.standard_answer)) {
    const blanks = benchmarkObjectiveScores(keyword, ex.model_answer, ex.standard_answer);
    return {
      score: blanks.reduce((a, b) => a + b, 0) / blanks.length,
      blanks,
      pred: ex.model_answer.join(", "),
      source: "extraction",
    };
  }
  if (ex.model_correction_score) {
    const earned = ex.model_correction_score.reduce((a, b) => a + b, 0);
    // The judge scores against the item's points; clip what it over-awards.
    return {
      score: Math.min(1, Math.max(0, earned / ex.score)),
      blanks: ex.model_correction_score.map((s) => Math.min(1, Math.max(0, s / ex.score))),
      pred: null,
      source: "judge",
    };
  }
  return null;
}

/** True when a JSON document looks like a GAOKAO-Bench result file (keyword + examples with model_output). */
export function looksLikeGaokaoResult(json: unknown): boolean {
  if (!json || typeof json !== "object") return false;
  const o = json as Record<string, unknown>;
  const ex = o.example;
  return (
    (typeof o.keyword === "string" || typeof o.keywords === "string") &&
    Array.isArray(ex) &&
    ex.length > 0 &&
    typeof (ex[0] as Record<string, unknown>)?.model_output === "string"
  );
}

/** Reads one result file; a malformed one raises an InputError naming file, example and field. */
export async function readGaokaoResultFile(file: string): Promise<GaokaoResultFile> {
  const data = await readJsonFile(file, ResultFileSchema);
  const keyword = data.keyword ?? data.keywords;
  if (!keyword) throw new InputError({ file, field: "keyword" }, "missing (the benchmark's file keyword)");
  if (!subjectOfKeyword(keyword))
    throw new InputError({ file, field: "keyword" }, `cannot tell the subject of "${keyword}"`);
  const results: GaokaoResult[] = [];
  const questions: RawQuestion[] = [];
  const seen = new Set<number>();
  data.example.forEach((raw, row) => {
    const parsed = ResultExampleSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        { file, row, field: ["example", row, ...issue.path].map(String).join(".") },
        issue.message,
      );
    }
    const ex = parsed.data;
    if (seen.has(ex.index))
      throw new InputError({ file, row, field: `example.${row}.index` }, `index ${ex.index} repeats`);
    seen.add(ex.index);
    results.push({
      id: `gaokao/${keyword}/${ex.index}`,
      keyword,
      index: ex.index,
      response: ex.model_output,
      benchmark: benchmarkVerdict(keyword, ex),
      file,
      row,
    });
    questions.push({
      year: ex.year,
      category: ex.category,
      question: ex.question,
      answer: Array.isArray(ex.standard_answer) ? ex.standard_answer : ex.standard_answer,
      analysis: ex.analysis,
      index: ex.index,
      score: ex.score,
    });
  });
  return { file, keyword, model: data.model_name ?? null, results, questions };
}

/** The result files of a path: the file itself, or every `.json` result file of a folder (sorted). */
export async function gaokaoResultFiles(path: string): Promise<string[]> {
  let isDir: boolean;
  try {
    isDir = (await stat(path)).isDirectory();
  } catch {
    throw new InputError({ file: path }, "not found");
  }
  if (!isDir) return [path];
  const files: string[] = [];
  for (const name of (await readdir(path)).filter((n) => n.endsWith(".json")).sort()) {
    const file = join(path, name);
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, "utf8"));
    } catch {
      continue; // not JSON: not a result file (a result file that is broken is reported when named alone)
    }
    if (looksLikeGaokaoResult(json)) files.push(file);
  }
  if (files.length === 0)
    throw new InputError(
      { file: path },
      "no GAOKAO-Bench result files ({keyword, example: [{model_output, …}]}) here",
    );
  return files;
}

/** Items built from the questions the result files carry, by the importer's rules (`rlev import gaokao`). */
export function itemsFromGaokaoResults(files: readonly GaokaoResultFile[]): Item[] {
  const sources: GaokaoQuestionFile[] = files.map((f) => ({
    file: f.file,
    keyword: f.keyword,
    questions: f.questions,
    source: `GAOKAO-Bench result file ${basename(f.file)}`,
  }));
  return gaokaoItems(sources);
}

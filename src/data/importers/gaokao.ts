import { readdir } from "node:fs/promises";
import { basename, join } from "node:path";
import { z } from "zod";
import { InputError } from "../../util/errors.js";
import type { AnswerType, Item } from "../item.js";
import { duplicateKey, textHash } from "../text-hash.js";
import {
  type GaokaoQuestionType,
  type GaokaoSubject,
  gaokaoExamId,
  likelyElective,
  normalizeCategory,
  PAPER_OF_SUBJECT,
  PAPER_TOTAL,
  questionNumberOf,
  questionTypeOf,
  SECTION_TOTAL,
  subjectOfKeyword,
} from "./gaokao-exams.js";
import { readJsonFile } from "./json-file.js";

/** One upstream question, as in `Data/{Objective,Subjective}_Questions/*.json`. */
export const RawQuestionSchema = z.object({
  year: z.union([z.string().regex(/^\d{4}$/), z.number().int()]).transform(String),
  category: z.string().min(1),
  question: z.string().min(1),
  answer: z.union([z.array(z.string().min(1)).min(1), z.string()]),
  analysis: z.string().optional(),
  index: z.number().int().nonnegative(),
  score: z.number().positive().finite(),
});
export type RawQuestion = z.infer<typeof RawQuestionSchema>;

/** The questions of one upstream file (or of a benchmark result file that carries them). */
export interface GaokaoQuestionFile {
  /** Where the questions were read (named in errors). */
  file: string;
  keyword: string;
  questions: RawQuestion[];
  /** `meta.source` of the items. */
  source: string;
}

const RawFileSchema = z.object({
  keywords: z.string().min(1),
  example: z.array(z.unknown()),
});

export interface GaokaoImportOptions {
  split?: string;
  /** Keep the worked solution (解析) in `meta.analysis` (default true). */
  includeAnalysis?: boolean;
}

/** True when a folder looks like GAOKAO-Bench's `Data/` (the two question folders, or the JSON files themselves). */
export async function isGaokaoRawDir(dir: string): Promise<boolean> {
  try {
    const names = await readdir(dir);
    if (names.includes("Objective_Questions") || names.includes("Subjective_Questions")) return true;
    return names.some((n) => n.endsWith(".json")) && !names.some((n) => /\.(jsonl|parquet)$/.test(n));
  } catch {
    return false;
  }
}

/** The upstream JSON files under a raw folder, objective ones first, each folder sorted by name. */
export async function gaokaoRawFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new InputError({ file: dir }, "folder not found");
  }
  const files: string[] = [];
  for (const sub of ["Objective_Questions", "Subjective_Questions"]) {
    if (!names.includes(sub)) continue;
    const inner = (await readdir(join(dir, sub))).filter((n) => n.endsWith(".json")).sort();
    files.push(...inner.map((n) => join(dir, sub, n)));
  }
  files.push(
    ...names
      .filter((n) => n.endsWith(".json"))
      .sort()
      .map((n) => join(dir, n)),
  );
  if (files.length === 0)
    throw new InputError(
      { file: dir },
      "no GAOKAO-Bench JSON files (expected Objective_Questions/ and Subjective_Questions/)",
    );
  return files;
}

async function readRawFile(file: string): Promise<{ keyword: string; questions: RawQuestion[] }> {
  const data = await readJsonFile(file, RawFileSchema);
  const questions = data.example.map((raw, i) => {
    const parsed = RawQuestionSchema.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new InputError(
        { file, row: i, field: ["example", i, ...issue.path].map(String).join(".") },
        issue.message,
      );
    }
    return parsed.data;
  });
  return { keyword: data.keywords, questions };
}

/** Answer type and reference of an upstream question (decisions documented in docs/data.md#importers). */
export function gaokaoAnswer(
  type: GaokaoQuestionType,
  subject: GaokaoSubject,
  answer: string[] | string,
): { answerType: AnswerType; reference: string | string[] } {
  if (Array.isArray(answer)) {
    if (type === "multi_choice") return { answerType: "multi_choice", reference: answer.join("") };
    if (answer.length === 1) return { answerType: "single_choice", reference: answer[0] };
    return { answerType: "choice_list", reference: answer.slice() };
  }
  const text = answer.trim();
  // Math fill-in-the-blank answers are expressions; dictation and English grammar fill-in keep
  // their free-form blank lists (the blank numbering varies too much to split reliably).
  if (type === "cloze" && (subject === "Math_I" || subject === "Math_II"))
    return { answerType: "math", reference: text };
  return { answerType: "free_text", reference: text };
}

/**
 * Imports GAOKAO-Bench from its upstream JSON layout. Items get
 * `points = score × number of sub-answers` (objective) or `score` (subjective), an exam rebuilt
 * from year, normalized paper variant and paper, and `value = points / official paper total`
 * (values/value.ts `applyExamTotals` switches to the in-data-set total). Copies of a
 * question inside one exam are flagged (`meta.duplicateOf`) and left out of exam sums.
 */
export async function importGaokao(rawDir: string, options: GaokaoImportOptions = {}): Promise<Item[]> {
  const files: GaokaoQuestionFile[] = [];
  for (const file of await gaokaoRawFiles(rawDir)) {
    const { keyword, questions } = await readRawFile(file);
    const folder = basename(join(file, ".."));
    files.push({
      file,
      keyword,
      questions,
      source: `OpenLMLab/GAOKAO-Bench:Data/${folder}/${basename(file)}`,
    });
  }
  return gaokaoItems(files, options);
}

/**
 * Items of GAOKAO-Bench questions grouped by upstream file (the importer's rules, shared with
 * `rlev grade`, which builds items from the questions a benchmark result file carries).
 */
export function gaokaoItems(files: readonly GaokaoQuestionFile[], options: GaokaoImportOptions = {}): Item[] {
  const items: Item[] = [];
  const firstOfText = new Map<string, string>(); // examId + textHash → id of the first copy
  const idAt = new Map<string, string>();
  for (const { file, keyword, questions, source } of files) {
    const subject = subjectOfKeyword(keyword);
    if (!subject)
      throw new InputError(
        { file, field: "keywords" },
        `cannot tell the subject of "${keyword}" (expected Chinese, English, Math_I, …)`,
      );
    const paper = PAPER_OF_SUBJECT[subject];
    const officialTotal = PAPER_TOTAL[paper];
    questions.forEach((q, row) => {
      const objective = Array.isArray(q.answer);
      const nAnswers = Array.isArray(q.answer) ? q.answer.length : 1;
      const questionType = questionTypeOf(keyword, objective, nAnswers);
      const { answerType, reference } = gaokaoAnswer(questionType, subject, q.answer);
      const points = objective ? q.score * nAnswers : q.score;
      const categoryNorm = normalizeCategory(q.category, Number(q.year));
      const examId = gaokaoExamId(q.year, categoryNorm, paper);
      const id = `gaokao/${keyword}/${q.index}`;
      const earlier = idAt.get(id);
      if (earlier)
        throw new InputError(
          { file, row, field: `example.${row}.index` },
          `index ${q.index} repeats (id ${id} also from ${earlier})`,
        );
      idAt.set(id, file);
      const hash = textHash(q.question);
      const key = `${examId}\u0000${duplicateKey(q.question)}`;
      const duplicateOf = firstOfText.get(key) ?? null;
      if (!duplicateOf) firstOfText.set(key, id);
      if (points > officialTotal)
        throw new InputError(
          { file, row, field: `example.${row}.score` },
          `${points} points exceed the ${paper} total ${officialTotal}`,
        );
      const questionNumber = questionNumberOf(q.question);
      const meta: Record<string, unknown> = {
        dataset: "gaokao",
        source,
        keyword,
        index: q.index,
        year: q.year,
        category: q.category,
        categoryNorm,
        subject,
        paper,
        questionType,
        ...(questionNumber !== undefined ? { questionNumber } : {}),
        score: q.score,
        numSubquestions: nAnswers,
        sectionId: `${examId}|${subject}`,
        sectionTotal: SECTION_TOTAL[subject],
        officialExamTotal: officialTotal,
        examTotalRule: "official",
        valueSource: "exam",
        textHash: hash,
        duplicateOf,
        likelyElective: likelyElective({
          subject,
          questionType,
          score: q.score,
          year: q.year,
          categoryNorm,
          question: q.question,
        }),
      };
      if (options.includeAnalysis !== false && q.analysis !== undefined) meta.analysis = q.analysis;
      items.push({
        id,
        prompt: q.question,
        reference,
        answerType,
        examId,
        points,
        examTotal: officialTotal,
        value: points / officialTotal,
        split: options.split ?? "train",
        meta,
      });
    });
  }
  return items;
}

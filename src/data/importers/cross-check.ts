import { z } from "zod";
import type { Item } from "../item.js";
import { readJsonl } from "../jsonl.js";

/** The fields of `gaokao_bench.jsonl` (the shipped, derived GAOKAO-Bench file) that a cross-check compares. */
const ReferenceRowSchema = z
  .object({
    id: z.string(),
    exam_id: z.string(),
    points: z.number(),
    value: z.number(),
    value_in_dataset: z.number().optional(),
    paper_total_points: z.number().optional(),
    exam_points_in_dataset: z.number().optional(),
    question_type: z.string().optional(),
    text_hash: z.string().optional(),
    duplicate_within_exam_of: z.string().nullable().optional(),
    likely_elective: z.boolean().optional(),
  })
  .loose();
type ReferenceRow = z.infer<typeof ReferenceRowSchema>;

export interface CrossCheckDifference {
  id: string;
  field: string;
  ours: unknown;
  reference: unknown;
  /** Why the two differ, in words. */
  explanation: string;
}

export interface CrossCheckReport {
  referenceFile: string;
  checked: number;
  /** Imported items the reference lacks, and reference rows the import lacks. */
  onlyImported: string[];
  onlyReference: string[];
  /** Differences in the fields that define the value: exam id, points, exam total, value. */
  differences: CrossCheckDifference[];
  /** Differences in descriptive fields (question type, text hash, duplicate flags, elective flag). */
  notes: CrossCheckDifference[];
  agrees: boolean;
}

const TOLERANCE = 1e-9;

function explainValue(it: Item, ref: ReferenceRow, expected: number, refTotal: number | undefined): string {
  if (Math.abs(it.points - ref.points) > TOLERANCE)
    return `the points differ (${it.points} vs ${ref.points}), so the value does too`;
  if (refTotal !== undefined && Math.abs(it.examTotal - refTotal) > TOLERANCE)
    return `the exam totals differ (${it.examTotal} vs ${refTotal}): ${
      it.meta.examTotalRule === "dataset"
        ? "the exams' item sets differ (a missing item or a different duplicate flag changes the in-data-set sum)"
        : "the paper is mapped to a different official total"
    }`;
  return `value ${it.value} differs from ${expected} although points and totals agree (rounding or a hand-edited value)`;
}

/**
 * Compares imported GAOKAO items with the shipped derived file, item by item: exam id, points, exam
 * total and value (`value` under the official rule, `value_in_dataset` under the in-data-set rule),
 * each difference with an explanation.
 */
export async function crossCheckGaokao(
  items: readonly Item[],
  referenceFile: string,
): Promise<CrossCheckReport> {
  const reference = new Map<string, ReferenceRow>();
  for await (const { value } of readJsonl(referenceFile, ReferenceRowSchema)) reference.set(value.id, value);
  const differences: CrossCheckDifference[] = [];
  const notes: CrossCheckDifference[] = [];
  const onlyImported: string[] = [];
  const seen = new Set<string>();
  for (const it of items) {
    const ref = reference.get(it.id);
    if (!ref) {
      onlyImported.push(it.id);
      continue;
    }
    seen.add(it.id);
    const diff = (
      list: CrossCheckDifference[],
      field: string,
      ours: unknown,
      theirs: unknown,
      explanation: string,
    ) => list.push({ id: it.id, field, ours, reference: theirs, explanation });
    if (it.examId !== ref.exam_id)
      diff(
        differences,
        "examId",
        it.examId,
        ref.exam_id,
        it.examId.split("|")[1] !== ref.exam_id.split("|")[1]
          ? `paper variant normalized differently (raw category "${String(it.meta.category)}")`
          : "year or paper differ",
      );
    if (Math.abs(it.points - ref.points) > TOLERANCE)
      diff(
        differences,
        "points",
        it.points,
        ref.points,
        `score ${String(it.meta.score)} × ${String(it.meta.numSubquestions)} sub-answers = ${it.points}`,
      );
    const inDataset = it.meta.examTotalRule === "dataset";
    const expected = inDataset ? ref.value_in_dataset : ref.value;
    const refTotal = inDataset ? ref.exam_points_in_dataset : ref.paper_total_points;
    if (refTotal !== undefined && Math.abs(it.examTotal - refTotal) > TOLERANCE)
      diff(
        differences,
        "examTotal",
        it.examTotal,
        refTotal,
        explainValue(it, ref, expected ?? Number.NaN, refTotal),
      );
    if (expected !== undefined && Math.abs(it.value - expected) > TOLERANCE)
      diff(differences, "value", it.value, expected, explainValue(it, ref, expected, refTotal));
    if (ref.question_type !== undefined && it.meta.questionType !== ref.question_type)
      diff(
        notes,
        "meta.questionType",
        it.meta.questionType,
        ref.question_type,
        "question type read differently from the file name",
      );
    if (ref.text_hash !== undefined && it.meta.textHash !== ref.text_hash)
      diff(
        notes,
        "meta.textHash",
        it.meta.textHash,
        ref.text_hash,
        "whitespace removed differently before hashing",
      );
    if (
      ref.duplicate_within_exam_of !== undefined &&
      (it.meta.duplicateOf ?? null) !== ref.duplicate_within_exam_of
    )
      diff(
        notes,
        "meta.duplicateOf",
        it.meta.duplicateOf ?? null,
        ref.duplicate_within_exam_of,
        "within-exam duplicates are found by equal text hashes; differing hashes or exams change the flag",
      );
    if (
      ref.likely_elective !== undefined &&
      it.meta.likelyElective !== undefined &&
      it.meta.likelyElective !== ref.likely_elective
    )
      diff(
        notes,
        "meta.likelyElective",
        it.meta.likelyElective,
        ref.likely_elective,
        "the elective flag is a heuristic; the marker lists differ",
      );
  }
  const onlyReference = [...reference.keys()].filter((id) => !seen.has(id));
  return {
    referenceFile,
    checked: seen.size,
    onlyImported,
    onlyReference,
    differences,
    notes,
    agrees: differences.length === 0 && onlyImported.length === 0 && onlyReference.length === 0,
  };
}

/** A short human-readable account of a cross-check. */
export function formatCrossCheck(r: CrossCheckReport, maxLines = 20): string {
  const lines = [
    `cross-check against ${r.referenceFile}: ${r.checked} items compared, ${r.differences.length} value differences, ${r.notes.length} descriptive differences`,
  ];
  if (r.onlyImported.length)
    lines.push(
      `  ${r.onlyImported.length} imported items are not in the reference (e.g. ${r.onlyImported[0]})`,
    );
  if (r.onlyReference.length)
    lines.push(`  ${r.onlyReference.length} reference rows were not imported (e.g. ${r.onlyReference[0]})`);
  const counts = new Map<string, number>();
  for (const d of r.notes) counts.set(d.field, (counts.get(d.field) ?? 0) + 1);
  for (const [field, n] of counts) lines.push(`  ${field}: ${n} items differ`);
  for (const d of [...r.differences, ...r.notes].slice(0, maxLines))
    lines.push(
      `  ${d.id} ${d.field}: ours ${JSON.stringify(d.ours)}, reference ${JSON.stringify(d.reference)} — ${d.explanation}`,
    );
  lines.push(
    r.agrees
      ? "  result: every item agrees on exam id, points, exam total and value"
      : "  result: DIFFERENCES FOUND",
  );
  return `${lines.join("\n")}\n`;
}

import { basename, extname } from "node:path";

/**
 * Data sets without real exams (MATH, GSM8K) still need an `examId`: for splits that never cut an
 * exam, and for the in-data-set exam total. Two groupings are offered: by subject (MATH), or
 * fixed-size chunks in file order ("pseudo-exams" of `examSize` problems).
 */
export type ExamGrouping = "subject" | "chunk";
export const DEFAULT_EXAM_SIZE = 50;

/** The data set's name from a file path: "…/math500_test.jsonl" → "math500_test". */
export function datasetNameOf(file: string): string {
  return basename(file, extname(file));
}

/** The id of the k-th fixed-size chunk (0-based record index `i`), zero-padded so ids sort. */
export function chunkExamId(name: string, index: number, examSize: number): string {
  return `${name}|chunk${String(Math.floor(index / examSize)).padStart(4, "0")}`;
}

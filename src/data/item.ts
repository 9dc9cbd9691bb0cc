import { z } from "zod";

/** How an item's answer is checked; the verifier is chosen by this (see verify/). */
export const ANSWER_TYPES = [
  "number",
  "math",
  "single_choice",
  "multi_choice",
  "choice_list",
  "free_text",
] as const;
export const AnswerTypeSchema = z.enum(ANSWER_TYPES);
export type AnswerType = z.infer<typeof AnswerTypeSchema>;

/**
 * One value-labeled item: a prompt with its reference answer and its human value
 * `v = points / examTotal` (docs/method.md#exam-values). The same record is used by every layer.
 */
export const ItemSchema = z.object({
  id: z.string().min(1),
  prompt: z.string(),
  /** Reference answer. For choice lists, the sub-answers in order. */
  reference: z.union([z.string(), z.array(z.string())]),
  answerType: AnswerTypeSchema,
  examId: z.string().min(1),
  points: z.number().positive().finite(),
  examTotal: z.number().positive().finite(),
  value: z.number().gt(0).lte(1),
  difficulty: z.number().finite().optional(),
  split: z.string().default("train"),
  meta: z.record(z.string(), z.unknown()).default({}),
});
export type Item = z.infer<typeof ItemSchema>;
export type ItemInput = z.input<typeof ItemSchema>;

/**
 * Where an item's `value` came from (`meta.valueSource`). Only `exam` values must equal
 * `points / examTotal`; the others are deliberately different numbers (docs/method.md#values): weak values from
 * difficulty classes, LLM-predicted values, and values permuted for the shuffle ablation.
 */
export const VALUE_SOURCES = ["exam", "weak", "predicted", "shuffled"] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

/**
 * How an exam's total `T` in `v = points / T` was obtained (`meta.examTotalRule`): the official
 * paper total, or the sum of the points of the exam's items present in the data set.
 */
export const EXAM_TOTAL_RULES = ["official", "dataset"] as const;
export type ExamTotalRule = (typeof EXAM_TOTAL_RULES)[number];

/** Largest allowed |value - points / examTotal| for items whose value comes from the exam. */
export const VALUE_TOLERANCE = 1e-9;

/** The value source an item declares; items without `meta.valueSource` count as exam values. */
export function valueSourceOf(item: Pick<Item, "meta">): ValueSource {
  const s = item.meta?.valueSource;
  return (VALUE_SOURCES as readonly unknown[]).includes(s) ? (s as ValueSource) : "exam";
}

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
 * `v = points / examTotal` (spec §1). The same record is used by every layer.
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

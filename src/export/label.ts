import { z } from "zod";
import { type AnswerType, AnswerTypeSchema, type Item } from "../data/item.js";

/**
 * The label an exported row carries to the reward server (OpenRLHF `labels`, verl
 * `extra_info.label`): everything needed to score one response without the dataset.
 * Serialized as a JSON string so that trainers pass it through untouched.
 */
export const RewardLabelSchema = z.object({
  id: z.string().min(1).optional(),
  reference: z.union([z.string(), z.array(z.string())]),
  answerType: AnswerTypeSchema.optional(),
  value: z.number().gt(0).lte(1).optional(),
  /** The item's difficulty; the uniform-by-difficulty reward needs it (or an id of a loaded item that has one). */
  difficulty: z.number().finite().optional(),
});
export type RewardLabel = z.infer<typeof RewardLabelSchema>;

export function labelOf(item: Item): RewardLabel {
  return { id: item.id, reference: item.reference, answerType: item.answerType, value: item.value };
}

/** The label as the exports write it: a JSON string with keys in a fixed order. */
export function labelString(item: Item): string {
  const l = labelOf(item);
  return JSON.stringify({ id: l.id, reference: l.reference, answerType: l.answerType, value: l.value });
}

/** The reference as one string (verl's ground_truth): choice lists are joined as a JSON array. */
export function referenceString(reference: string | string[]): string {
  return typeof reference === "string" ? reference : JSON.stringify(reference);
}

export type { AnswerType };

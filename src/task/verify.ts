import { parseResponse } from "./format.js";

export interface TaskVerdict {
  correct: boolean;
  /** The extracted final answer ("" when the response has no answer mark). */
  pred: string;
  /** Whether the response showed steps before the answer. */
  worked: boolean;
  reason: "correct" | "wrong_answer" | "no_answer" | "truncated";
}

/**
 * Exact-answer verification: correct iff the response ended (emitted end-of-sequence) and the
 * text after its last answer mark equals the reference exactly. Shown steps are not graded, as
 * on a real exam only the final answer of such an item scores.
 */
export function verifyResponse(reference: string, text: string, finished: boolean): TaskVerdict {
  const { answer, worked } = parseResponse(text);
  const pred = answer ?? "";
  if (!finished) return { correct: false, pred, worked, reason: "truncated" };
  if (answer === null) return { correct: false, pred, worked, reason: "no_answer" };
  const correct = answer === reference;
  return { correct, pred, worked, reason: correct ? "correct" : "wrong_answer" };
}

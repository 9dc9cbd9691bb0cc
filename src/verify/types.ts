import type { AnswerType } from "../data/item.js";

/**
 * Why a verdict came out as it did. `timeout`, `unparseable` and `crash` are failures of the
 * check itself (hostile or broken input); they are counted by the pool, never silent.
 */
export type VerdictReason =
  | "equal"
  | "not_equal"
  | "partial"
  | "no_answer"
  | "unparseable"
  | "timeout"
  | "crash"
  | "error";

export interface Verdict {
  correct: boolean;
  /** 0..1; 1 when correct, a fraction under partial credit, else 0. */
  score: number;
  /** The extracted (or given) answer, or null when none was found. */
  pred: string | null;
  reason: VerdictReason | string;
  /** How `pred` was extracted (see `extractAnswer`), when it was. */
  method?: string;
}

export interface VerifyInput {
  /** The reference: an answer (LaTeX or plain), a full solution, or one sub-answer per position. */
  reference: string | string[];
  /** The model's response (mode "full") or its answer (mode "answer"). */
  response: string;
  answerType?: AnswerType;
  /** "full" (default): extract the answer from the response; "answer": the response is the answer. */
  mode?: "full" | "answer";
  /** Multi-select: half credit for a correct strict subset (the GAOKAO rule). Default false. */
  partialCredit?: boolean;
  /** Full mode: fall back to the last number of the response when nothing else is found (default true). */
  lastNumberFallback?: boolean;
}

/** A correctness check for one answer type; rule-based ones are synchronous, judges may be async. */
export interface Verifier {
  name: string;
  verify(input: VerifyInput): Verdict | Promise<Verdict>;
}

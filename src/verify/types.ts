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
  /** The response says no option is correct (无正确答案, "none of the options"): wrong, not an error. */
  | "no_option"
  | "unparseable"
  /** An LLM judge gave neither verdict. */
  | "judge_unclear"
  | "timeout"
  | "crash"
  | "error";

export interface Verdict {
  correct: boolean;
  /** 0..1; 1 when correct, a fraction under partial credit, else 0. */
  score: number;
  /** The extracted (or given) answer, or null when none was found. */
  pred: string | null;
  reason: VerdictReason;
  /** How `pred` was extracted (see `extractAnswer`), when it was. */
  method?: string;
  /**
   * Items with several blanks (reference a list, answer type choice_list): each blank's answer,
   * verdict and score (0..1, partial under `multiSelect`). `score` is then the points earned over
   * the item's points (`blankPoints`, equal by default).
   */
  blanks?: BlankVerdict[];
}

export interface BlankVerdict {
  pred: string | null;
  correct: boolean;
  score: number;
}

/**
 * Credit for a multiple-select answer (a set of letters) that is not the exact set:
 * - "strict": none (default);
 * - "six-three-zero" (alias "half"): half for a non-empty strict subset of the right letters, none
 *   with a wrong letter (GAOKAO physics, 6 / 3 / 0 points);
 * - "five-two-zero": two fifths for such a subset (新高考 math 2020–2023, 5 / 2 / 0 points);
 * - "per-option": each right letter chosen earns its share when none is wrong (新高考 math from
 *   2024: two right options 3 + 3, three right options 2 + 2 + 2 of 6 points).
 */
export type MultiSelectRule = "strict" | "six-three-zero" | "half" | "five-two-zero" | "per-option";

export interface VerifyInput {
  /** The reference: an answer (LaTeX or plain), a full solution, or one sub-answer per position. */
  reference: string | string[];
  /** The model's response (mode "full") or its answer (mode "answer"). */
  response: string;
  answerType?: AnswerType;
  /** "full" (default): extract the answer from the response; "answer": the response is the answer. */
  mode?: "full" | "answer";
  /** Multi-select credit rule (see `MultiSelectRule`; default "strict"). */
  multiSelect?: MultiSelectRule;
  /** Older name: true is `multiSelect: "six-three-zero"` (half for a correct strict subset). */
  partialCredit?: boolean;
  /**
   * A decimal answer may match an exact reference with no finite decimal form (\frac{\sqrt3}{2}
   * against 0.866, π against 3.14159) within 1e-4 relative. Default false: the exact answer is
   * required. A decimal reference keeps its tolerance either way.
   */
  approximate?: boolean;
  /** Points of each blank of a multi-blank item (default: equal); `score` = earned / total. */
  blankPoints?: number[];
  /** Full mode: fall back to the last number of the response when nothing else is found (default true). */
  lastNumberFallback?: boolean;
}

/** A correctness check for one answer type; rule-based ones are synchronous, judges may be async. */
export interface Verifier {
  name: string;
  verify(input: VerifyInput): Verdict | Promise<Verdict>;
}

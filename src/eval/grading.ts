import type { AnswerType } from "../data/item.js";
import { UsageError } from "../util/errors.js";
import type { VerifyInput } from "../verify/types.js";

/**
 * One verifier everywhere: every place that grades a response — `rlev grade`, `rlev eval`
 * (endpoint), the reward server and `rlev verify` — builds its `VerifyInput` here, so the same
 * response against the same label under the same options gets the same verdict from
 * `verifyAnswer` (in-process or in a VerifierPool worker, which runs the same function).
 */

/**
 * How a multiple-select answer that is not exactly right scores: `strict` 0; `half` half credit
 * for a correct strict subset (nothing wrong chosen); `six-three-zero` the GAOKAO physics rule
 * (6 / 3 / 0 points: right / partly right with nothing wrong / wrong), the same fractions as `half`.
 */
export const MULTI_SELECT_RULES = ["strict", "half", "six-three-zero"] as const;
export type MultiSelectRule = (typeof MULTI_SELECT_RULES)[number];

export interface GradingOptions {
  /** Default `strict`. */
  multiSelect?: MultiSelectRule;
  /** Accept a rounded decimal for an exact symbolic reference (off by default: a policy could learn to round). */
  approximate?: boolean;
  /** Points of each blank of a multi-blank item, in order (default: equal points). */
  blankPoints?: number[];
  /** Full responses: fall back to the last number when nothing else is found (default true). */
  lastNumberFallback?: boolean;
}

/** What a response is graded against: an item or a reward label. */
export interface GradingLabel {
  reference: string | string[];
  answerType?: AnswerType;
  /** The item's own per-blank points (`meta.blankPoints`), used when the options give none. */
  blankPoints?: number[];
}

/**
 * The verifier's input for one full response. Options the verifier does not know yet are still
 * passed on (they travel to pool workers as plain data), so every path carries the same fields.
 */
export function gradingInput(label: GradingLabel, response: string, opts: GradingOptions = {}): VerifyInput {
  const rule = opts.multiSelect ?? "strict";
  const blankPoints = opts.blankPoints ?? label.blankPoints;
  const input: VerifyInput & Record<string, unknown> = {
    reference: label.reference,
    response,
    answerType: label.answerType,
    mode: "full",
    partialCredit: rule !== "strict",
    multiSelect: rule,
  };
  if (opts.approximate) input.approximate = true;
  if (blankPoints && Array.isArray(label.reference) && blankPoints.length === label.reference.length)
    input.blankPoints = blankPoints;
  if (opts.lastNumberFallback === false) input.lastNumberFallback = false;
  return input;
}

/** `--multi-select` on the command line. */
export function multiSelectRuleOption(raw: string): MultiSelectRule {
  if (!(MULTI_SELECT_RULES as readonly string[]).includes(raw))
    throw new UsageError(`--multi-select must be one of ${MULTI_SELECT_RULES.join(", ")} (got "${raw}")`);
  return raw as MultiSelectRule;
}

/** `--blank-points 2,2,3` on the command line: positive numbers, comma-separated. */
export function blankPointsOption(raw: string): number[] {
  const parts = raw.split(",").map((s) => s.trim());
  const out = parts.map(Number);
  if (parts.length === 0 || out.some((x, i) => parts[i] === "" || !(Number.isFinite(x) && x > 0)))
    throw new UsageError(`--blank-points must be positive numbers separated by commas (got "${raw}")`);
  return out;
}

/** The item's own per-blank points (`meta.blankPoints`), when it declares valid ones. */
export function itemBlankPoints(meta: Record<string, unknown> | undefined): number[] | undefined {
  const bp = meta?.blankPoints;
  return Array.isArray(bp) && bp.length > 0 && bp.every((x) => typeof x === "number" && x > 0)
    ? (bp as number[])
    : undefined;
}

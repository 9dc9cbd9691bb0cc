import type { AnswerType } from "../data/item.js";
import { UsageError } from "../util/errors.js";
import { VerifierPool } from "../verify/pool.js";
import type { MultiSelectRule, Verdict, VerifyInput } from "../verify/types.js";
import { verifyAnswer } from "../verify/verifiers.js";

/**
 * One verifier everywhere: every place that grades a response — `rlev grade`, `rlev eval`
 * (endpoint), the reward server and `rlev verify` — builds its `VerifyInput` here, so the same
 * response against the same label under the same options gets the same verdict from
 * `verifyAnswer` (in-process or in a VerifierPool worker, which runs the same function).
 */

/** The verifier's multi-select rules (verify/types.ts `MultiSelectRule`), as `--multi-select` takes them. */
export const MULTI_SELECT_RULES = [
  "strict",
  "half",
  "six-three-zero",
  "five-two-zero",
  "per-option",
] as const;

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

/** The verifier's input for one full response: the same fields on every path. */
export function gradingInput(label: GradingLabel, response: string, opts: GradingOptions = {}): VerifyInput {
  const rule = opts.multiSelect ?? "strict";
  const blankPoints = opts.blankPoints ?? label.blankPoints;
  const input: VerifyInput = {
    reference: label.reference,
    response,
    answerType: label.answerType,
    mode: "full",
    multiSelect: rule,
  };
  // The older flag too, for a verifier path that reads only it (it means six-three-zero).
  if (rule === "half" || rule === "six-three-zero") input.partialCredit = true;
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

/**
 * The reward server's split, for callers that grade a few responses at a time (`rlev eval
 * --endpoint`): `verifyAnswer` in-process — its work per answer is bounded (verify/limits.ts) —
 * and responses longer than `guardAboveChars` in a VerifierPool under a hard time limit, started
 * on first use. Both run the same function on the same input, so the verdicts are the same.
 */
export class GuardedVerifier {
  private pool: VerifierPool | undefined;
  constructor(
    private readonly opts: { threads?: number; timeoutMs?: number; guardAboveChars?: number } = {},
  ) {}

  async verifyMany(inputs: readonly VerifyInput[]): Promise<Verdict[]> {
    const limit = this.opts.guardAboveChars ?? 20_000;
    const out: Verdict[] = new Array(inputs.length);
    const guarded: number[] = [];
    inputs.forEach((input, i) => {
      if (input.response.length > limit) guarded.push(i);
      else out[i] = verifyAnswer(input);
    });
    if (guarded.length > 0) {
      this.pool ??= new VerifierPool({ threads: this.opts.threads ?? 1, timeoutMs: this.opts.timeoutMs });
      const verdicts = await this.pool.verifyMany(guarded.map((i) => inputs[i]));
      guarded.forEach((i, k) => {
        out[i] = verdicts[k];
      });
    }
    return out;
  }

  async close(): Promise<void> {
    await this.pool?.close();
    this.pool = undefined;
  }
}

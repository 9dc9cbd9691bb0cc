/**
 * Answer verification (issue 3): extraction, math equivalence, choices, and a worker pool with
 * hard per-item time limits.
 *
 * - `extractAnswer(response, { lastNumberFallback? })` → `{ pred, method }`: the final answer of
 *   a full response (last \boxed{}/\fbox with adjacent siblings, "####", "Answer:", "the answer
 *   is", 答案是/故选, **bold**, a closing choice letter, a short non-prose response whole, the last
 *   math span or standalone number), looking only after a closing `</think>`.
 * - `verifyAnswer({ reference, response, answerType?, mode?, multiSelect?, approximate?, blankPoints? })`
 *   → `Verdict` `{ correct, score, pred, reason, method?, blanks? }`: synchronous, in-process, no
 *   time limit (trusted inputs). Answer fields (`<answer>…</answer>`, `【答案】…<eoa>`) hold the
 *   answer; a list reference (choice_list) is graded blank by blank (`blanks`, score = points
 *   earned / points); see docs/verification.md "Formats".
 * - `mathEquivalent(pred, reference)`: the equivalence test alone (symmetric; a sentence around an
 *   answer is reduced to the answer first).
 * - `VerifierPool({ threads?, timeoutMs? })`: `verify`, `verifyMany`, `stats`, `close` — worker
 *   threads, each item under a hard time limit; a stuck worker is terminated and replaced.
 * - `Verifier` / `VerifierRegistry`: verifiers chosen by answer type; register a judge for a type.
 */
export { parseChoiceLetters, scoreMultiChoice } from "./choice.js";
export { type Equivalence, type EquivalenceOptions, mathEquivalent, referenceAnswer } from "./equivalence.js";
export { type Extraction, type ExtractOptions, extractAnswer } from "./extract.js";
export {
  DEFAULT_JUDGE_PROMPT,
  type JudgeDecision,
  type JudgeGenerate,
  type JudgeInput,
  type JudgeOptions,
  judgePrompt,
  makeJudgeVerifier,
  parseJudgeReply,
} from "./judge.js";
export { LIMITS as VERIFY_LIMITS } from "./limits.js";
export { VerifierPool, type VerifierPoolOptions, type VerifierPoolStats } from "./pool.js";
export type {
  BlankVerdict,
  MultiSelectRule,
  Verdict,
  VerdictReason,
  Verifier,
  VerifyInput,
} from "./types.js";
export { RULE_VERIFIERS, resolveAnswerType, VerifierRegistry, verifyAnswer } from "./verifiers.js";

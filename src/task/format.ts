/**
 * Text format of the embedded task. Every character is one token, so the format is also the
 * tokenization contract with the model's tokenizer:
 *
 *   prompt   "[12]3+5+7+2=____"      points in brackets (optional, zero-padded to a fixed width), the terms,
 *                                   and blanks that bring every question to one length (optional)
 *   worked   "3587527A7"             each term followed by the running result, then A and the answer
 *   direct   "A7"                    the answer alone
 *
 * In the worked form every running result sits right after the term it adds, so with the
 * model's token-shift input each step is a lookup on two adjacent tokens (docs/task.md#how-the-task-was-designed,
 * round 2); a direct answer must do all steps internally, which a tiny model cannot for many.
 */

/** The marker before the final answer. */
export const ANSWER_MARK = "A";

/** Every character the task's prompts and responses use (the model's vocabulary must cover it). */
export const TASK_ALPHABET = "0123456789+=[]A_";

/** The answer-blank filler that pads questions to one length. */
export const BLANK = "_";

export type SolutionMode = "worked" | "direct";

export interface PromptStyle {
  showPoints: boolean;
  /** Zero-pad the printed points to this many digits (0: as is). */
  pointsDigits?: number;
  /** Pad the question with blanks to the length of a question of this many terms (0: no padding). */
  padToTerms?: number;
}

export function renderPrompt(terms: readonly number[], points: number, style: PromptStyle): string {
  const question = `${terms.join("+")}=`;
  const blanks = style.padToTerms ? BLANK.repeat(Math.max(0, 2 * (style.padToTerms - terms.length))) : "";
  const head = style.showPoints ? `[${String(points).padStart(style.pointsDigits ?? 0, "0")}]` : "";
  return head + question + blanks;
}

/** The chained results r_1 = t_1, r_i = (r_{i-1} + t_i) mod m. */
export function runningResults(terms: readonly number[], modulus: number): number[] {
  const out: number[] = [];
  let acc = 0;
  for (const t of terms) {
    acc = (acc + t) % modulus;
    out.push(acc);
  }
  return out;
}

export function chainAnswer(terms: readonly number[], modulus: number): number {
  return runningResults(terms, modulus).at(-1)!;
}

/** A correct solution in the given mode (without the end-of-sequence token). */
export function renderSolution(terms: readonly number[], modulus: number, mode: SolutionMode): string {
  const results = runningResults(terms, modulus);
  const answer = `${ANSWER_MARK}${results.at(-1)}`;
  if (mode === "direct") return answer;
  let steps = String(terms[0]);
  for (let i = 1; i < terms.length; i++) steps += `${terms[i]}${results[i]}`;
  return steps + answer;
}

/** Token count of a correct solution, end-of-sequence included: worked 2·steps + 4, direct 3. */
export function solutionLength(steps: number, mode: SolutionMode): number {
  return mode === "direct" ? 3 : 2 * steps + 4;
}

export interface ParsedResponse {
  /** The text after the last answer mark, or null when there is none. */
  answer: string | null;
  /** True when the response shows anything before its final answer (worked steps). */
  worked: boolean;
}

/** Splits a decoded response (end-of-sequence excluded) into shown work and final answer. */
export function parseResponse(text: string): ParsedResponse {
  const at = text.lastIndexOf(ANSWER_MARK);
  if (at < 0) return { answer: null, worked: text.length > 0 };
  return { answer: text.slice(at + 1), worked: at > 0 };
}

import { extractAnswer } from "./extract.js";
import type { Verdict, Verifier, VerifyInput } from "./types.js";

/**
 * An LLM-as-judge verifier for free-text answers (the paper judged them with a 72B instruct
 * model): the judge sees the question, the reference and the response, and answers CORRECT or
 * INCORRECT. The model is asked through an injected `generate` (client/judge.ts runs it over the
 * endpoint client, with timeouts, retries and a cache), so verification does not depend on HTTP.
 */
export const DEFAULT_JUDGE_PROMPT = `You are grading an exam. Compare the student's response with the reference answer.

Question:
{question}

Reference answer:
{reference}

Student's response:
{response}

Does the student's final answer agree with the reference answer in substance (same result or the same key points; wording may differ)? Reply with exactly one word: CORRECT or INCORRECT.`;

/** A verify input for the judge: the question is needed in addition to reference and response. */
export interface JudgeInput extends VerifyInput {
  question?: string;
  /** Stable id of the item and sample, for the cache record (the key is computed from the request). */
  itemId?: string;
  sample?: number;
}

/**
 * Asks the judge model one prompt and resolves to its reply. `about` names the item and sample
 * judged, for a cache record.
 */
export type JudgeGenerate = (prompt: string, about: { itemId: string; sample: number }) => Promise<string>;

export interface JudgeOptions {
  /** The judge model's name; the verifier is named `judge:<model>`. */
  model: string;
  generate: JudgeGenerate;
  /** Template with {question}, {reference} and {response}. */
  prompt?: string;
  /** Longest response (characters, from the end) shown to the judge; the final answer is at the end. */
  maxResponseChars?: number;
}

export type JudgeDecision = "correct" | "incorrect" | "unclear";

/** Reads the judge's one-word reply; a reasoning block before it is skipped. */
export function parseJudgeReply(reply: string): JudgeDecision {
  const text = reply
    .replace(/<think>[\s\S]*?<\/think>/gi, "")
    .trim()
    .toUpperCase();
  // INCORRECT contains CORRECT: look for the negative words first, as whole words.
  const neg = /\b(INCORRECT|NOT CORRECT|WRONG)\b/.exec(text);
  const pos = /\bCORRECT\b/.exec(text);
  if (neg && (!pos || neg.index <= pos.index)) return "incorrect";
  if (pos) return "correct";
  if (/^(YES|TRUE)\b/.test(text)) return "correct";
  if (/^(NO|FALSE)\b/.test(text)) return "incorrect";
  return "unclear";
}

export function judgePrompt(
  template: string,
  question: string,
  reference: string | string[],
  response: string,
): string {
  const ref = typeof reference === "string" ? reference : reference.join("; ");
  // One pass over the template, so that braces inside the texts are never re-substituted.
  return template.replace(/\{(question|reference|response)\}/g, (_, k: string) =>
    k === "question" ? question : k === "reference" ? ref : response,
  );
}

export function makeJudgeVerifier(opts: JudgeOptions): Verifier {
  const template = opts.prompt ?? DEFAULT_JUDGE_PROMPT;
  const maxChars = opts.maxResponseChars ?? 8_000;
  return {
    name: `judge:${opts.model}`,
    async verify(input: VerifyInput): Promise<Verdict> {
      const j = input as JudgeInput;
      const shown = j.response.length > maxChars ? `…${j.response.slice(-maxChars)}` : j.response;
      const prompt = judgePrompt(template, j.question ?? "", j.reference, shown);
      const reply = await opts.generate(prompt, { itemId: j.itemId ?? "", sample: j.sample ?? 0 });
      const decision = parseJudgeReply(reply);
      const pred = extractAnswer(j.response).pred;
      return {
        correct: decision === "correct",
        score: decision === "correct" ? 1 : 0,
        pred,
        reason: decision === "correct" ? "equal" : decision === "incorrect" ? "not_equal" : "judge_unclear",
        method: "judge",
      };
    },
  };
}

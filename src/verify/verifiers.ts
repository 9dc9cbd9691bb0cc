import type { AnswerType } from "../data/item.js";
import { extractChoice, normalizeLetters, parseChoiceLetters, scoreMultiChoice } from "./choice.js";
import { mathEquivalent, referenceAnswer } from "./equivalence.js";
import { extractAnswer } from "./extract.js";
import type { Verdict, Verifier, VerifyInput } from "./types.js";

function verdict(
  correct: boolean,
  pred: string | null,
  reason: string,
  method?: string,
  score?: number,
): Verdict {
  const v: Verdict = { correct, score: score ?? (correct ? 1 : 0), pred, reason };
  if (method !== undefined) v.method = method;
  return v;
}

function single(reference: string | string[]): string {
  return Array.isArray(reference) ? reference.join(", ") : reference;
}

/** Math and number answers: extraction, then equivalence (exact, numeric, high precision). */
export const mathVerifier: Verifier = {
  name: "rule/math",
  verify(input: VerifyInput): Verdict {
    const mode = input.mode ?? "full";
    const ex =
      mode === "answer"
        ? { pred: input.response.trim() || null, method: "given" }
        : extractAnswer(input.response, { lastNumberFallback: input.lastNumberFallback });
    if (ex.pred === null) return verdict(false, null, "no_answer", ex.method);
    const refs = Array.isArray(input.reference) ? input.reference : [input.reference];
    // Several acceptable references: any one matching is enough.
    let reason = "not_equal";
    for (const ref of refs) {
      const eq = mathEquivalent(ex.pred, ref);
      if (eq.equal) return verdict(true, ex.pred, "equal", ex.method);
      if (eq.reason === "unparseable") reason = "unparseable";
    }
    return verdict(false, ex.pred, reason, ex.method);
  },
};

function choiceLetters(input: VerifyInput): {
  letters: string[] | null;
  pred: string | null;
  method: string;
} {
  if ((input.mode ?? "full") === "answer") {
    const pred = input.response.trim();
    return { letters: parseChoiceLetters(pred), pred: pred || null, method: "given" };
  }
  return extractChoice(input.response);
}

function referenceLetters(reference: string | string[]): string[] {
  const text = single(reference);
  const letters = parseChoiceLetters(referenceAnswer(text));
  if (!letters) throw new Error(`reference "${text.slice(0, 40)}" is not a choice (letters A-H)`);
  return letters;
}

/** One letter; the reference may also be a multi-letter set, then this behaves as multi-select. */
export const choiceVerifier: Verifier = {
  name: "rule/choice",
  verify(input: VerifyInput): Verdict {
    const ref = referenceLetters(input.reference);
    const got = choiceLetters(input);
    if (got.letters === null)
      return verdict(false, got.pred, got.pred === null ? "no_answer" : "unparseable", got.method);
    const score = scoreMultiChoice(got.letters, ref, input.partialCredit ?? false);
    const pred = normalizeLetters(got.letters).join("");
    if (score === 1) return verdict(true, pred, "equal", got.method);
    return verdict(false, pred, score > 0 ? "partial" : "not_equal", got.method, score);
  },
};

/** Splits a list answer into its positions: "B C A", "BCA", "B, C, A", "1. B 2. C", "x; y". */
function splitPositions(pred: string, n: number, letters: boolean): string[] {
  if (letters) {
    const l = parseChoiceLetters(pred.replace(/\b\d+\s*[.)、:：]\s*/g, " "));
    if (l && l.length === n) return l;
  }
  const parts = pred.split(/\s*[;；,，\n]\s*/).filter((x) => x !== "");
  return parts;
}

/** A list of sub-answers scored per position; correct only when every position is. */
export const choiceListVerifier: Verifier = {
  name: "rule/choice_list",
  verify(input: VerifyInput): Verdict {
    const refs = Array.isArray(input.reference) ? input.reference : [input.reference];
    const letterMode = refs.every((r) => /^\s*[A-Ha-h]\s*$/.test(r));
    const mode = input.mode ?? "full";
    let pred: string | null;
    let method: string;
    if (mode === "answer") {
      pred = input.response.trim() || null;
      method = "given";
    } else {
      const ex = extractAnswer(input.response, { lastNumberFallback: false });
      pred = ex.pred;
      method = ex.method;
      if (pred === null && input.response.length <= 200) {
        pred = input.response.trim() || null;
        method = "whole_response";
      }
    }
    if (pred === null) return verdict(false, null, "no_answer", method);
    const positions = splitPositions(pred, refs.length, letterMode);
    let right = 0;
    refs.forEach((ref, i) => {
      const p = positions[i];
      if (p === undefined) return;
      if (letterMode) {
        const l = parseChoiceLetters(p);
        if (l && l.length === 1 && l[0] === ref.trim().toUpperCase()) right++;
      } else if (mathEquivalent(p, ref).equal) right++;
    });
    const score = refs.length === 0 ? 0 : right / refs.length;
    if (right === refs.length && positions.length === refs.length)
      return verdict(true, pred, "equal", method);
    return verdict(false, pred, right > 0 ? "partial" : "not_equal", method, score);
  },
};

/** Free text without a judge: equal after case, space and punctuation folding. */
export const exactTextVerifier: Verifier = {
  name: "rule/exact_text",
  verify(input: VerifyInput): Verdict {
    const fold = (s: string) =>
      s
        .normalize("NFKC")
        .toLowerCase()
        .replace(/[\s\p{P}]+/gu, "");
    const pred =
      (input.mode ?? "full") === "answer" ? input.response.trim() : extractAnswer(input.response).pred;
    if (!pred) return verdict(false, null, "no_answer");
    const refs = Array.isArray(input.reference) ? input.reference : [input.reference];
    const ok = refs.some((r) => fold(r) !== "" && fold(r) === fold(pred));
    return verdict(ok, pred, ok ? "equal" : "not_equal");
  },
};

/** The rule-based verifier for each answer type. */
export const RULE_VERIFIERS: Readonly<Record<AnswerType, Verifier>> = {
  number: mathVerifier,
  math: mathVerifier,
  single_choice: choiceVerifier,
  multi_choice: choiceVerifier,
  choice_list: choiceListVerifier,
  free_text: exactTextVerifier,
};

/**
 * Verifiers chosen per item by answer type. Starts with the rule-based ones; a judge (for
 * example an LLM over an OpenAI-compatible endpoint) is plugged in with `register`.
 */
export class VerifierRegistry {
  private readonly byType = new Map<AnswerType, Verifier>(
    Object.entries(RULE_VERIFIERS) as Array<[AnswerType, Verifier]>,
  );

  register(type: AnswerType, verifier: Verifier): this {
    this.byType.set(type, verifier);
    return this;
  }

  get(type: AnswerType): Verifier {
    return this.byType.get(type) ?? mathVerifier;
  }

  /** True when the verifier for `type` is the built-in rule-based one (runs in the worker pool). */
  isRuleBased(type: AnswerType): boolean {
    return this.get(type) === RULE_VERIFIERS[type];
  }
}

/** The answer type of an input: given, or a reference list → choice_list, else math. */
export function resolveAnswerType(input: VerifyInput): AnswerType {
  if (input.answerType) return input.answerType;
  return Array.isArray(input.reference) && input.reference.length > 1 ? "choice_list" : "math";
}

/**
 * Verifies one response against its reference, synchronously and in-process, with the
 * rule-based verifiers and no time limit (for trusted inputs; use `VerifierPool` for model
 * output at scale). Never throws on bad answers: a bad reference gives reason "error".
 */
export function verifyAnswer(input: VerifyInput): Verdict {
  const type = resolveAnswerType(input);
  try {
    return RULE_VERIFIERS[type].verify(input) as Verdict;
  } catch (err) {
    return {
      correct: false,
      score: 0,
      pred: null,
      reason: "error",
      method: (err as Error).message.slice(0, 200),
    };
  }
}

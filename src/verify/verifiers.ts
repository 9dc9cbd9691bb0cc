import type { AnswerType } from "../data/item.js";
import {
  extractChoice,
  multiSelectRule,
  normalizeLetters,
  parseChoiceLetters,
  scoreMultiChoice,
} from "./choice.js";
import { mathEquivalent, referenceAnswer } from "./equivalence.js";
import { extractAnswer } from "./extract.js";
import { blankParts, splitList } from "./formats/blanks.js";
import { declinesEveryOption, statedLetters } from "./formats/letters.js";
import { numberedBlanks } from "./forms/blank-list.js";
import { finalSideOfChain } from "./forms/chain.js";
import type {
  BlankVerdict,
  MultiSelectRule,
  Verdict,
  VerdictReason,
  Verifier,
  VerifyInput,
} from "./types.js";

function verdict(
  correct: boolean,
  pred: string | null,
  reason: VerdictReason,
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

/**
 * Math and number answers: extraction, then equivalence (exact, numeric, high precision). A
 * reference that numbers its blanks ("(1). $-\frac12$; (2). $\ln 2$", GAOKAO fill-in keys) is
 * graded blank by blank, in order, as a list reference is.
 */
export const mathVerifier: Verifier = {
  name: "rule/math",
  verify(input: VerifyInput): Verdict {
    if (typeof input.reference === "string") {
      const blanks = numberedBlanks(referenceAnswer(input.reference).trim());
      if (blanks) return choiceListVerifier.verify({ ...input, reference: blanks }) as Verdict;
    }
    const mode = input.mode ?? "full";
    const ex =
      mode === "answer"
        ? { pred: input.response.trim() || null, method: "given" }
        : extractAnswer(input.response, { lastNumberFallback: input.lastNumberFallback });
    if (ex.pred === null) return verdict(false, null, "no_answer", ex.method);
    const refs = Array.isArray(input.reference) ? input.reference : [input.reference];
    // Several acceptable references: any one matching is enough.
    let reason: VerdictReason = "not_equal";
    const opts = { approximate: input.approximate ?? false };
    // A derivation found in prose ends in its value: "故焦距为 $2c=4$" states 4.
    const fromProse = ex.method === "last_math" || ex.method === "whole_response";
    const finalSide = fromProse ? finalSideOfChain(ex.pred) : null;
    for (const ref of refs) {
      const eq = mathEquivalent(ex.pred, ref, opts);
      if (eq.equal) return verdict(true, ex.pred, "equal", ex.method);
      if (finalSide !== null && !ref.includes("=") && mathEquivalent(finalSide, ref, opts).equal)
        return verdict(true, ex.pred, "equal", ex.method);
      if (eq.reason === "unparseable") reason = "unparseable";
    }
    return verdict(false, ex.pred, reason, ex.method);
  },
};

function choiceLetters(input: VerifyInput): {
  letters: string[] | null;
  pred: string | null;
  method: string;
  declined?: boolean;
} {
  if ((input.mode ?? "full") === "answer") {
    const pred = input.response.trim();
    const letters = parseChoiceLetters(pred) ?? statedLetters(pred);
    const declined = letters === null && declinesEveryOption(pred);
    return { letters, pred: pred || null, method: "given", ...(declined ? { declined } : {}) };
  }
  return extractChoice(input.response);
}

function referenceLetters(reference: string | string[]): string[] {
  const text = single(reference);
  const letters = parseChoiceLetters(referenceAnswer(text));
  if (!letters) throw new Error(`reference "${text.slice(0, 40)}" is not a choice (letters A-H)`);
  return letters;
}

/** The multi-select rule of an input: `multiSelect`, else the older `partialCredit` flag. */
function ruleOf(input: VerifyInput): MultiSelectRule {
  return input.multiSelect !== undefined
    ? multiSelectRule(input.multiSelect)
    : multiSelectRule(input.partialCredit);
}

/** One letter; the reference may also be a multi-letter set, then this behaves as multi-select. */
export const choiceVerifier: Verifier = {
  name: "rule/choice",
  verify(input: VerifyInput): Verdict {
    const ref = referenceLetters(input.reference);
    const got = choiceLetters(input);
    if (got.letters === null) {
      if (got.declined) return verdict(false, got.pred, "no_option", got.method);
      return verdict(false, got.pred, got.pred === null ? "no_answer" : "unparseable", got.method);
    }
    const score = scoreMultiChoice(got.letters, ref, ruleOf(input));
    const pred = normalizeLetters(got.letters).join("");
    if (score === 1) return verdict(true, pred, "equal", got.method);
    return verdict(false, pred, score > 0 ? "partial" : "not_equal", got.method, score);
  },
};

const isLetterBlank = (ref: string) => /^\s*[A-Ha-h]{1,8}\s*$/.test(ref);

/** One blank's verdict from the text given for it (a field, a numbered part or a list item). */
function gradeBlank(part: string | null, ref: string, input: VerifyInput, wholeText: boolean): BlankVerdict {
  if (part === null) return { pred: null, correct: false, score: 0 };
  if (isLetterBlank(ref)) {
    const got = wholeText
      ? { letters: parseChoiceLetters(part) ?? statedLetters(part), pred: part }
      : extractChoice(part);
    // No letter in the blank's text: the blank is unanswered (a sentence is not an answer to it).
    if (!got.letters) return { pred: null, correct: false, score: 0 };
    const score = scoreMultiChoice(got.letters, [...ref.trim().toUpperCase()], ruleOf(input));
    return { pred: normalizeLetters(got.letters).join(""), correct: score === 1, score };
  }
  const pred = wholeText
    ? part.trim()
    : (extractAnswer(part, { lastNumberFallback: false }).pred ?? part.trim());
  if (pred === "") return { pred: null, correct: false, score: 0 };
  const ok = mathEquivalent(pred, ref, { approximate: input.approximate ?? false }).equal;
  return { pred, correct: ok, score: ok ? 1 : 0 };
}

interface BlankTexts {
  parts: Array<string | null>;
  method: string;
  /** The parts are answers already (list items), not texts to extract an answer from. */
  wholeText: boolean;
  /** The one statement the parts were split from, when they were. */
  pred: string | null;
}

/** The blanks of one statement listing them ("B C A", "1. B 2. C 3. A"), or none. */
function listedBlanks(statement: string | null, method: string, n: number, letters: boolean): BlankTexts {
  if (statement === null) return { parts: [], method, wholeText: true, pred: null };
  const items = splitList(statement, n, letters);
  return { parts: items ?? [], method: items ? `${method}_list` : method, wholeText: true, pred: statement };
}

/**
 * The answer of each blank of a full response (see `formats/blanks.ts`): fields or numbered
 * parts (`structured`), and the final statement as a list (`listed`, used when nothing is
 * structured, or when the structure leaves blanks unanswered and the list answers them all:
 * "（1）… （2）… 综上，答案依次为 B、C、A"). In answer mode the response is the list.
 */
function blankTexts(
  input: VerifyInput,
  n: number,
  letters: boolean,
): { structured: BlankTexts | null; listed: BlankTexts } {
  if ((input.mode ?? "full") === "answer")
    return { structured: null, listed: listedBlanks(input.response.trim() || null, "given", n, letters) };
  let text = input.response;
  const close = text.lastIndexOf("</think>");
  if (close >= 0) text = text.slice(close + 8);
  else if (text.includes("<think>"))
    return {
      structured: null,
      listed: { parts: [], method: "unfinished_think", wholeText: true, pred: null },
    };
  const ex = extractAnswer(text, { lastNumberFallback: false });
  let statement = ex.pred;
  let method = ex.method;
  if (statement === null && text.length <= 200) {
    statement = text.trim() || null;
    method = "whole_response";
  }
  const found = blankParts(text, n);
  const structured =
    found.method === "none"
      ? null
      : { parts: found.parts, method: found.method, wholeText: false, pred: null };
  return { structured, listed: listedBlanks(statement, method, n, letters) };
}

/**
 * An item with several blanks (reference: one answer per blank), graded blank by blank: each
 * blank's answer is found in the response's numbering or fields and compared with its reference
 * (letters as choices under the `multiSelect` rule, anything else as mathematics). The score is
 * the points earned over the item's points (`blankPoints`, equal by default); correct only when
 * every blank is.
 */
export const choiceListVerifier: Verifier = {
  name: "rule/choice_list",
  verify(input: VerifyInput): Verdict {
    const refs = Array.isArray(input.reference) ? input.reference : [input.reference];
    if (refs.length === 0) throw new Error("reference has no blanks");
    const points = input.blankPoints ?? refs.map(() => 1);
    if (points.length !== refs.length || points.some((p) => !(p >= 0) || !Number.isFinite(p)))
      throw new Error(`blankPoints has ${points.length} entries for ${refs.length} blanks (or a bad value)`);
    const total = points.reduce((a, b) => a + b, 0);
    const letters = refs.every(isLetterBlank);
    const { structured, listed } = blankTexts(input, refs.length, letters);
    const grade = (t: BlankTexts) =>
      refs.map((ref, i) => gradeBlank(t.parts[i] ?? null, ref, input, t.wholeText));
    let found = structured ?? listed;
    let blanks = grade(found);
    if (structured && blanks.some((b) => b.pred === null) && listed.parts.length === refs.length) {
      const fromList = grade(listed);
      if (fromList.every((b) => b.pred !== null)) {
        found = listed;
        blanks = fromList;
      }
    }
    const earned = blanks.reduce((a, b, i) => a + b.score * points[i], 0);
    const score = total > 0 ? earned / total : 0;
    const answered = blanks.some((b) => b.pred !== null);
    const pred = found.pred ?? (answered ? blanks.map((b) => b.pred ?? "").join(" | ") : null);
    const all = blanks.every((b) => b.correct);
    const reason = all ? "equal" : !answered ? "no_answer" : score > 0 ? "partial" : "not_equal";
    const v = verdict(all, pred, reason, found.method, all ? 1 : score);
    v.blanks = blanks;
    return v;
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

import { extractAnswer } from "./extract.js";
import { declinesEveryOption, statedLetters } from "./formats/letters.js";
import type { MultiSelectRule } from "./types.js";

/**
 * Multiple-choice answers: letters A–H. A multi-select answer is a set (BC = CB); a list of
 * sub-answers is scored per position.
 */
const LETTERS = /^[A-H]$/;

/** Letters named by an answer text ("B", "(B)", "\text{B}", "B, C", "B和C", "选B"), or null. */
export function parseChoiceLetters(text: string): string[] | null {
  // Letter answers are short; the cap also keeps the splitting below linear-time.
  if (text.length > 200) return null;
  let s = text.normalize("NFKC").trim();
  s = s.replace(/\\(?:text|textbf|mathrm|mathbf|boxed)\s*\{([^{}]*)\}/g, "$1");
  s = s.replace(/\$/g, "").replace(/\^\s*\{?\s*\\circ\s*\}?/g, "");
  s = s.replace(/^(?:options?|choices?|答案|选项|选|answer)\s*[:：]?\s*/i, "");
  s = s.replace(/[()（）[\]{}.。:：\s]/g, " ").trim();
  if (s === "") return null;
  const parts = s.split(/[\s,、，和与及&]+|\band\b/).filter((p) => p !== "");
  const letters: string[] = [];
  for (const p of parts) {
    const up = p.length <= 8 ? p : "";
    // "BC" (letters run together) or a single letter; lower case only as a lone letter.
    if (/^[A-H]+$/.test(up)) letters.push(...up.split(""));
    else if (parts.length === 1 && /^[a-h]$/.test(up)) letters.push(up.toUpperCase());
    else return null;
  }
  return letters.length > 0 ? letters : null;
}

/**
 * Extracts the chosen letters from a full response (no last-number fallback): the final answer
 * statement's letters ("B", "BC", "B、C"), else the first letter group it states that no negation
 * names ("for sure D, it can't be A or B" → D). `declined` when the statement says no option is
 * correct (无正确答案): a wrong answer, not a failure to read one.
 */
export function extractChoice(response: string): {
  letters: string[] | null;
  pred: string | null;
  method: string;
  declined?: boolean;
} {
  const ex = extractAnswer(response, { lastNumberFallback: false });
  if (ex.pred !== null) {
    const letters = parseChoiceLetters(ex.pred) ?? statedLetters(ex.pred);
    if (letters) return { letters, pred: letters.join(""), method: ex.method };
    if (declinesEveryOption(ex.pred))
      return { letters: null, pred: ex.pred, method: ex.method, declined: true };
  }
  // A short response that is its letter group ("B", "BC", "B。不是 A"); a longer one that names
  // letters without a conclusion (an analysis of each option) chooses none.
  if (response.length <= 200) {
    const short = ex.pred === null && response.trim().length <= 40;
    const whole = parseChoiceLetters(response) ?? (short ? statedLetters(response) : null);
    if (whole) return { letters: whole, pred: whole.join(""), method: "whole_response" };
  }
  if (ex.pred === null && declinesEveryOption(response.slice(-400)))
    return { letters: null, pred: response.trim().slice(-200), method: "none", declined: true };
  return { letters: null, pred: ex.pred, method: ex.pred === null ? "none" : ex.method };
}

export function normalizeLetters(letters: string[]): string[] {
  return [...new Set(letters.map((l) => l.toUpperCase()))].sort();
}

/** The rule of a `multiSelect` option or the older `partialCredit` flag. */
export function multiSelectRule(rule: MultiSelectRule | boolean | undefined): MultiSelectRule {
  if (rule === true || rule === "half") return "six-three-zero";
  if (rule === false || rule === undefined) return "strict";
  return rule;
}

/**
 * Score of a multi-select answer: 1 for the exact set; for a non-empty strict subset of the right
 * letters (nothing wrong), the rule's partial credit (`MultiSelectRule`); else 0.
 */
export function scoreMultiChoice(
  pred: string[],
  ref: string[],
  rule: MultiSelectRule | boolean = false,
): number {
  const p = normalizeLetters(pred);
  const r = normalizeLetters(ref);
  if (p.length === r.length && p.every((x, i) => x === r[i])) return 1;
  const subset = p.length > 0 && p.length < r.length && p.every((x) => r.includes(x));
  if (!subset) return 0;
  switch (multiSelectRule(rule)) {
    case "six-three-zero":
      return 0.5;
    case "five-two-zero":
      return 0.4;
    case "per-option":
      return p.length / r.length;
    default:
      return 0;
  }
}

export function isChoiceLetter(s: string): boolean {
  return LETTERS.test(s.trim().toUpperCase());
}

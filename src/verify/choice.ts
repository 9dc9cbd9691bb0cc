import { extractAnswer } from "./extract.js";

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

/** Extracts the chosen letters from a full response (no last-number fallback). */
export function extractChoice(response: string): {
  letters: string[] | null;
  pred: string | null;
  method: string;
} {
  const ex = extractAnswer(response, { lastNumberFallback: false });
  if (ex.pred !== null) {
    const letters = parseChoiceLetters(ex.pred);
    if (letters) return { letters, pred: ex.pred, method: ex.method };
    // "the answer is (B) because ..." — take a leading letter group.
    const lead = /^\s*\(?([A-H](?:\s*[,、和]?\s*[A-H])*)\)?(?![A-Za-z])/.exec(ex.pred);
    if (lead) {
      const l = parseChoiceLetters(lead[1]);
      if (l) return { letters: l, pred: lead[1], method: ex.method };
    }
  }
  // The whole response is a letter group ("B", "BC").
  const whole = parseChoiceLetters(response.length <= 40 ? response : "");
  if (whole) return { letters: whole, pred: response.trim(), method: "whole_response" };
  return { letters: null, pred: ex.pred, method: ex.pred === null ? "none" : ex.method };
}

export function normalizeLetters(letters: string[]): string[] {
  return [...new Set(letters.map((l) => l.toUpperCase()))].sort();
}

/** Score of a multi-select answer: 1 for the exact set; 0.5 for a strict subset under partial credit. */
export function scoreMultiChoice(pred: string[], ref: string[], partialCredit: boolean): number {
  const p = normalizeLetters(pred);
  const r = normalizeLetters(ref);
  if (p.length === r.length && p.every((x, i) => x === r[i])) return 1;
  if (partialCredit && p.length > 0 && p.length < r.length && p.every((x) => r.includes(x))) return 0.5;
  return 0;
}

export function isChoiceLetter(s: string): boolean {
  return LETTERS.test(s.trim().toUpperCase());
}

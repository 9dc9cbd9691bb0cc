import { extractAnswer } from "./extract.js";
import { LIMITS } from "./limits.js";
import type { Answer } from "./math/ast.js";
import { answersEqual } from "./math/equal.js";
import { normalizeAnswerText } from "./parse/normalize.js";
import { ParseError, parseAnswer } from "./parse/parse.js";

export interface Equivalence {
  equal: boolean;
  /** equal | not_equal | unparseable */
  reason: "equal" | "not_equal" | "unparseable";
}

/** Parsed answers by text: references repeat across the n samples of a prompt. */
const CACHE_SIZE = 4_096;
const cache = new Map<string, Answer | ParseError>();

function parseCached(text: string): Answer | ParseError {
  const hit = cache.get(text);
  if (hit !== undefined) {
    // Refresh recency (Map keeps insertion order).
    cache.delete(text);
    cache.set(text, hit);
    return hit;
  }
  let out: Answer | ParseError;
  try {
    out = parseAnswer(text);
  } catch (err) {
    if (err instanceof ParseError || err instanceof RangeError) out = new ParseError(String(err.message));
    else throw err;
  }
  if (text.length <= 512) {
    cache.set(text, out);
    if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value as string);
  }
  return out;
}

/** Empties the parse cache (benchmarks measure cold parsing with it). */
export function clearParseCache(): void {
  cache.clear();
}

/** Comparable plain form for answers that do not parse as mathematics. */
function loose(text: string): string {
  try {
    return normalizeAnswerText(text)
      .replace(/\\(?:text|mathrm|textbf|mbox)\{([^{}]*)\}/g, "$1")
      .replace(/[\s{}]/g, "")
      .toLowerCase();
  } catch {
    return text.trim().toLowerCase();
  }
}

/**
 * A reference given as a full solution (it has a \boxed{} or a GSM8K "####") is reduced to
 * its final answer; a plain answer is returned as is.
 */
export function referenceAnswer(reference: string): string {
  if (reference.includes("\\boxed") || reference.includes("\\fbox") || reference.includes("####")) {
    const ex = extractAnswer(reference, { lastNumberFallback: false });
    if (ex.pred !== null) return ex.pred;
  }
  return reference;
}

/** Mathematical equivalence of an extracted answer and a reference answer (both text). */
export function mathEquivalent(pred: string, reference: string): Equivalence {
  const p = pred.trim();
  const r = referenceAnswer(reference).trim();
  if (p === r && p !== "") return { equal: true, reason: "equal" };
  if (p.length > LIMITS.maxAnswerChars) return { equal: false, reason: "unparseable" };
  const ref = parseCached(r);
  const got = parseCached(p);
  if (ref instanceof ParseError || got instanceof ParseError) {
    // Unreadable as mathematics: only an identical normalized text counts.
    const same = loose(p) !== "" && loose(p) === loose(r);
    return same
      ? { equal: true, reason: "equal" }
      : { equal: false, reason: got instanceof ParseError ? "unparseable" : "not_equal" };
  }
  try {
    return answersEqual(got, ref) ? { equal: true, reason: "equal" } : { equal: false, reason: "not_equal" };
  } catch (err) {
    if (err instanceof RangeError) return { equal: false, reason: "unparseable" };
    throw err;
  }
}

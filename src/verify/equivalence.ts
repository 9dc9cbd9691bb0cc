import { extractChoice, parseChoiceLetters } from "./choice.js";
import { extractAnswer } from "./extract.js";
import { answerReadings } from "./forms/readings.js";
import { statementNumbers } from "./forms/statements.js";
import { joinSpacedDecimal } from "./forms/tidy.js";
import { LIMITS } from "./limits.js";
import type { Answer } from "./math/ast.js";
import { answersEqual, type EqualOptions } from "./math/equal.js";
import { normalizeAnswerText } from "./parse/normalize.js";
import { ParseError, parseAnswer } from "./parse/parse.js";
import { isProse, lastItem } from "./prose.js";

export interface Equivalence {
  equal: boolean;
  /** equal | not_equal | unparseable */
  reason: "equal" | "not_equal" | "unparseable";
}

/** Options of `mathEquivalent`; see `EqualOptions` (the decimal policy). */
export type EquivalenceOptions = EqualOptions;

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

/**
 * An answer written as a sentence ("The final answer is $\frac34$. I hope it is correct.",
 * "Therefore $x \ge 5$ is the solution.", "Final Answer: The largest $n$ is 34.") reduced to its
 * answer: the extraction rules without the last-number fallback; when what they find is itself a
 * sentence (or they find nothing), its last math span or the number after it. Null when nothing
 * new is found.
 */
function answerCandidates(text: string): string[] {
  const ex = extractAnswer(text, { lastNumberFallback: false }).pred;
  const out: string[] = [];
  if (ex !== null) out.push(ex);
  const inner = lastItem(ex ?? text);
  if (inner !== null) out.push(inner);
  if (ex !== null) {
    const outer = lastItem(text);
    if (outer !== null) out.push(outer);
  }
  return out
    .map((c) => c.trim())
    .filter((c, i, all) => c !== "" && c !== text.trim() && all.indexOf(c) === i);
}

/**
 * "1000,99" and "0,125": a comma between digits that cannot be a thousands separator (not three
 * digits after it, or a lone 0 before it) is a decimal comma. Null when the text is not such a number.
 */
function decimalCommaReading(text: string): string | null {
  const m = /^([+-]?\d{1,30}),(\d{1,30})$/.exec(text.trim());
  if (!m) return null;
  if (m[2].length === 3 && /^[+-]?[1-9]\d{0,2}$/.test(m[1])) return null;
  return `${m[1]}.${m[2]}`;
}

/** Parses an answer, reducing it to the answer inside when the text is a sentence around one. */
function parseAnswerText(text: string): { text: string; parsed: Answer | ParseError } {
  const parsed = parseCached(text);
  if (!(parsed instanceof ParseError)) return { text, parsed };
  for (const candidate of answerCandidates(text)) {
    const again = parseCached(candidate);
    if (!(again instanceof ParseError)) return { text: candidate, parsed: again };
  }
  return { text, parsed };
}

function compareParsed(got: Answer, ref: Answer, opts: EquivalenceOptions): Equivalence {
  try {
    return answersEqual(got, ref, opts)
      ? { equal: true, reason: "equal" }
      : { equal: false, reason: "not_equal" };
  } catch (err) {
    if (err instanceof RangeError) return { equal: false, reason: "unparseable" };
    throw err;
  }
}

const EQUAL: Equivalence = { equal: true, reason: "equal" };

/** `letter` is a lone choice letter and `sentence` a longer text choosing one: their verdict. */
function choiceAgainstSentence(sentence: string, letter: string): Equivalence | null {
  // Cheap tests first: this runs on every comparison.
  if (letter.length > 24 || sentence.length <= letter.length || /\d/.test(letter) || !/[A-Ha-h]/.test(letter))
    return null;
  const wanted = parseChoiceLetters(letter);
  // Only a sentence: "A + B" against "A" is mathematics, not a choice.
  if (wanted?.length !== 1 || !isProse(sentence)) return null;
  const chosen = extractChoice(sentence).letters;
  if (chosen?.length !== 1) return null;
  return chosen[0] === wanted[0] ? EQUAL : { equal: false, reason: "not_equal" };
}

/**
 * Mathematical equivalence of an extracted answer and a reference answer (both text): as written,
 * then in the other readings an exam grader accepts (`forms/readings.ts`: labels, units, Chinese
 * words, ratios, …). Symmetric except for the decimal policy (`opts.approximate`).
 */
export function mathEquivalent(pred: string, reference: string, opts: EquivalenceOptions = {}): Equivalence {
  const p0 = referenceAnswer(pred).trim();
  const r0 = referenceAnswer(reference).trim();
  if (p0 === r0 && p0 !== "") return { equal: true, reason: "equal" };
  // Forms that the parser would misread: "0. 98" (0.98, not 0·98), "(2)(3)" (statements 2 and 3, not 6).
  const p = statementNumbers(joinSpacedDecimal(p0));
  const r = statementNumbers(joinSpacedDecimal(r0));
  const direct = equivalentAsWritten(p, r, opts);
  if (direct.equal || p.length > LIMITS.maxAnswerChars || r.length > LIMITS.maxAnswerChars) return direct;
  const predReadings = answerReadings(p, r);
  const refReadings = answerReadings(r, p);
  if (predReadings.length === 0 && refReadings.length === 0) return direct;
  let reason = direct.reason;
  for (const a of [p, ...predReadings])
    for (const b of [r, ...refReadings]) {
      if (a === p && b === r) continue;
      const v = equivalentAsWritten(a, b, opts);
      if (v.equal) return v;
      // A reading that parses turns "unparseable" into a plain "not_equal".
      if (v.reason === "not_equal") reason = "not_equal";
    }
  return { equal: false, reason };
}

function equivalentAsWritten(p: string, r: string, opts: EquivalenceOptions): Equivalence {
  if (p === r && p !== "") return { equal: true, reason: "equal" };
  if (p.length > LIMITS.maxAnswerChars) return { equal: false, reason: "unparseable" };
  // A choice letter ("C", "(C)", "\text{C}") against a sentence naming one, either way round.
  const letters = choiceAgainstSentence(p, r) ?? choiceAgainstSentence(r, p);
  if (letters) return letters;
  const ref = parseAnswerText(r);
  const got = parseAnswerText(p);
  if (ref.parsed instanceof ParseError || got.parsed instanceof ParseError) {
    // Unreadable as mathematics: only an identical normalized text counts.
    const same = loose(got.text) !== "" && loose(got.text) === loose(ref.text);
    return same
      ? { equal: true, reason: "equal" }
      : { equal: false, reason: got.parsed instanceof ParseError ? "unparseable" : "not_equal" };
  }
  const verdict = compareParsed(got.parsed, ref.parsed, opts);
  if (verdict.equal) return verdict;
  // A decimal comma on one side, a single number on the other: "1000,99" against 1000.99.
  for (const [side, other] of [
    [got, ref.parsed],
    [ref, got.parsed],
  ] as const) {
    const reading = decimalCommaReading(side.text);
    if (reading === null || other.k !== "expr") continue;
    const alt = parseCached(reading);
    if (alt instanceof ParseError) continue;
    if ((side === got ? compareParsed(alt, other, opts) : compareParsed(other, alt, opts)).equal)
      return { equal: true, reason: "equal" };
  }
  return verdict;
}

import type { Answer } from "../math/ast.js";
import { isCmd, isOp } from "./cursor.js";
import { ParseError, type Token } from "./tokenize.js";
import { FUNCTIONS, NAMED_WORDS, NUMBER_WORDS } from "./vocabulary.js";

/**
 * An answer made of words and `\text{}` only ("Evelyn", "\text{(C)}", "even"): its lower-case text,
 * a number word's number, or infinity. Null when the range is not pure text or is one math letter.
 */
export function textAnswer(toks: Token[], lo: number, hiIn: number): Answer | null {
  const textual = (t: Token) =>
    t.t === "word" || (t.t === "text" && !/\d/.test(t.v)) || isOp(t, "(") || isOp(t, ")");
  if (toks.slice(lo, hiIn).every(textual)) {
    const words = toks.slice(lo, hiIn).filter((t) => t.t === "word" || t.t === "text");
    const s = words
      .map((t) => t.v)
      .join(" ")
      .replace(/[()]/g, " ")
      .replace(/\s+/g, " ")
      .trim()
      .toLowerCase();
    const mathWord = (t: Token) =>
      t.t === "word" && (t.v.length === 1 || t.v in FUNCTIONS || NAMED_WORDS.has(t.v));
    if (s in NUMBER_WORDS)
      return { k: "expr", e: { k: "num", v: { n: BigInt(NUMBER_WORDS[s]), d: 1n }, decimal: false } };
    if (s === "infinity" || s === "infty" || s === "inf") return { k: "expr", e: { k: "sym", name: "inf" } };
    if (s !== "" && !(words.length === 1 && mathWord(words[0]))) return { k: "text", s };
    if (s === "" && words.length > 0) throw new ParseError("empty text");
  }
  return null;
}

/** Drops trailing unit words (`cm`, `\text{ inches}^2`) after something numeric. */
export function trimUnits(toks: Token[], lo: number, hi: number): number {
  let h = hi;
  for (;;) {
    if (h - lo < 2) return h;
    const last = toks[h - 1];
    // "cm^{2}": fold the braced exponent into the plain form handled below.
    if (isOp(last, "}") && h - lo > 5 && toks[h - 2].t === "num" && isOp(toks[h - 3], "{")) {
      const u = toks[h - 5];
      if (
        isOp(toks[h - 4], "^") &&
        (u.t === "text" || (u.t === "word" && u.v.length >= 2 && !(u.v in FUNCTIONS)))
      ) {
        h -= 4;
        continue;
      }
    }
    if (last.t === "num" && isOp(toks[h - 2], "^") && h - lo > 3) {
      const u = toks[h - 3];
      if (u.t === "text" || (u.t === "word" && u.v.length >= 2 && !(u.v in FUNCTIONS))) {
        h -= 2;
        continue;
      }
      return h;
    }
    const isUnit =
      (last.t === "text" && !/[\d=]/.test(last.v)) ||
      (last.t === "word" && last.sp && last.v.length >= 2 && !(last.v in FUNCTIONS) && last.v !== "pi");
    if (!isUnit) return h;
    h--;
  }
}

/**
 * A sentence is not an expression: "The answer is 1/3" must not read as T·h·e·a·n·s·w·e·r·i·s·⅓.
 * Prose is a word of four letters or more, or two words of two letters or more one of which has
 * three ("we get 17"), that are not function or constant names (variables are single letters;
 * "abc" alone and "ab + cd" stay products).
 */
export function rejectProse(toks: Token[], lo: number, hi: number): void {
  // Environment names and column specs: \begin{pmatrix}, \begin{array}{cccc}.
  const env = (j: number) => isOp(toks[j], "{") && (isCmd(toks[j - 1], "begin") || isCmd(toks[j - 1], "end"));
  let words = 0;
  let longest = 0;
  for (let k = lo; k < hi; k++) {
    const t = toks[k];
    if (t.t !== "word" || t.v.length < 2 || t.v in FUNCTIONS || NAMED_WORDS.has(t.v)) continue;
    if (env(k - 1) || (isOp(toks[k - 1], "{") && isOp(toks[k - 2], "}") && env(k - 4))) continue;
    words++;
    longest = Math.max(longest, t.v.length);
    if (longest >= 4 || (words >= 2 && longest >= 3)) throw new ParseError(`prose ("${t.v}")`);
  }
  // "it's", "don't": an apostrophe after a word of two letters or more is not a prime.
  for (let k = lo + 1; k < hi; k++) {
    const w = toks[k - 1];
    if (isOp(toks[k], "'") && w.t === "word" && w.v.length >= 2 && toks[k + 1]?.t === "word")
      throw new ParseError(`prose ("${w.v}'")`);
  }
}

import { isCloser, isOp, isOpener } from "./cursor.js";
import type { Token } from "./tokenize.js";
import { FUNCTIONS, NAMED_WORDS } from "./vocabulary.js";

function splitFirst(toks: Token[], k: number): void {
  const t = toks[k];
  if ((t.t === "num" && !/[.eE]/.test(t.v)) || t.t === "word")
    if (t.v.length > 1)
      toks.splice(k, 1, { ...t, v: t.v[0] } as Token, { ...t, v: t.v.slice(1), sp: false } as Token);
}

/**
 * Prepares tokens for expression parsing: juxtaposed letters become single-letter variables
 * (xy = x·y) except function and constant names, and macro arguments written without braces take
 * one character, as in LaTeX (\frac43 = 4/3, \sqrt2x = √2·x, x_12 = x_1·2).
 */
export function prepareExprTokens(input: Token[]): Token[] {
  const toks: Token[] = [];
  for (const t of input) {
    if (t.t === "word" && t.v.length > 1 && !(t.v in FUNCTIONS) && !NAMED_WORDS.has(t.v)) {
      for (let c = 0; c < t.v.length; c++) toks.push({ t: "word", v: t.v[c], sp: c === 0 ? t.sp : false });
    } else toks.push(t);
  }
  for (let j = 0; j < toks.length; j++) {
    const t = toks[j];
    let need = 0;
    if (t.t === "cmd" && (t.v === "frac" || t.v === "binom")) need = 2;
    else if (t.t === "cmd" && t.v === "sqrt") need = 1;
    else if (isOp(t, "_")) need = 1;
    let k = j + 1;
    if (t.t === "cmd" && t.v === "sqrt" && isOp(toks[k], "[")) {
      let depth = 0;
      for (; k < toks.length; k++) {
        if (isOpener(toks[k])) depth++;
        else if (isCloser(toks[k]) && --depth === 0) break;
      }
      k++;
    }
    for (let a = 0; a < need && k < toks.length; a++) {
      if (isOp(toks[k], "{")) {
        let depth = 0;
        for (; k < toks.length; k++) {
          if (isOpener(toks[k])) depth++;
          else if (isCloser(toks[k]) && --depth === 0) break;
        }
        k++;
      } else {
        splitFirst(toks, k);
        k++;
      }
    }
  }
  return toks;
}

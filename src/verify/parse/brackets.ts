import { LIMITS } from "../limits.js";
import type { Answer } from "../math/ast.js";
import { isCloser, isCmd, isOp, isOpener, type ParseRange } from "./cursor.js";
import type { ExprParser } from "./expression.js";
import { ParseError } from "./tokenize.js";

/**
 * Bracketed structures whose opener closes at the very end of toks[lo, hi): sets `\{…\}`,
 * intervals `[a, b)`, tuples and vectors `(a, b, c)`, `⟨1, 2⟩`, a bracketed matrix, the choice
 * "(C)". Null when the range is not one of these (then it is read as an expression).
 */
export function bracketedAnswer(
  p: ExprParser,
  lo: number,
  hi: number,
  item: ParseRange,
  top: ParseRange,
): Answer | null {
  const toks = p.toks;
  const first = toks[lo];
  const last = toks[hi - 1];
  if (!(isOpener(first) && isCloser(last) && p.matchClose(lo, hi) === hi - 1)) return null;
  const inner = p.splitTop(lo + 1, hi - 1, (t) => isOp(t, ",") || isOp(t, ";"));
  // "{1,3}" without backslashes is LaTeX grouping: it shows "1,3", a list.
  if (isOp(first, "{") && isOp(last, "}") && inner.length >= 2) return top(lo + 1, hi - 1);
  if (isCmd(first, "{")) {
    if (inner.length === 1 && inner[0][0] === inner[0][1]) return { k: "set", items: [] };
    if (inner.length > LIMITS.maxItems) throw new ParseError("too many items");
    return { k: "set", items: inner.map(([a, b]) => item(a, b)) };
  }
  if (inner.length >= 2) {
    if (inner.length > LIMITS.maxItems) throw new ParseError("too many items");
    if (inner.some(([a, b]) => a >= b)) throw new ParseError("empty tuple item");
    const openV = first.v;
    const closeV = last.v;
    // ⟨1, 2⟩ is a vector; other mixed brackets make an interval.
    if (inner.length === 2 && !(openV === "(" && closeV === ")") && openV !== "langle") {
      const lo2 = p.exprOf(inner[0][0], inner[0][1]);
      const hi2 = p.exprOf(inner[1][0], inner[1][1]);
      return { k: "interval", lo: lo2, hi: hi2, loClosed: openV === "[", hiClosed: closeV === "]" };
    }
    return { k: "tuple", items: inner.map(([a, b]) => item(a, b)) };
  }
  // A bracketed matrix, "\left[\begin{array}…\end{array}\right]", is the matrix.
  if (inner.length === 1 && isCmd(toks[lo + 1], "begin")) return item(lo + 1, hi - 1);
  // A single bracketed item: "(C)" is the text C, "(x+1)" is x+1.
  if (isOp(first, "(") && hi - lo === 3 && toks[lo + 1].t === "word") {
    const w = toks[lo + 1].v;
    if (w.length === 1 && /[A-Z]/.test(w)) return { k: "text", s: w.toLowerCase() };
  }
  return null;
}

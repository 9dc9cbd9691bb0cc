import type { Answer, Expr } from "../math/ast.js";
import { isCmd, isOp, type ParseRange } from "./cursor.js";
import type { ExprParser } from "./expression.js";
import type { Token } from "./tokenize.js";

/** `\emptyset` is the empty set; `\mathbb{R}` and `\mathbb R` are all real numbers, (-∞, ∞). */
export function namedSet(toks: Token[], lo: number, hi: number): Answer | null {
  if (hi - lo === 1 && isCmd(toks[lo], "emptyset")) return { k: "set", items: [] };
  if (
    isCmd(toks[lo], "mathbb") &&
    ((hi - lo === 2 && toks[lo + 1].t === "word" && toks[lo + 1].v === "R") ||
      (hi - lo === 4 && isOp(toks[lo + 1], "{") && toks[lo + 2].t === "word" && toks[lo + 2].v === "R"))
  ) {
    const inf: Expr = { k: "sym", name: "inf" };
    return { k: "interval", lo: { k: "neg", arg: inf }, hi: inf, loClosed: false, hiClosed: false };
  }
  return null;
}

/** Unions of intervals and sets, `A \cup B`. */
export function unionAnswer(p: ExprParser, lo: number, hi: number, item: ParseRange): Answer | null {
  const unionParts = p.splitTop(lo, hi, (t) => isCmd(t, "cup"));
  if (unionParts.length <= 1) return null;
  return { k: "union", parts: unionParts.map(([a, b]) => item(a, b)) };
}

/** Membership "x \in [-2, 7]": the set is the answer. */
export function membershipAnswer(p: ExprParser, lo: number, hi: number, item: ParseRange): Answer | null {
  const inParts = p.splitTop(lo, hi, (t) => isCmd(t, "in"));
  if (inParts.length !== 2) return null;
  const [[a, b], [c, d]] = inParts;
  const lhs = p.exprOf(a, b);
  return { k: "in", lhs, set: item(c, d) };
}

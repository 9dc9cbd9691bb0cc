import type { Answer } from "../math/ast.js";
import { isOp, type ParseRange, type TokenCursor } from "./cursor.js";
import { CONSTANT_NAMES } from "./vocabulary.js";

/**
 * Answers with an approximation mark: in "x = 1/3 ≈ 0.33" the exact value before ≈ is the answer;
 * in "x ≈ 11" and "≈ 3.14" the approximation is. Null when toks[lo, hi) has no top-level ≈.
 */
export function approximateAnswer(p: TokenCursor, lo: number, hi: number, item: ParseRange): Answer | null {
  const approxParts = p.splitTop(lo, hi, (t) => isOp(t, "≈"));
  if (approxParts.length <= 1) return null;
  const [a, b] = approxParts[0];
  const first = a < b ? item(a, b) : null;
  const loneSymbol = first?.k === "expr" && first.e.k === "sym" && !CONSTANT_NAMES.has(first.e.name);
  if (first && !loneSymbol) return first;
  const [c, d] = approxParts[approxParts.length - 1];
  const last = item(c, d);
  if (first?.k === "expr" && last.k === "expr") return { k: "rel", sides: [first.e, last.e], ops: ["="] };
  return last;
}

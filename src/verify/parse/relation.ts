import type { Answer, Expr, RelOp } from "../math/ast.js";
import { isOp, type ParseRange } from "./cursor.js";
import type { ExprParser } from "./expression.js";
import { ParseError, type Token } from "./tokenize.js";
import { RELOPS } from "./vocabulary.js";

/** Relations: x = 3, y = 2x + 3, x < 1, a = b = c. Null when toks[lo, hi) has no top-level relation. */
export function relationAnswer(p: ExprParser, lo: number, hi: number, item: ParseRange): Answer | null {
  const toks = p.toks;
  const relParts = p.splitTop(lo, hi, (t) => t.t === "op" && t.v in RELOPS);
  if (relParts.length <= 1) return null;
  const ops: RelOp[] = [];
  for (let k = 0; k < relParts.length - 1; k++) ops.push(RELOPS[(toks[relParts[k][1]] as Token).v]);
  if (relParts.some(([a, b]) => a >= b)) throw new ParseError("relation with an empty side");
  const items = relParts.map(([a, b], k) => {
    // "f(x) = 2x + 1": a function named on the left is a name, as "y" is in "y = 2x + 1".
    if (
      k === 0 &&
      ops[0] === "=" &&
      b - a >= 4 &&
      toks[a].t === "word" &&
      toks[a].v.length === 1 &&
      isOp(toks[a + 1], "(") &&
      p.matchClose(a + 1, b) === b - 1
    ) {
      const raw = toks
        .slice(a + 2, b - 1)
        .map((t) => (t.t === "cmd" ? `\\${t.v}` : t.v))
        .join("");
      // Only a function of variables, f(x) or g(s,t): "x(x+1) = 6" is an equation in x.
      if (/^[a-zA-Z](?:,[a-zA-Z])*$/.test(raw))
        return { k: "expr", e: { k: "sym", name: `${toks[a].v}(${raw})` } } as Answer;
    }
    return item(a, b);
  });
  if (items.every((it) => it.k === "expr"))
    return { k: "rel", sides: items.map((it) => (it as { k: "expr"; e: Expr }).e), ops };
  // "(x, y) = (1, 2)": names assigned a structure; the structure is the answer.
  if (items.length === 2 && ops[0] === "=" && items[1].k !== "expr") return items[1];
  throw new ParseError("relation between structures");
}

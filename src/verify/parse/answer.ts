import { LIMITS } from "../limits.js";
import type { Answer } from "../math/ast.js";
import { approximateAnswer } from "./approximate.js";
import { bracketedAnswer } from "./brackets.js";
import { isOp, type ParseRange } from "./cursor.js";
import { ExprParser } from "./expression.js";
import { matrixAnswer } from "./matrix.js";
import { relationAnswer } from "./relation.js";
import { membershipAnswer, namedSet, unionAnswer } from "./sets.js";
import { rejectProse, textAnswer, trimUnits } from "./text.js";
import { ParseError } from "./tokenize.js";
import { SEPARATOR_WORDS } from "./vocabulary.js";

/**
 * Reads the shape of an answer (list, text, approximation, set, interval, relation, matrix, tuple)
 * and hands what is left to the expression grammar. The order of the shape readers is the
 * precedence of the shapes: "x = 1/3 ≈ 0.33" is an approximation before it is a relation.
 */
export class AnswerParser extends ExprParser {
  private readonly item: ParseRange = (lo, hi) => this.parseItem(lo, hi);
  private readonly top: ParseRange = (lo, hi) => this.parseTop(lo, hi);

  /** A whole answer: items separated by ",", ";", "and", "or" form a list. */
  parseTop(lo: number, hi: number): Answer {
    if (lo >= hi) throw new ParseError("empty answer");
    const parts = this.splitTop(
      lo,
      hi,
      (t) =>
        isOp(t, ",") ||
        isOp(t, ";") ||
        (t.t === "word" && SEPARATOR_WORDS.has(t.v.toLowerCase())) ||
        (t.t === "text" && /^\s*(and|or|,)\s*$/i.test(t.v)),
    );
    if (parts.length === 1) return this.parseItem(lo, hi);
    if (parts.length > LIMITS.maxItems) throw new ParseError("too many items");
    const items = parts.filter(([a, b]) => a < b).map(([a, b]) => this.parseItem(a, b));
    if (items.length === 0) throw new ParseError("empty answer");
    return items.length === 1 ? items[0] : { k: "list", items };
  }

  parseItem(lo: number, hi: number): Answer {
    this.enter();
    try {
      return this.parseItemInner(lo, hi);
    } finally {
      this.leave();
    }
  }

  private parseItemInner(lo: number, hiIn: number): Answer {
    const toks = this.toks;
    const text = textAnswer(toks, lo, hiIn);
    if (text) return text;
    const approximate = approximateAnswer(this, lo, hiIn, this.item);
    if (approximate) return approximate;

    const hi = trimUnits(toks, lo, hiIn);
    if (lo >= hi) throw new ParseError("empty answer");
    rejectProse(toks, lo, hi);
    return (
      namedSet(toks, lo, hi) ??
      unionAnswer(this, lo, hi, this.item) ??
      membershipAnswer(this, lo, hi, this.item) ??
      relationAnswer(this, lo, hi, this.item) ??
      matrixAnswer(this, lo, hi) ??
      bracketedAnswer(this, lo, hi, this.item, this.top) ?? { k: "expr", e: this.exprOf(lo, hi) }
    );
  }
}

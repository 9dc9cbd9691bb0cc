import { LIMITS } from "../limits.js";
import type { Answer } from "../math/ast.js";
import { ParseError, type Token } from "./tokenize.js";

export function isOp(tok: Token | undefined, v: string): boolean {
  return tok !== undefined && tok.t === "op" && tok.v === v;
}
export function isCmd(tok: Token | undefined, v: string): boolean {
  return tok !== undefined && tok.t === "cmd" && tok.v === v;
}
export function isOpener(tok: Token): boolean {
  return (
    (tok.t === "op" && (tok.v === "(" || tok.v === "[" || tok.v === "{")) ||
    (tok.t === "cmd" && (tok.v === "{" || tok.v === "langle"))
  );
}
export function isCloser(tok: Token): boolean {
  return (
    (tok.t === "op" && (tok.v === ")" || tok.v === "]" || tok.v === "}")) ||
    (tok.t === "cmd" && (tok.v === "}" || tok.v === "rangle"))
  );
}

export function describe(t: Token | undefined): string {
  if (t === undefined) return "end";
  return t.t === "cmd" ? `\\${t.v}` : `"${t.v}"`;
}

/** Parses the token range [lo, hi) as one answer: how shape readers recurse into their parts. */
export type ParseRange = (lo: number, hi: number) => Answer;

/**
 * A position in a token list, a window [p, end) that nested parses narrow, and the nesting depth
 * that bounds recursion (LIMITS.maxDepth).
 */
export class TokenCursor {
  readonly toks: Token[];
  p = 0;
  end: number;
  depth = 0;

  constructor(toks: Token[]) {
    this.toks = toks;
    this.end = toks.length;
  }

  peek(): Token | undefined {
    return this.p < this.end ? this.toks[this.p] : undefined;
  }

  enter(): void {
    if (++this.depth > LIMITS.maxDepth) throw new ParseError("nesting too deep");
  }
  leave(): void {
    this.depth--;
  }

  /** Index of the closer that matches the opener at `i` (any bracket kind closes any, for "(3,4]"). */
  matchClose(i: number, hi = this.end): number {
    let depth = 0;
    for (let j = i; j < hi; j++) {
      const t = this.toks[j];
      if (isOpener(t)) depth++;
      else if (isCloser(t)) {
        depth--;
        if (depth === 0) return j;
      }
    }
    throw new ParseError("unbalanced brackets");
  }

  /** Parses toks[lo, hi) completely with `fn`, restoring the window afterwards. */
  within<T>(lo: number, hi: number, fn: () => T): T {
    const saveP = this.p;
    const saveEnd = this.end;
    this.p = lo;
    this.end = hi;
    this.enter();
    try {
      const r = fn();
      if (this.p !== hi) throw new ParseError(`unexpected ${describe(this.toks[this.p])}`);
      return r;
    } finally {
      this.leave();
      this.p = saveP;
      this.end = saveEnd;
    }
  }

  /** Top-level indices in [lo, hi) where `isSep` holds, outside any brackets. */
  splitTop(lo: number, hi: number, isSep: (t: Token) => boolean): Array<[number, number]> {
    const parts: Array<[number, number]> = [];
    let depth = 0;
    let start = lo;
    for (let j = lo; j < hi; j++) {
      const t = this.toks[j];
      if (isOpener(t)) depth++;
      else if (isCloser(t)) depth--;
      else if (depth === 0 && isSep(t)) {
        parts.push([start, j]);
        start = j + 1;
      }
    }
    parts.push([start, hi]);
    return parts;
  }
}

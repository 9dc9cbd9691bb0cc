import { LIMITS } from "../limits.js";
import { type Answer, type Expr, mapChildren, type RelOp, substitute } from "../math/ast.js";
import { exactValue } from "../math/exact.js";
import { parseDecimal } from "../math/rational.js";
import { normalizeAnswerText } from "./normalize.js";
import { ParseError, type Token, tokenize } from "./tokenize.js";

/** Named functions, as `\sin` commands or bare words, with the name used in the AST. */
const FUNCTIONS: Record<string, string> = {
  sin: "sin",
  cos: "cos",
  tan: "tan",
  cot: "cot",
  sec: "sec",
  csc: "csc",
  arcsin: "asin",
  arccos: "acos",
  arctan: "atan",
  arccot: "acot",
  asin: "asin",
  acos: "acos",
  atan: "atan",
  sinh: "sinh",
  cosh: "cosh",
  tanh: "tanh",
  ln: "ln",
  log: "log",
  lg: "lg",
  exp: "exp",
  sqrt: "sqrt",
  abs: "abs",
};
const INVERSE: Record<string, string> = { sin: "asin", cos: "acos", tan: "atan", cot: "acot" };

/** Wrappers whose argument is the value itself (`\boxed{3}` is 3, `\vec{v}` is v). */
const UNWRAP = new Set([
  "boxed",
  "fbox",
  "vec",
  "overline",
  "bar",
  "hat",
  "widehat",
  "overrightarrow",
  "mathbb",
]);
const RELOPS: Record<string, RelOp> = { "=": "=", "<": "<", ">": ">", "<=": "<=", ">=": ">=", "!=": "!=" };
const SEPARATOR_WORDS = new Set(["and", "or"]);

function isOp(tok: Token | undefined, v: string): boolean {
  return tok !== undefined && tok.t === "op" && tok.v === v;
}
function isCmd(tok: Token | undefined, v: string): boolean {
  return tok !== undefined && tok.t === "cmd" && tok.v === v;
}
function isOpener(tok: Token): boolean {
  return (
    (tok.t === "op" && (tok.v === "(" || tok.v === "[" || tok.v === "{")) ||
    (tok.t === "cmd" && (tok.v === "{" || tok.v === "langle"))
  );
}
function isCloser(tok: Token): boolean {
  return (
    (tok.t === "op" && (tok.v === ")" || tok.v === "]" || tok.v === "}")) ||
    (tok.t === "cmd" && (tok.v === "}" || tok.v === "rangle"))
  );
}

function mul(a: Expr, b: Expr): Expr {
  const fa = a.k === "mul" ? a.factors : [a];
  const fb = b.k === "mul" ? b.factors : [b];
  return { k: "mul", factors: [...fa, ...fb] };
}

function isIntLiteral(e: Expr): boolean {
  return e.k === "num" && !e.decimal && e.v.d === 1n && e.v.n >= 0n;
}

class Parser {
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

  // ---------- answers ----------

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

  /** Drops trailing unit words (`cm`, `\text{ inches}^2`) after something numeric. */
  trimUnits(lo: number, hi: number): number {
    let h = hi;
    for (;;) {
      if (h - lo < 2) return h;
      const last = this.toks[h - 1];
      // "cm^{2}": fold the braced exponent into the plain form handled below.
      if (isOp(last, "}") && h - lo > 5 && this.toks[h - 2].t === "num" && isOp(this.toks[h - 3], "{")) {
        const u = this.toks[h - 5];
        if (
          isOp(this.toks[h - 4], "^") &&
          (u.t === "text" || (u.t === "word" && u.v.length >= 2 && !(u.v in FUNCTIONS)))
        ) {
          h -= 4;
          continue;
        }
      }
      if (last.t === "num" && isOp(this.toks[h - 2], "^") && h - lo > 3) {
        const u = this.toks[h - 3];
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

  parseItem(lo: number, hiIn: number): Answer {
    this.enter();
    try {
      return this.parseItemInner(lo, hiIn);
    } finally {
      this.leave();
    }
  }

  parseItemInner(lo: number, hiIn: number): Answer {
    const toks = this.toks;
    // Pure text: words and \text{} only ("Evelyn", "\text{(C)}", "even").
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
      if (s === "infinity" || s === "infty" || s === "inf")
        return { k: "expr", e: { k: "sym", name: "inf" } };
      if (s !== "" && !(words.length === 1 && mathWord(words[0]))) return { k: "text", s };
      if (s === "" && words.length > 0) throw new ParseError("empty text");
    }
    // "x = 1/3 ≈ 0.33": the exact value before ≈ is the answer; "x ≈ 11", "≈ 3.14": the approximation is.
    const approxParts = this.splitTop(lo, hiIn, (t) => isOp(t, "≈"));
    if (approxParts.length > 1) {
      const [a, b] = approxParts[0];
      const first = a < b ? this.parseItem(a, b) : null;
      const loneSymbol = first?.k === "expr" && first.e.k === "sym" && !CONSTANT_NAMES.has(first.e.name);
      if (first && !loneSymbol) return first;
      const [c, d] = approxParts[approxParts.length - 1];
      const last = this.parseItem(c, d);
      if (first?.k === "expr" && last.k === "expr") return { k: "rel", sides: [first.e, last.e], ops: ["="] };
      return last;
    }

    const hi = this.trimUnits(lo, hiIn);
    if (lo >= hi) throw new ParseError("empty answer");
    this.rejectProse(lo, hi);
    if (hi - lo === 1 && isCmd(toks[lo], "emptyset")) return { k: "set", items: [] };
    // \mathbb{R}, \mathbb R: all real numbers.
    if (
      isCmd(toks[lo], "mathbb") &&
      ((hi - lo === 2 && toks[lo + 1].t === "word" && toks[lo + 1].v === "R") ||
        (hi - lo === 4 && isOp(toks[lo + 1], "{") && toks[lo + 2].t === "word" && toks[lo + 2].v === "R"))
    ) {
      const inf: Expr = { k: "sym", name: "inf" };
      return { k: "interval", lo: { k: "neg", arg: inf }, hi: inf, loClosed: false, hiClosed: false };
    }

    // Unions of intervals and sets.
    const unionParts = this.splitTop(lo, hi, (t) => isCmd(t, "cup"));
    if (unionParts.length > 1) return { k: "union", parts: unionParts.map(([a, b]) => this.parseItem(a, b)) };

    // Membership "x \in [-2, 7]": the set is the answer.
    const inParts = this.splitTop(lo, hi, (t) => isCmd(t, "in"));
    if (inParts.length === 2) {
      const [[a, b], [c, d]] = inParts;
      const lhs = this.exprOf(a, b);
      return { k: "in", lhs, set: this.parseItem(c, d) };
    }

    // Relations: x = 3, y = 2x + 3, x < 1, a = b = c.
    const relParts = this.splitTop(lo, hi, (t) => t.t === "op" && t.v in RELOPS);
    if (relParts.length > 1) {
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
          this.matchClose(a + 1, b) === b - 1
        ) {
          const raw = toks
            .slice(a + 2, b - 1)
            .map((t) => (t.t === "cmd" ? `\\${t.v}` : t.v))
            .join("");
          // Only a function of variables, f(x) or g(s,t): "x(x+1) = 6" is an equation in x.
          if (/^[a-zA-Z](?:,[a-zA-Z])*$/.test(raw))
            return { k: "expr", e: { k: "sym", name: `${toks[a].v}(${raw})` } } as Answer;
        }
        return this.parseItem(a, b);
      });
      if (items.every((it) => it.k === "expr"))
        return { k: "rel", sides: items.map((it) => (it as { k: "expr"; e: Expr }).e), ops };
      // "(x, y) = (1, 2)": names assigned a structure; the structure is the answer.
      if (items.length === 2 && ops[0] === "=" && items[1].k !== "expr") return items[1];
      throw new ParseError("relation between structures");
    }

    const first = toks[lo];
    const last = toks[hi - 1];
    // Matrices, and sums and products of matrices.
    if (isCmd(first, "begin")) {
      const m = this.parseMatrix(lo, hi);
      if (m) return m;
    }
    if (toks.slice(lo, hi).some((t) => isCmd(t, "begin"))) {
      let m: Answer | null = null;
      try {
        m = this.parseMatrixArithmetic(lo, hi);
      } catch (err) {
        if (!(err instanceof ParseError)) throw err;
      }
      if (m) return m;
    }
    // Bracketed structures whose opener closes at the very end.
    if (isOpener(first) && isCloser(last) && this.matchClose(lo, hi) === hi - 1) {
      const inner = this.splitTop(lo + 1, hi - 1, (t) => isOp(t, ",") || isOp(t, ";"));
      // "{1,3}" without backslashes is LaTeX grouping: it shows "1,3", a list.
      if (isOp(first, "{") && isOp(last, "}") && inner.length >= 2) return this.parseTop(lo + 1, hi - 1);
      if (isCmd(first, "{")) {
        if (inner.length === 1 && inner[0][0] === inner[0][1]) return { k: "set", items: [] };
        if (inner.length > LIMITS.maxItems) throw new ParseError("too many items");
        return { k: "set", items: inner.map(([a, b]) => this.parseItem(a, b)) };
      }
      if (inner.length >= 2) {
        if (inner.length > LIMITS.maxItems) throw new ParseError("too many items");
        if (inner.some(([a, b]) => a >= b)) throw new ParseError("empty tuple item");
        const openV = first.v;
        const closeV = last.v;
        // ⟨1, 2⟩ is a vector; other mixed brackets make an interval.
        if (inner.length === 2 && !(openV === "(" && closeV === ")") && openV !== "langle") {
          const lo2 = this.exprOf(inner[0][0], inner[0][1]);
          const hi2 = this.exprOf(inner[1][0], inner[1][1]);
          return { k: "interval", lo: lo2, hi: hi2, loClosed: openV === "[", hiClosed: closeV === "]" };
        }
        return { k: "tuple", items: inner.map(([a, b]) => this.parseItem(a, b)) };
      }
      // A bracketed matrix, "\left[\begin{array}…\end{array}\right]", is the matrix.
      if (inner.length === 1 && isCmd(toks[lo + 1], "begin")) return this.parseItem(lo + 1, hi - 1);
      // A single bracketed item: "(C)" is the text C, "(x+1)" is x+1.
      if (isOp(first, "(") && hi - lo === 3 && toks[lo + 1].t === "word") {
        const w = toks[lo + 1].v;
        if (w.length === 1 && /[A-Z]/.test(w)) return { k: "text", s: w.toLowerCase() };
      }
    }
    return { k: "expr", e: this.exprOf(lo, hi) };
  }

  /**
   * A sentence is not an expression: "The answer is 1/3" must not read as T·h·e·a·n·s·w·e·r·i·s·⅓.
   * Prose is a word of four letters or more, or two words of two letters or more one of which has
   * three ("we get 17"), that are not function or constant names (variables are single letters;
   * "abc" alone and "ab + cd" stay products).
   */
  rejectProse(lo: number, hi: number): void {
    const toks = this.toks;
    // Environment names and column specs: \begin{pmatrix}, \begin{array}{cccc}.
    const env = (j: number) =>
      isOp(toks[j], "{") && (isCmd(toks[j - 1], "begin") || isCmd(toks[j - 1], "end"));
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

  parseMatrix(lo: number, hi: number): Answer | null {
    const toks = this.toks;
    // \begin{env} ... \end{env}
    if (!isOp(toks[lo + 1], "{") || toks[lo + 2]?.t !== "word" || !isOp(toks[lo + 3], "}")) return null;
    // "\begin…\end + \begin…\end" is arithmetic on two matrices, not one matrix.
    if (this.environmentEnd(lo, hi) !== hi) return null;
    const env = toks[lo + 2].v;
    if (!/^(p|b|B|v|V|small)?matrix$|^array$/.test(env))
      throw new ParseError(`unsupported environment ${env}`);
    let start = lo + 4;
    if (env === "array" && isOp(toks[start], "{")) start = this.matchClose(start, hi) + 1;
    // The matching \end must be the last four tokens.
    if (
      !(hi - 4 >= start && isCmd(toks[hi - 4], "end") && isOp(toks[hi - 3], "{") && isOp(toks[hi - 1], "}"))
    )
      return null;
    const bodyEnd = hi - 4;
    const rowRanges = this.splitTop(start, bodyEnd, (t) => isCmd(t, "\\"));
    const rows: Expr[][] = [];
    for (const [a, b] of rowRanges) {
      if (a >= b) continue;
      const cells = this.splitTop(a, b, (t) => isOp(t, "&"));
      if (cells.length > LIMITS.maxItems) throw new ParseError("too many items");
      rows.push(
        cells.map(([c, d]) => {
          if (c >= d) throw new ParseError("empty matrix cell");
          return this.exprOf(c, d);
        }),
      );
    }
    if (rows.length === 0 || rows.length > LIMITS.maxItems) throw new ParseError("bad matrix");
    if (rows.some((r) => r.length !== rows[0].length)) throw new ParseError("ragged matrix");
    if (env === "vmatrix" || env === "Vmatrix") throw new ParseError("determinant notation");
    return { k: "matrix", rows };
  }

  /** Index just after the `\end{…}` that closes the `\begin` at `i`. */
  environmentEnd(i: number, hi: number): number {
    let depth = 0;
    for (let j = i; j < hi; j++) {
      const t = this.toks[j];
      if (isCmd(t, "begin")) depth++;
      else if (isCmd(t, "end") && --depth === 0) {
        if (isOp(this.toks[j + 1], "{") && isOp(this.toks[j + 3], "}") && j + 4 <= hi) return j + 4;
        throw new ParseError("malformed \\end");
      }
    }
    throw new ParseError("unclosed \\begin");
  }

  /**
   * Sums, differences and products of matrices and scalars ("A + B", "2A", "AB") computed entry
   * by entry as expressions, so that the result compares with a written-out matrix. Null when the
   * range is not such an expression (or sizes do not fit).
   */
  parseMatrixArithmetic(lo: number, hi: number): Answer | null {
    type Factor = { k: "scalar"; e: Expr } | { k: "matrix"; rows: Expr[][] };
    const terms: Array<{ negative: boolean; factors: Factor[] }> = [];
    let current: { negative: boolean; factors: Factor[] } = { negative: false, factors: [] };
    let scalarStart = lo;
    const flushScalar = (a: number, b: number) => {
      while (a < b && isOp(this.toks[a], "*")) a++;
      while (b > a && isOp(this.toks[b - 1], "*")) b--;
      if (a < b) current.factors.push({ k: "scalar", e: this.exprOf(a, b) });
    };
    let j = lo;
    while (j < hi) {
      const t = this.toks[j];
      if (isCmd(t, "begin")) {
        flushScalar(scalarStart, j);
        const end = this.environmentEnd(j, hi);
        const m = this.parseMatrix(j, end);
        if (m?.k !== "matrix") return null;
        current.factors.push({ k: "matrix", rows: m.rows });
        j = end;
        scalarStart = j;
      } else if (isOpener(t)) {
        j = this.matchClose(j, hi) + 1;
      } else if ((isOp(t, "+") || isOp(t, "-")) && j === lo) {
        current.negative = t.v === "-";
        j++;
        scalarStart = j;
      } else if (isOp(t, "+") || isOp(t, "-")) {
        flushScalar(scalarStart, j);
        terms.push(current);
        current = { negative: t.v === "-", factors: [] };
        j++;
        scalarStart = j;
      } else j++;
    }
    flushScalar(scalarStart, hi);
    terms.push(current);

    const MAX_SIDE = 16;
    const product = (a: Expr[][], b: Expr[][]): Expr[][] | null => {
      if (a[0].length !== b.length || a.length > MAX_SIDE || b[0].length > MAX_SIDE || b.length > MAX_SIDE)
        return null;
      return a.map((row) =>
        b[0].map((_, c) => ({ k: "add", terms: row.map((x, k) => mul(x, b[k][c])) }) as Expr),
      );
    };
    let sum: Expr[][] | null = null;
    for (const term of terms) {
      let scalar: Expr | null = term.negative ? { k: "num", v: { n: -1n, d: 1n }, decimal: false } : null;
      let matrix: Expr[][] | null = null;
      for (const f of term.factors) {
        if (f.k === "scalar") scalar = scalar ? mul(scalar, f.e) : f.e;
        else if (matrix === null) matrix = f.rows;
        else {
          matrix = product(matrix, f.rows);
          if (matrix === null) return null;
        }
      }
      if (matrix === null) return null;
      const s = scalar;
      const scaled = s ? matrix.map((row) => row.map((x) => mul(s, x))) : matrix;
      if (sum === null) sum = scaled;
      else {
        const acc: Expr[][] = sum;
        if (acc.length !== scaled.length || acc[0].length !== scaled[0].length) return null;
        sum = acc.map((row, r) => row.map((x, c) => ({ k: "add", terms: [x, scaled[r][c]] }) as Expr));
      }
    }
    return sum ? { k: "matrix", rows: sum } : null;
  }

  // ---------- expressions ----------

  parseSum(): Expr {
    const terms: Expr[] = [];
    while (this.p < this.end) {
      const t = this.peek() as Token;
      let sign: "+" | "-" | "pm" | "mp" = "+";
      if (isOp(t, "+") || isOp(t, "-")) sign = t.v as "+" | "-";
      else if (isCmd(t, "pm") || isCmd(t, "mp")) sign = t.v as "pm" | "mp";
      else if (terms.length > 0) break;
      if (sign !== "+" || isOp(t, "+")) this.p++;
      if (this.p >= this.end) throw new ParseError("dangling operator");
      const term = this.parseProduct();
      if (sign === "-") terms.push({ k: "neg", arg: term });
      else if (sign === "pm" || sign === "mp")
        terms.push({ k: "pm", a: null, b: term, minusFirst: sign === "mp" });
      else terms.push(term);
    }
    if (terms.length === 0) throw new ParseError("empty expression");
    return terms.length === 1 ? terms[0] : { k: "add", terms };
  }

  startsPrimary(t: Token | undefined): boolean {
    if (t === undefined) return false;
    if (t.t === "num") return true;
    if (t.t === "word") return !SEPARATOR_WORDS.has(t.v.toLowerCase());
    if (t.t === "text") return true;
    if (t.t === "op") return t.v === "(" || t.v === "[" || t.v === "{" || t.v === "|";
    if (t.t === "cmd")
      return (
        t.v === "frac" ||
        t.v === "sqrt" ||
        t.v === "pi" ||
        t.v === "infty" ||
        t.v === "binom" ||
        t.v === "lfloor" ||
        t.v === "lceil" ||
        t.v === "ldots" ||
        t.v === "sum" ||
        t.v === "prod" ||
        t.v in FUNCTIONS ||
        UNWRAP.has(t.v)
      );
    return false;
  }

  /**
   * "4 4/9" (an integer, a space, then a/b closing the expression, optionally with %) is the mixed
   * number 4 + 4/9, as graders read it; "11.0 4/9", "(11) 4/9" and "4 4/9 2" are not.
   */
  plainMixedFraction(): Expr | null {
    const [n, slash, d] = [this.toks[this.p], this.toks[this.p + 1], this.toks[this.p + 2]];
    if (
      n?.t !== "num" ||
      !n.sp ||
      !/^\d+$/.test(n.v) ||
      !isOp(slash, "/") ||
      d?.t !== "num" ||
      !/^\d+$/.test(d.v)
    )
      return null;
    const after = this.p + 3;
    if (!(after === this.end || (after + 1 === this.end && isOp(this.toks[after], "%")))) return null;
    // "11 7/6", "4 4/0": not a mixed number, and no other reading is safe.
    if (BigInt(n.v) >= BigInt(d.v)) throw new ParseError("improper fraction in a mixed number");
    this.p = after;
    return {
      k: "div",
      num: { k: "num", v: { n: BigInt(n.v), d: 1n }, decimal: false },
      den: { k: "num", v: { n: BigInt(d.v), d: 1n }, decimal: false },
    };
  }

  parseProduct(): Expr {
    const startsWithNumber = this.peek()?.t === "num";
    let acc = this.parseUnary();
    let accIsLiteral = startsWithNumber && isIntLiteral(acc);
    if (accIsLiteral) {
      const frac = this.plainMixedFraction();
      if (frac) {
        const mixed: Expr = { k: "add", terms: [acc, frac] };
        if (isOp(this.peek(), "%")) {
          this.p++;
          return { k: "pct", arg: mixed };
        }
        return mixed;
      }
    }
    for (;;) {
      const t = this.peek();
      if (t === undefined) break;
      if (isOp(t, "*")) {
        this.p++;
        acc = mul(acc, this.parseUnary());
      } else if (isOp(t, "/")) {
        this.p++;
        acc = { k: "div", num: acc, den: this.parseUnary() };
      } else if (this.startsPrimary(t)) {
        const f = this.parsePower();
        // "1\frac{4}{5}" and "137 \frac12" are mixed numbers in MATH answers.
        if (accIsLiteral && isCmd(t, "frac") && f.k === "div" && isIntLiteral(f.num) && isIntLiteral(f.den))
          acc = { k: "add", terms: [acc, f] };
        else acc = mul(acc, f);
      } else break;
      accIsLiteral = false;
    }
    return acc;
  }

  parseUnary(): Expr {
    const t = this.peek();
    if (isOp(t, "-")) {
      this.p++;
      return { k: "neg", arg: this.parseUnary() };
    }
    if (isOp(t, "+")) {
      this.p++;
      return this.parseUnary();
    }
    if (isCmd(t, "pm") || isCmd(t, "mp")) {
      this.p++;
      return { k: "pm", a: null, b: this.parseUnary(), minusFirst: (t as Token).v === "mp" };
    }
    return this.parsePower();
  }

  parsePower(): Expr {
    this.enter();
    try {
      let base = this.parsePostfix();
      while (isOp(this.peek(), "^")) {
        this.p++;
        base = { k: "pow", base, exp: this.parseExponent() };
        base = this.parsePostfixOps(base);
      }
      return base;
    } finally {
      this.leave();
    }
  }

  parseExponent(): Expr {
    const t = this.peek();
    if (t === undefined) throw new ParseError("missing exponent");
    if (isOp(t, "-")) {
      this.p++;
      return { k: "neg", arg: this.parseExponent() };
    }
    if (isOp(t, "+")) {
      this.p++;
      return this.parseExponent();
    }
    return this.parsePrimary();
  }

  parsePostfix(): Expr {
    return this.parsePostfixOps(this.parsePrimary());
  }

  parsePostfixOps(x: Expr): Expr {
    for (;;) {
      const t = this.peek();
      if (isOp(t, "!")) {
        this.p++;
        x = { k: "fn", name: "fact", args: [x] };
      } else if (isOp(t, "%")) {
        this.p++;
        x = { k: "pct", arg: x };
      } else if (isOp(t, "°")) {
        this.p++;
        x = { k: "fn", name: "deg", args: [x] };
      } else if (isOp(t, "'") && x.k === "sym") {
        this.p++;
        x = { k: "sym", name: `${x.name}'` };
      } else if (isOp(t, "_")) {
        this.p++;
        const sub = this.readRawArg();
        if (x.k === "sym") x = { k: "sym", name: `${x.name}_${sub}` };
        else if (x.k === "num" && !x.decimal && x.v.d === 1n && /^\d+$/.test(sub))
          x = { k: "based", digits: x.v.n.toString(), base: sub };
        else throw new ParseError("unexpected subscript");
      } else return x;
    }
  }

  /** A subscript as raw text: `{10}` → "10", `8` → "8", `n` → "n". */
  readRawArg(): string {
    const t = this.peek();
    if (t === undefined) throw new ParseError("missing subscript");
    if (isOp(t, "{")) {
      const close = this.matchClose(this.p);
      const raw = this.toks
        .slice(this.p + 1, close)
        .map((x) => (x.t === "cmd" ? `\\${x.v}` : x.v))
        .join("");
      this.p = close + 1;
      return raw;
    }
    this.p++;
    return t.t === "cmd" ? `\\${t.v}` : t.v;
  }

  /** A macro argument: a brace group or a single token (`\frac12` was split into 1 and 2 beforehand). */
  parseMacroArg(): Expr {
    const t = this.peek();
    if (t === undefined) throw new ParseError("missing argument");
    if (isOp(t, "{")) return this.parseGroup();
    return this.parsePrimary();
  }

  /** Parses toks[lo, hi) as one expression, on a copy prepared for expression parsing. */
  exprOf(lo: number, hi: number): Expr {
    const sub = new Parser(prepareExprTokens(this.toks.slice(lo, hi)));
    sub.depth = this.depth;
    return sub.within(0, sub.toks.length, () => sub.parseSum());
  }

  parseGroup(): Expr {
    const close = this.matchClose(this.p);
    const e = this.within(this.p + 1, close, () => this.parseSum());
    this.p = close + 1;
    return e;
  }

  parsePrimary(): Expr {
    const t = this.peek();
    if (t === undefined) throw new ParseError("unexpected end");
    switch (t.t) {
      case "num": {
        this.p++;
        const v = parseDecimal(t.v);
        if (v === null) throw new ParseError(`bad number ${t.v}`);
        return { k: "num", v, decimal: /[.eE]/.test(t.v) };
      }
      case "word": {
        const w = t.v;
        if (w in FUNCTIONS) return this.parseFunction(FUNCTIONS[w]);
        if (w === "pi") {
          this.p++;
          return { k: "sym", name: "pi" };
        }
        if (w === "infty" || w === "inf" || w === "infinity") {
          this.p++;
          return { k: "sym", name: "inf" };
        }
        this.p++;
        return { k: "sym", name: w };
      }
      case "text": {
        this.p++;
        const content = t.v.trim();
        if (content === "") return this.parsePrimary();
        if (content in FUNCTIONS) {
          this.p--;
          this.toks[this.p] = { t: "word", v: content, sp: t.sp };
          return this.parseFunction(FUNCTIONS[content]);
        }
        if (/^[\d\s.+\-/]+$/.test(content)) return this.parseSubText(content);
        return { k: "sym", name: `text:${content.toLowerCase()}` };
      }
      case "op": {
        if (t.v === "(" || t.v === "[" || t.v === "{") return this.parseGroup();
        if (t.v === "|") {
          let j = this.p + 1;
          let depth = 0;
          for (; j < this.end; j++) {
            const u = this.toks[j];
            if (isOpener(u)) depth++;
            else if (isCloser(u)) depth--;
            else if (depth === 0 && isOp(u, "|")) break;
          }
          if (j >= this.end) throw new ParseError("unclosed |");
          const inner = this.within(this.p + 1, j, () => this.parseSum());
          this.p = j + 1;
          return { k: "fn", name: "abs", args: [inner] };
        }
        throw new ParseError(`unexpected ${t.v}`);
      }
      case "cmd":
        return this.parseCommand(t.v);
    }
  }

  parseSubText(content: string): Expr {
    const sub = new Parser(prepareExprTokens(tokenize(normalizeAnswerText(content))));
    sub.depth = this.depth;
    return sub.within(0, sub.toks.length, () => sub.parseSum());
  }

  parseCommand(name: string): Expr {
    this.p++;
    switch (name) {
      case "frac": {
        const num = this.parseMacroArg();
        const den = this.parseMacroArg();
        return { k: "div", num, den };
      }
      case "binom": {
        const n = this.parseMacroArg();
        const k = this.parseMacroArg();
        return { k: "fn", name: "binom", args: [n, k] };
      }
      case "sqrt": {
        if (isOp(this.peek(), "[")) {
          const close = this.matchClose(this.p);
          const index = this.within(this.p + 1, close, () => this.parseSum());
          this.p = close + 1;
          return { k: "fn", name: "root", args: [index, this.parseMacroArg()] };
        }
        return { k: "fn", name: "sqrt", args: [this.parseMacroArg()] };
      }
      case "pi":
        return { k: "sym", name: "pi" };
      case "infty":
        return { k: "sym", name: "inf" };
      case "ldots":
        // An ellipsis item: lists that continue differ from lists that stop.
        return { k: "sym", name: "…" };
      case "sum":
      case "prod":
        return this.parseBigOperator(name);
      case "lfloor":
      case "lceil": {
        const closer = name === "lfloor" ? "rfloor" : "rceil";
        let j = this.p;
        while (j < this.end && !isCmd(this.toks[j], closer)) j++;
        if (j >= this.end) throw new ParseError(`missing \\${closer}`);
        const inner = this.within(this.p, j, () => this.parseSum());
        this.p = j + 1;
        return { k: "fn", name: name === "lfloor" ? "floor" : "ceil", args: [inner] };
      }
      default:
        break;
    }
    if (name in FUNCTIONS) {
      this.p--;
      return this.parseFunction(FUNCTIONS[name]);
    }
    if (UNWRAP.has(name)) return this.parseMacroArg();
    throw new ParseError(`unsupported \\${name}`);
  }

  /**
   * `\sum_{k=1}^{n} body` and `\prod`: the body is the product that follows. Integer bounds with at
   * most MAX_BIG_OPERATOR_TERMS terms are expanded (`\sum_{k=1}^{4} k^2` is 30); otherwise the
   * operator stays a function of index, bounds and body, equal only in form (factors in any order).
   */
  parseBigOperator(name: "sum" | "prod"): Expr {
    let index = "";
    let lower: Expr | null = null;
    let upper: Expr | null = null;
    for (let pass = 0; pass < 2; pass++) {
      if (isOp(this.peek(), "_")) {
        this.p++;
        const start = this.p;
        const close = isOp(this.peek(), "{") ? this.matchClose(this.p) : this.p;
        const inner = isOp(this.peek(), "{") ? [start + 1, close] : [start, start + 1];
        const eq = this.toks.slice(inner[0], inner[1]).findIndex((t) => isOp(t, "="));
        const indexTok = this.toks[inner[0]];
        if (eq === 1 && indexTok.t === "word") {
          index = indexTok.v;
          lower = this.within(inner[0] + 2, inner[1], () => this.parseSum());
        } else if (indexTok?.t === "word" && inner[1] - inner[0] === 1) index = indexTok.v;
        else throw new ParseError(`unsupported \\${name} subscript`);
        this.p = isOp(this.toks[start], "{") ? close + 1 : start + 1;
      } else if (isOp(this.peek(), "^")) {
        this.p++;
        upper = this.parseMacroArg();
      }
    }
    const body = this.parseProduct();
    const lo = lower && exactValue(lower);
    const hi = upper && exactValue(upper);
    if (
      index !== "" &&
      lo &&
      hi &&
      lo.d === 1n &&
      hi.d === 1n &&
      hi.n - lo.n < BigInt(MAX_BIG_OPERATOR_TERMS)
    ) {
      const terms: Expr[] = [];
      for (let k = lo.n; k <= hi.n; k++)
        terms.push(substitute(body, index, { k: "num", v: { n: k, d: 1n }, decimal: false }));
      if (terms.length === 0) return { k: "num", v: { n: name === "sum" ? 0n : 1n, d: 1n }, decimal: false };
      return name === "sum" ? { k: "add", terms } : { k: "mul", factors: terms };
    }
    const none: Expr = { k: "sym", name: "∅" };
    return { k: "fn", name, args: [{ k: "sym", name: index || "∅" }, lower ?? none, upper ?? none, body] };
  }

  /** `\sin x`, `\sin(x)`, `\sin^2 x`, `\sin^{-1} x`, `\log_2 8`, `\ln(x)`. */
  parseFunction(fname: string): Expr {
    this.p++;
    this.enter();
    try {
      let name = fname;
      let power: Expr | null = null;
      let base: Expr | null = null;
      if (isOp(this.peek(), "_") && (name === "log" || name === "lg")) {
        this.p++;
        base = this.parseMacroArg();
      }
      if (isOp(this.peek(), "^")) {
        this.p++;
        const e = this.parseExponent();
        if (e.k === "neg" && e.arg.k === "num" && e.arg.v.n === 1n && e.arg.v.d === 1n && INVERSE[name])
          name = INVERSE[name];
        else power = e;
      }
      let arg: Expr;
      const t = this.peek();
      if (isOp(t, "(") || isOp(t, "{") || isOp(t, "[")) arg = this.parseGroup();
      else {
        // "\sin 2x" is sin(2x): take the juxtaposed numbers and letters that follow.
        arg = this.parsePower();
        for (;;) {
          const u = this.peek();
          if (u === undefined || !(u.t === "num" || (u.t === "word" && !(u.v in FUNCTIONS)))) break;
          if (u.t === "word" && SEPARATOR_WORDS.has(u.v.toLowerCase())) break;
          arg = mul(arg, this.parsePower());
        }
      }
      let out: Expr;
      if (name === "lg")
        out = { k: "fn", name: "log", args: [{ k: "num", v: { n: 10n, d: 1n }, decimal: false }, arg] };
      else if (name === "log" && base) out = { k: "fn", name: "log", args: [base, arg] };
      else if (name === "log") out = { k: "fn", name: "ln", args: [arg] };
      else out = { k: "fn", name, args: [arg] };
      return power ? { k: "pow", base: out, exp: power } : out;
    } finally {
      this.leave();
    }
  }
}

const NAMED_WORDS = new Set(["pi", "infty", "inf", "infinity"]);
const MAX_BIG_OPERATOR_TERMS = 1_000;
const CONSTANT_NAMES = new Set(["pi", "e", "i", "inf"]);

/** A whole answer written as one number word ("two", "\\text{twelve}") is that number. */
const NUMBER_WORDS: Record<string, number> = Object.fromEntries(
  [
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen",
    "sixteen seventeen eighteen nineteen twenty",
  ]
    .join(" ")
    .split(" ")
    .map((w, i) => [w, i])
    .concat([
      ["thirty", 30],
      ["forty", 40],
      ["fifty", 50],
      ["sixty", 60],
      ["seventy", 70],
      ["eighty", 80],
      ["ninety", 90],
      ["hundred", 100],
    ]),
);

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

function describe(t: Token | undefined): string {
  if (t === undefined) return "end";
  return t.t === "cmd" ? `\\${t.v}` : `"${t.v}"`;
}

/** Removes an outer `\boxed{...}` / `\fbox{...}` left in a reference answer. */
function unwrapBoxed(s: string): string {
  const m = /^\\(?:boxed|fbox)\s*\{/.exec(s);
  if (!m) return s;
  let depth = 0;
  for (let j = m[0].length - 1; j < s.length; j++) {
    if (s[j] === "\\") {
      j++;
      continue;
    }
    if (s[j] === "{") depth++;
    else if (s[j] === "}" && --depth === 0) return j === s.length - 1 ? s.slice(m[0].length, j) : s;
  }
  return s;
}

const TRIG = new Set(["sin", "cos", "tan", "cot", "sec", "csc"]);

/** Degree marks: inside a trigonometric function 30° is π/6; anywhere else "90°" is the number 90. */
function resolveDegrees(e: Expr, inTrig: boolean): Expr {
  if (e.k !== "fn") return mapChildren(e, (x) => resolveDegrees(x, inTrig));
  if (e.name === "deg") {
    const x = resolveDegrees(e.args[0], inTrig);
    if (!inTrig) return x;
    const radians: Expr = { k: "mul", factors: [x, { k: "sym", name: "pi" }] };
    return { k: "div", num: radians, den: { k: "num", v: { n: 180n, d: 1n }, decimal: false } };
  }
  const trig = TRIG.has(e.name);
  return { k: "fn", name: e.name, args: e.args.map((a) => resolveDegrees(a, inTrig || trig)) };
}

/** Applies `f` to every expression of an answer. */
function mapExprs(a: Answer, f: (e: Expr) => Expr): Answer {
  switch (a.k) {
    case "expr":
      return { k: "expr", e: f(a.e) };
    case "tuple":
    case "set":
    case "list":
      return { k: a.k, items: a.items.map((x) => mapExprs(x, f)) };
    case "union":
      return { k: "union", parts: a.parts.map((x) => mapExprs(x, f)) };
    case "interval":
      return { ...a, lo: f(a.lo), hi: f(a.hi) };
    case "matrix":
      return { k: "matrix", rows: a.rows.map((row) => row.map(f)) };
    case "rel":
      return { k: "rel", sides: a.sides.map(f), ops: a.ops };
    case "in":
      return { k: "in", lhs: f(a.lhs), set: mapExprs(a.set, f) };
    case "text":
      return a;
  }
}

/** Parses an answer string (LaTeX or plain) into its structure; throws ParseError when it cannot. */
export function parseAnswer(text: string): Answer {
  if (text.length > LIMITS.maxAnswerChars) throw new ParseError("answer too long");
  const normalized = unwrapBoxed(normalizeAnswerText(text));
  const toks = tokenize(normalized);
  if (toks.length === 0) throw new ParseError("empty answer");
  const parser = new Parser(toks);
  const answer = parser.parseTop(0, toks.length);
  return toks.some((t) => isOp(t, "°")) ? mapExprs(answer, (e) => resolveDegrees(e, false)) : answer;
}

export { ParseError };

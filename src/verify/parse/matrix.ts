import { LIMITS } from "../limits.js";
import type { Answer, Expr } from "../math/ast.js";
import { isCmd, isOp, isOpener } from "./cursor.js";
import { type ExprParser, mul } from "./expression.js";
import { ParseError } from "./tokenize.js";

/** Largest side of a matrix product computed entry by entry. */
const MAX_SIDE = 16;

/** `\begin{pmatrix} … \end{pmatrix}` (and bmatrix, array, …) filling toks[lo, hi); null when it does not. */
export function parseMatrix(p: ExprParser, lo: number, hi: number): Answer | null {
  const toks = p.toks;
  // \begin{env} ... \end{env}
  if (!isOp(toks[lo + 1], "{") || toks[lo + 2]?.t !== "word" || !isOp(toks[lo + 3], "}")) return null;
  // "\begin…\end + \begin…\end" is arithmetic on two matrices, not one matrix.
  if (environmentEnd(p, lo, hi) !== hi) return null;
  const env = toks[lo + 2].v;
  if (!/^(p|b|B|v|V|small)?matrix$|^array$/.test(env)) throw new ParseError(`unsupported environment ${env}`);
  let start = lo + 4;
  if (env === "array" && isOp(toks[start], "{")) start = p.matchClose(start, hi) + 1;
  // The matching \end must be the last four tokens.
  if (!(hi - 4 >= start && isCmd(toks[hi - 4], "end") && isOp(toks[hi - 3], "{") && isOp(toks[hi - 1], "}")))
    return null;
  const bodyEnd = hi - 4;
  const rowRanges = p.splitTop(start, bodyEnd, (t) => isCmd(t, "\\"));
  const rows: Expr[][] = [];
  for (const [a, b] of rowRanges) {
    if (a >= b) continue;
    const cells = p.splitTop(a, b, (t) => isOp(t, "&"));
    if (cells.length > LIMITS.maxItems) throw new ParseError("too many items");
    rows.push(
      cells.map(([c, d]) => {
        if (c >= d) throw new ParseError("empty matrix cell");
        return p.exprOf(c, d);
      }),
    );
  }
  if (rows.length === 0 || rows.length > LIMITS.maxItems) throw new ParseError("bad matrix");
  if (rows.some((r) => r.length !== rows[0].length)) throw new ParseError("ragged matrix");
  if (env === "vmatrix" || env === "Vmatrix") throw new ParseError("determinant notation");
  return { k: "matrix", rows };
}

/** Index just after the `\end{…}` that closes the `\begin` at `i`. */
export function environmentEnd(p: ExprParser, i: number, hi: number): number {
  let depth = 0;
  for (let j = i; j < hi; j++) {
    const t = p.toks[j];
    if (isCmd(t, "begin")) depth++;
    else if (isCmd(t, "end") && --depth === 0) {
      if (isOp(p.toks[j + 1], "{") && isOp(p.toks[j + 3], "}") && j + 4 <= hi) return j + 4;
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
export function parseMatrixArithmetic(p: ExprParser, lo: number, hi: number): Answer | null {
  type Factor = { k: "scalar"; e: Expr } | { k: "matrix"; rows: Expr[][] };
  const terms: Array<{ negative: boolean; factors: Factor[] }> = [];
  let current: { negative: boolean; factors: Factor[] } = { negative: false, factors: [] };
  let scalarStart = lo;
  const flushScalar = (a: number, b: number) => {
    while (a < b && isOp(p.toks[a], "*")) a++;
    while (b > a && isOp(p.toks[b - 1], "*")) b--;
    if (a < b) current.factors.push({ k: "scalar", e: p.exprOf(a, b) });
  };
  let j = lo;
  while (j < hi) {
    const t = p.toks[j];
    if (isCmd(t, "begin")) {
      flushScalar(scalarStart, j);
      const end = environmentEnd(p, j, hi);
      const m = parseMatrix(p, j, end);
      if (m?.k !== "matrix") return null;
      current.factors.push({ k: "matrix", rows: m.rows });
      j = end;
      scalarStart = j;
    } else if (isOpener(t)) {
      j = p.matchClose(j, hi) + 1;
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

/** Matrices, and sums and products of matrices, filling toks[lo, hi); null when it is neither. */
export function matrixAnswer(p: ExprParser, lo: number, hi: number): Answer | null {
  const toks = p.toks;
  if (isCmd(toks[lo], "begin")) {
    const m = parseMatrix(p, lo, hi);
    if (m) return m;
  }
  if (toks.slice(lo, hi).some((t) => isCmd(t, "begin"))) {
    let m: Answer | null = null;
    try {
      m = parseMatrixArithmetic(p, lo, hi);
    } catch (err) {
      if (!(err instanceof ParseError)) throw err;
    }
    if (m) return m;
  }
  return null;
}

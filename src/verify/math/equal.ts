import { LIMITS } from "../limits.js";
import { type Answer, contains, type Expr, exprKey, freeSymbols, type RelOp, substitute } from "./ast.js";
import { exactValue } from "./exact.js";
import { type Conditioning, mag, numericValue } from "./numeric.js";
import { preciseEqual } from "./precise.js";
import * as Q from "./rational.js";

/** Relative tolerance for values computed in double precision from exact expressions. */
const REL_TOL = 1e-9;
/**
 * Relative tolerance for a decimal answer against a value with no finite decimal expansion
 * (1/3, √2, π): the convention of the MATH/ToRA graders (`rel_tol=1e-4`). Two finite decimals,
 * or a decimal and a terminating fraction, are compared exactly.
 */
const APPROX_REL_TOL = 1e-4;

/** Evaluation points for identity testing: fixed, irregular, positive (so roots and logs are real). */
const POINTS = [0.7316, 1.3862, 2.1193, 0.4478, 1.7745, 2.6381, 0.9124, 1.2559];

function hasDecimal(e: Expr): boolean {
  return contains(e, (x) => x.k === "num" && x.decimal);
}

function close(a: { re: number; im: number }, b: { re: number; im: number }, tol: number): boolean {
  const diff = Math.hypot(a.re - b.re, a.im - b.im);
  return diff <= tol * Math.max(mag(a), mag(b));
}

/** Binds every free variable to one of the fixed points (a different one per variable). */
function envAt(vars: string[], k: number): Map<string, number> {
  const env = new Map<string, number>();
  vars.forEach((v, j) => {
    env.set(v, POINTS[(k + 3 * j) % POINTS.length] + 0.013 * j);
  });
  return env;
}

/**
 * Whether a decimal answer may match an exact reference with no finite decimal form (π, √2, 1/3).
 * Off by default: a policy rewarded for "0.866" against \frac{\sqrt3}{2} learns to round instead
 * of solving. A decimal reference keeps its tolerance either way (the exact answer is better than
 * the reference). Set by `answersEqual` for the duration of one synchronous comparison; every
 * comparison below keeps the prediction on the left and the reference on the right.
 */
let decimalMatchesExact = false;

/** A decimal approximating a value that has no finite decimal form, within APPROX_REL_TOL. */
function approximates(a: Expr, b: Expr): boolean {
  const [approx, exact] =
    hasDecimal(a) && !hasDecimal(b) ? [a, b] : hasDecimal(b) && !hasDecimal(a) ? [b, a] : [];
  if (!approx || !exact) return false;
  if (approx === a && !decimalMatchesExact) return false;
  const q = exactValue(exact);
  if (q !== null && Q.isTerminatingDecimal(q)) return false;
  const cond: Conditioning = { ill: false };
  const x = numericValue(approx, new Map(), cond);
  const y = numericValue(exact, new Map(), cond);
  if (cond.ill || !Number.isFinite(mag(x)) || !Number.isFinite(mag(y))) return false;
  return close(x, y, APPROX_REL_TOL);
}

/** Equality of two variable-free expressions by value. */
function constantEqual(a: Expr, b: Expr): boolean {
  const qa = exactValue(a);
  const qb = exactValue(b);
  if (qa !== null && qb !== null) return Q.equals(qa, qb) || approximates(a, b);
  const ca: Conditioning = { ill: false };
  const cb: Conditioning = { ill: false };
  const x = numericValue(a, new Map(), ca);
  const y = numericValue(b, new Map(), cb);
  const finite = Number.isFinite(mag(x)) && Number.isFinite(mag(y));
  if (!finite || ca.ill || cb.ill) return preciseEqual(a, b) ?? false;
  if (close(x, y, REL_TOL)) return true;
  // Both near zero (sin π vs 0): double rounding noise cannot decide.
  if (Math.max(mag(x), mag(y)) < 1e-6) return preciseEqual(a, b) ?? false;
  return approximates(a, b);
}

/**
 * Identity testing for expressions with variables: equal values at several fixed points, each
 * checked at high precision where doubles are ill-conditioned. Polynomial and elementary
 * identities that differ do so almost everywhere, so agreement at 3+ points is decisive.
 */
function identityEqual(a: Expr, b: Expr, vars: string[]): boolean {
  const real = !mentionsImaginaryUnit(a) && !mentionsImaginaryUnit(b);
  let agreed = 0;
  for (let k = 0; k < POINTS.length && agreed < 4; k++) {
    const env = envAt(vars, k);
    const ca: Conditioning = { ill: false };
    const cb: Conditioning = { ill: false };
    const x = numericValue(a, env, ca);
    const y = numericValue(b, env, cb);
    if (!Number.isFinite(mag(x)) || !Number.isFinite(mag(y))) continue;
    // Outside the real domain of a real expression ((x²−2)^{5/3} at x = 1) branches of roots
    // differ between equal forms: such points decide nothing.
    if (real && (x.im !== 0 || y.im !== 0)) continue;
    if (ca.ill || cb.ill || Math.max(mag(x), mag(y)) < 1e-6) {
      const p = preciseEqual(a, b, env);
      if (p === false) return false;
      if (p === true) agreed++;
      continue;
    }
    if (!close(x, y, REL_TOL)) return false;
    agreed++;
  }
  return agreed >= 3;
}

function mentionsImaginaryUnit(e: Expr): boolean {
  return contains(e, (x) => x.k === "sym" && x.name === "i");
}

function stripPct(e: Expr): Expr | null {
  return e.k === "pct" ? e.arg : null;
}

function isInfinite(e: Expr): boolean {
  return contains(e, (x) => x.k === "sym" && x.name === "inf");
}

const hasSymbol = (e: Expr, name: string) => contains(e, (x) => x.k === "sym" && x.name === name);

/** Mathematical equality of two scalar expressions. */
export function exprEqual(a: Expr, b: Expr): boolean {
  if (exprEqualAsWritten(a, b)) return true;
  // Engineering notation: "3 + 4j" against "3 + 4i" (j is the imaginary unit where i never appears).
  const i: Expr = { k: "sym", name: "i" };
  if (hasSymbol(a, "j") && !hasSymbol(a, "i") && hasSymbol(b, "i") && !hasSymbol(b, "j"))
    return exprEqualAsWritten(substitute(a, "j", i), b);
  if (hasSymbol(b, "j") && !hasSymbol(b, "i") && hasSymbol(a, "i") && !hasSymbol(a, "j"))
    return exprEqualAsWritten(a, substitute(b, "j", i));
  return false;
}

function exprEqualAsWritten(a: Expr, b: Expr): boolean {
  if (exprKey(a) === exprKey(b)) return true;
  // Infinities compare by form only (∞, -∞).
  if (isInfinite(a) || isInfinite(b)) return false;
  if (a.k === "based" || b.k === "based") {
    const digits = (e: Expr) =>
      e.k === "based" ? e.digits : e.k === "num" && !e.decimal && e.v.d === 1n ? e.v.n.toString() : null;
    if (a.k === "based" && b.k === "based") return a.digits === b.digits && a.base === b.base;
    return digits(a) !== null && digits(a) === digits(b);
  }
  if (contains(a, (x) => x.k === "based") || contains(b, (x) => x.k === "based")) return false;
  // "50%" matches 50 and 0.5.
  const pa = stripPct(a);
  const pb = stripPct(b);
  if ((pa !== null) !== (pb !== null) && exprEqual(pa ?? a, pb ?? b)) return true;
  const vars = [...new Set([...freeSymbols(a), ...freeSymbols(b)])].sort();
  if (vars.length === 0) return constantEqual(a, b);
  if (vars.length > 12) return false;
  return identityEqual(a, b, vars);
}

// ---------- ± expansion ----------

/** All sign choices of the ± in an expression (1 ± √19 → 1 + √19, 1 − √19). */
export function expandPm(e: Expr): Expr[] {
  const out = expandNode(e);
  if (out.length > LIMITS.maxPmAlternatives) throw new RangeError("too many ± alternatives");
  return out;
}

function cross(lists: Expr[][], build: (xs: Expr[]) => Expr): Expr[] {
  let acc: Expr[][] = [[]];
  for (const l of lists) {
    const next: Expr[][] = [];
    for (const prefix of acc) for (const x of l) next.push([...prefix, x]);
    acc = next;
    if (acc.length > LIMITS.maxPmAlternatives) throw new RangeError("too many ± alternatives");
  }
  return acc.map(build);
}

function expandNode(e: Expr): Expr[] {
  if (!contains(e, (x) => x.k === "pm")) return [e];
  switch (e.k) {
    case "pm": {
      const bs = expandNode(e.b);
      const out: Expr[] = [];
      for (const b of bs) {
        const plus = e.a ? ({ k: "add", terms: [e.a, b] } as Expr) : b;
        const minus = e.a
          ? ({ k: "add", terms: [e.a, { k: "neg", arg: b }] } as Expr)
          : ({ k: "neg", arg: b } as Expr);
        if (e.minusFirst) out.push(minus, plus);
        else out.push(plus, minus);
      }
      return out;
    }
    case "add":
      return cross(e.terms.map(expandNode), (terms) => ({ k: "add", terms }));
    case "mul":
      return cross(e.factors.map(expandNode), (factors) => ({ k: "mul", factors }));
    case "neg":
      return expandNode(e.arg).map((arg) => ({ k: "neg", arg }));
    case "pct":
      return expandNode(e.arg).map((arg) => ({ k: "pct", arg }));
    case "div":
      return cross([expandNode(e.num), expandNode(e.den)], ([num, den]) => ({ k: "div", num, den }));
    case "pow":
      return cross([expandNode(e.base), expandNode(e.exp)], ([base, exp]) => ({ k: "pow", base, exp }));
    case "fn":
      return cross(e.args.map(expandNode), (args) => ({ k: "fn", name: e.name, args }));
    default:
      return [e];
  }
}

// ---------- relations ----------

type Cmp = "=" | "!=" | "<" | "<=";

/** lhs op rhs as (d, op) with d = lhs − rhs and op one of =, !=, <, <= (">" flips the sides). */
function toZeroForm(lhs: Expr, op: RelOp, rhs: Expr): { d: Expr; op: Cmp } {
  const minus = (x: Expr, y: Expr): Expr => ({ k: "add", terms: [x, { k: "neg", arg: y }] });
  if (op === ">") return { d: minus(rhs, lhs), op: "<" };
  if (op === ">=") return { d: minus(rhs, lhs), op: "<=" };
  return { d: minus(lhs, rhs), op };
}

function isSymbol(e: Expr): e is { k: "sym"; name: string } {
  return e.k === "sym" && e.name !== "pi" && e.name !== "e" && e.name !== "i" && e.name !== "inf";
}

/** "x = 3" (or "z = 1 + 1 = 2"): the value assigned to a single variable, else null. */
function assignedValue(r: { sides: Expr[]; ops: RelOp[] }): { name: string; value: Expr } | null {
  if (r.ops.some((o) => o !== "=")) return null;
  const lhs = r.sides[0];
  return isSymbol(lhs) ? { name: lhs.name, value: r.sides[r.sides.length - 1] } : null;
}

/**
 * The value a chain of equalities arrives at, for comparison with a bare value: an assignment's
 * value ("x = 5+5+1 = 11"), or the last side of a chain without variables ("\frac12 = \frac{10}{9}"
 * ends at 10/9). "7 = 11a + c" arrives at no value.
 */
function finalValue(r: { sides: Expr[]; ops: RelOp[] }): Expr | null {
  const v = assignedValue(r);
  if (v) return v.value;
  if (r.ops.some((o) => o !== "=") || r.sides.some((e) => freeSymbols(e).size > 0)) return null;
  return r.sides[r.sides.length - 1];
}

/**
 * Two relations are the same when (lhs − rhs) of one is a constant multiple of the other's
 * (positive for inequalities): y = 2x + 3 ≡ 2x − y + 3 = 0 ≡ 4x − 2y = −6.
 */
function relationEqual(a: { sides: Expr[]; ops: RelOp[] }, b: { sides: Expr[]; ops: RelOp[] }): boolean {
  const va = assignedValue(a);
  const vb = assignedValue(b);
  if (va && vb && va.name === vb.name) return exprEqual(va.value, vb.value);
  // Chains "f(2) < f(1) < f(4)": the same comparisons of equal sides.
  if (
    a.sides.length === b.sides.length &&
    a.ops.every((o, i) => o === b.ops[i]) &&
    a.sides.every((x, i) => exprEqual(x, b.sides[i]))
  )
    return true;
  if (a.sides.length !== 2 || b.sides.length !== 2) return false;
  const za = toZeroForm(a.sides[0], a.ops[0], a.sides[1]);
  const zb = toZeroForm(b.sides[0], b.ops[0], b.sides[1]);
  if (za.op !== zb.op) return false;
  const vars = [...new Set([...freeSymbols(za.d), ...freeSymbols(zb.d)])].sort();
  if (vars.length === 0 || vars.length > 12) return false;
  let ratio: number | null = null;
  let agreed = 0;
  for (let k = 0; k < POINTS.length && agreed < 4; k++) {
    const env = envAt(vars, k);
    const cond: Conditioning = { ill: false };
    const x = numericValue(za.d, env, cond);
    const y = numericValue(zb.d, env, cond);
    if (cond.ill || x.im !== 0 || y.im !== 0 || !Number.isFinite(x.re) || !Number.isFinite(y.re)) continue;
    if (Math.abs(y.re) < 1e-12 || Math.abs(x.re) < 1e-12) {
      if (Math.abs(y.re) < 1e-12 && Math.abs(x.re) < 1e-12) continue;
      return false;
    }
    const r = x.re / y.re;
    if (ratio === null) ratio = r;
    else if (Math.abs(r - ratio) > REL_TOL * Math.abs(ratio)) return false;
    agreed++;
  }
  if (ratio === null || agreed < 3) return false;
  return za.op === "=" || za.op === "!=" ? true : ratio > 0;
}

// ---------- structured answers ----------

/** Canonical shape before comparison: ± becomes a set, `x \in S` becomes S, one-item lists unwrap. */
function canonical(a: Answer): Answer {
  switch (a.k) {
    case "expr": {
      const alts = expandPm(a.e);
      return alts.length === 1 ? a : { k: "set", items: alts.map((e) => ({ k: "expr", e })) };
    }
    case "in":
      return canonical(a.set);
    case "rel": {
      // "x = ±3" assigns two values: {x = 3, x = −3}.
      const v = assignedValue(a);
      if (!v || !contains(v.value, (x) => x.k === "pm")) return a;
      const lhs: Expr = { k: "sym", name: v.name };
      return {
        k: "set",
        items: expandPm(v.value).map((value) => ({ k: "rel", sides: [lhs, value], ops: ["="] })),
      };
    }
    case "list":
    case "set": {
      const items = a.items.map(canonical);
      // "n = 1, 2, 3": the name labels the whole list.
      const head = items[0];
      if (a.k === "list" && head.k === "rel" && items.slice(1).every((x) => x.k === "expr")) {
        const v = assignedValue(head);
        if (v) items[0] = { k: "expr", e: v.value };
      }
      if (a.k === "list" && items.length === 1) return items[0];
      // ± items flatten: "1 ± √2, 3" and "{1 ± √2, 3}" are three values.
      const flat = items.flatMap((x) => (x.k === "set" ? x.items : [x]));
      return { k: a.k, items: flat };
    }
    case "tuple":
      return { k: "tuple", items: a.items.map(canonical) };
    case "union":
      return { k: "union", parts: a.parts.map(canonical) };
    default:
      return a;
  }
}

/** Order-free equality with set semantics: every item has an equal partner on the other side. */
function sameSet(xs: Answer[], ys: Answer[]): boolean {
  // Predictions stay on the left of every comparison (the decimal policy depends on the side).
  return (
    xs.every((x) => ys.some((y) => answersEqualCanon(x, y))) &&
    ys.every((y) => xs.some((x) => answersEqualCanon(x, y)))
  );
}

function textOf(a: Answer): string | null {
  if (a.k === "text") return a.s.replace(/^the /, "").replace(/[.!]$/, "");
  if (a.k === "expr" && a.e.k === "sym" && !a.e.name.startsWith("text:")) return a.e.name.toLowerCase();
  if (a.k === "expr" && a.e.k === "sym") return a.e.name.slice(5);
  return null;
}

function vectorOf(a: Answer): Expr[] | null {
  if (a.k === "matrix") {
    if (a.rows.length === 1) return a.rows[0];
    if (a.rows.every((r) => r.length === 1)) return a.rows.map((r) => r[0]);
    return null;
  }
  if (a.k === "tuple" && a.items.every((x) => x.k === "expr"))
    return a.items.map((x) => (x as { k: "expr"; e: Expr }).e);
  return null;
}

function answersEqualCanon(p: Answer, r: Answer): boolean {
  if (p.k === "text" || r.k === "text") {
    const tp = textOf(p);
    const tr = textOf(r);
    return tp !== null && tp === tr;
  }
  switch (r.k) {
    case "expr":
      if (p.k === "expr") return exprEqual(p.e, r.e);
      if (p.k === "rel") {
        const v = finalValue(p);
        return v !== null && exprEqual(v, r.e);
      }
      if ((p.k === "set" || p.k === "list") && p.items.length === 1) return answersEqualCanon(p.items[0], r);
      return false;
    case "rel":
      if (p.k === "rel") return relationEqual(p, r);
      if (p.k === "expr") {
        const v = finalValue(r);
        return v !== null && exprEqual(p.e, v);
      }
      if (p.k === "interval" || p.k === "union" || p.k === "tuple") {
        const q = asSetForm(r);
        const pq = asSetForm(p);
        return q !== null && pq !== null && answersEqualCanon(pq, q);
      }
      return false;
    case "tuple": {
      if (p.k === "tuple" || p.k === "list")
        return p.items.length === r.items.length && p.items.every((x, i) => answersEqualCanon(x, r.items[i]));
      if (p.k === "interval" || (p.k === "rel" && r.items.length === 2)) {
        const q = asSetForm(r);
        return q !== null && answersEqualCanon(p, q);
      }
      const pv = vectorOf(p);
      const rv = vectorOf(r);
      return pv !== null && rv !== null && pv.length === rv.length && pv.every((x, i) => exprEqual(x, rv[i]));
    }
    case "interval": {
      const q = asSetForm(p);
      return (
        q !== null &&
        q.k === "interval" &&
        q.loClosed === r.loClosed &&
        q.hiClosed === r.hiClosed &&
        exprEqual(q.lo, r.lo) &&
        exprEqual(q.hi, r.hi)
      );
    }
    case "union": {
      const q = asSetForm(p);
      return q !== null && q.k === "union" && sameSet(q.parts, r.parts);
    }
    case "set":
    case "list":
      if (p.k === "set" || p.k === "list") return sameSet(p.items, r.items);
      // The mirror of a list given for a tuple: positions must match.
      if (r.k === "list" && p.k === "tuple")
        return p.items.length === r.items.length && p.items.every((x, i) => answersEqualCanon(x, r.items[i]));
      if (r.k === "list" && (p.k === "union" || p.k === "interval")) {
        // "x < −1 or x > 2" against (−∞, −1) ∪ (2, ∞).
        const q = asSetForm(r);
        return q !== null && answersEqualCanon(p, q);
      }
      if (r.items.length === 1) return answersEqualCanon(p, r.items[0]);
      return false;
    case "matrix": {
      const sameShape =
        p.k === "matrix" && p.rows.length === r.rows.length && p.rows[0].length === r.rows[0].length;
      if (p.k === "matrix" && sameShape)
        return (
          p.rows.length === r.rows.length &&
          p.rows.every(
            (row, i) => row.length === r.rows[i].length && row.every((x, j) => exprEqual(x, r.rows[i][j])),
          )
        );
      const pv = vectorOf(p);
      const rv = vectorOf(r);
      return pv !== null && rv !== null && pv.length === rv.length && pv.every((x, i) => exprEqual(x, rv[i]));
    }
    default:
      return false;
  }
}

/**
 * The set an answer describes, for comparison with intervals: an interval or a union as is; an
 * open pair "(a, b)" as the open interval; an inequality in one variable with constant bounds
 * ("x > 3", "-2 ≤ x ≤ 7", "3 ≥ x") as its interval; "x < −1 or x > 2" as a union. Else null.
 */
function asSetForm(a: Answer): Answer | null {
  switch (a.k) {
    case "interval":
    case "union":
      return a;
    case "tuple":
      if (a.items.length === 2 && a.items.every((x) => x.k === "expr")) {
        const [lo, hi] = a.items as Array<{ k: "expr"; e: Expr }>;
        return { k: "interval", lo: lo.e, hi: hi.e, loClosed: false, hiClosed: false };
      }
      return null;
    case "rel":
      return inequalityInterval(a);
    case "list": {
      const parts = a.items.map((x) => (x.k === "rel" ? inequalityInterval(x) : null));
      return parts.every((x) => x !== null) ? { k: "union", parts: parts as Answer[] } : null;
    }
    default:
      return null;
  }
}

function inequalityInterval(r: { sides: Expr[]; ops: RelOp[] }): Answer | null {
  const inf: Expr = { k: "sym", name: "inf" };
  const negInf: Expr = { k: "neg", arg: inf };
  const isConst = (e: Expr) => freeSymbols(e).size === 0;
  const lower = (op: RelOp) => op === "<" || op === "<=";
  const upper = (op: RelOp) => op === ">" || op === ">=";
  if (r.sides.length === 2) {
    const [a, b] = r.sides;
    let op = r.ops[0];
    let bound: Expr;
    if (isSymbol(a) && isConst(b)) bound = b;
    else if (isSymbol(b) && isConst(a)) {
      bound = a;
      // "3 ≥ x" is "x ≤ 3".
      op = ({ "<": ">", "<=": ">=", ">": "<", ">=": "<=", "=": "=", "!=": "!=" } as const)[op];
    } else return null;
    if (lower(op)) return { k: "interval", lo: negInf, hi: bound, loClosed: false, hiClosed: op === "<=" };
    if (upper(op)) return { k: "interval", lo: bound, hi: inf, loClosed: op === ">=", hiClosed: false };
    // "x ≠ 0" is (−∞, 0) ∪ (0, ∞).
    if (op === "!=")
      return {
        k: "union",
        parts: [
          { k: "interval", lo: negInf, hi: bound, loClosed: false, hiClosed: false },
          { k: "interval", lo: bound, hi: inf, loClosed: false, hiClosed: false },
        ],
      };
    return null;
  }
  if (r.sides.length === 3 && isSymbol(r.sides[1]) && isConst(r.sides[0]) && isConst(r.sides[2])) {
    const [o1, o2] = r.ops;
    if (lower(o1) && lower(o2))
      return { k: "interval", lo: r.sides[0], hi: r.sides[2], loClosed: o1 === "<=", hiClosed: o2 === "<=" };
    if (upper(o1) && upper(o2))
      return { k: "interval", lo: r.sides[2], hi: r.sides[0], loClosed: o2 === ">=", hiClosed: o1 === ">=" };
  }
  return null;
}

export interface EqualOptions {
  /** A decimal prediction may match an exact reference without a finite decimal form (default false). */
  approximate?: boolean;
}

/** Whether a predicted answer equals the reference answer (both parsed). */
export function answersEqual(pred: Answer, ref: Answer, opts: EqualOptions = {}): boolean {
  const saved = decimalMatchesExact;
  decimalMatchesExact = opts.approximate ?? false;
  try {
    return answersEqualCanon(canonical(pred), canonical(ref));
  } finally {
    decimalMatchesExact = saved;
  }
}

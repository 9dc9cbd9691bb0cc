import { LIMITS } from "../limits.js";
import { contains, type Expr, exprKey, freeSymbols, substitute } from "./ast.js";
import { exactValue } from "./exact.js";
import { type Conditioning, mag, numericValue } from "./numeric.js";
import { preciseEqual } from "./precise.js";
import * as Q from "./rational.js";

/**
 * Equality of scalar expressions: exact where both sides have exact values, numeric (at fixed
 * points for free variables) otherwise, with the decimal-approximation convention; and the
 * expansion of ± into alternatives. Answers (relations, sets, intervals, tuples) are compared in
 * equal.ts on top of this.
 */

/** Relative tolerance for values computed in double precision from exact expressions. */
export const REL_TOL = 1e-9;
/**
 * Relative tolerance for a decimal answer against a value with no finite decimal expansion
 * (1/3, √2, π): the convention of the MATH/ToRA graders (`rel_tol=1e-4`). Two finite decimals,
 * or a decimal and a terminating fraction, are compared exactly.
 */
const APPROX_REL_TOL = 1e-4;

/** Evaluation points for identity testing: fixed, irregular, positive (so roots and logs are real). */
export const POINTS = [0.7316, 1.3862, 2.1193, 0.4478, 1.7745, 2.6381, 0.9124, 1.2559];

function hasDecimal(e: Expr): boolean {
  return contains(e, (x) => x.k === "num" && x.decimal);
}

function close(a: { re: number; im: number }, b: { re: number; im: number }, tol: number): boolean {
  const diff = Math.hypot(a.re - b.re, a.im - b.im);
  return diff <= tol * Math.max(mag(a), mag(b));
}

/** Binds every free variable to one of the fixed points (a different one per variable). */
export function envAt(vars: string[], k: number): Map<string, number> {
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
 * the reference). Set by `withDecimalPolicy` (answersEqual) for the duration of one synchronous
 * comparison; every comparison below keeps the prediction on the left and the reference on the right.
 */
let decimalMatchesExact = false;

/** Runs one synchronous comparison with the decimal policy `approximate`, restoring the previous one. */
export function withDecimalPolicy<T>(approximate: boolean, compare: () => T): T {
  const saved = decimalMatchesExact;
  decimalMatchesExact = approximate;
  try {
    return compare();
  } finally {
    decimalMatchesExact = saved;
  }
}

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

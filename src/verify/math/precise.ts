import { createRequire } from "node:module";
import type { BigNumber } from "mathjs";
import { LIMITS } from "../limits.js";
import type { Expr } from "./ast.js";

/**
 * High-precision evaluation through mathjs BigNumbers (decimal.js underneath: arbitrary
 * precision, exponents up to 9e15). Used only where double precision cannot decide —
 * cancellation, absorption, overflow, underflow — so mathjs is loaded lazily, on first use.
 *
 * Decision rule ("precision escalation"): two real values are equal when their relative
 * difference is below 1e-40 at 60 digits and stays below 1e-100 at 130 digits; a true
 * difference does not shrink as the precision grows, rounding noise does.
 */
type Big = BigNumber;
type Fn = (...args: Big[]) => unknown;
/** The slice of a mathjs instance used here, typed loosely: mathjs' overloads do not narrow to BigNumber. */
interface BigMath {
  bignumber(x: string | number): Big;
  isBigNumber(x: unknown): boolean;
  pi: Big;
  e: Big;
  precision: number;
  fn: Record<string, Fn>;
}

class Undecided extends Error {}

const require = createRequire(import.meta.url);
const instances = new Map<number, BigMath>();

function mathAt(precision: number): BigMath {
  let m = instances.get(precision);
  if (!m) {
    const { create, all } = require("mathjs") as typeof import("mathjs");
    const inst = create(all, { number: "BigNumber", precision }) as unknown as Record<string, unknown>;
    m = {
      bignumber: inst.bignumber as BigMath["bignumber"],
      isBigNumber: inst.isBigNumber as BigMath["isBigNumber"],
      pi: inst.pi as Big,
      e: inst.e as Big,
      precision,
      fn: inst as unknown as Record<string, Fn>,
    };
    instances.set(precision, m);
  }
  return m;
}

function evalBig(m: BigMath, e: Expr, env: ReadonlyMap<string, number>): Big {
  const check = (x: unknown): Big => {
    if (!m.isBigNumber(x)) throw new Undecided("not a real number");
    if (!(x as Big).isFinite()) throw new Undecided("not finite");
    return x as Big;
  };
  const rec = (x: Expr): Big => evalBig(m, x, env);
  switch (e.k) {
    case "num":
      return check(m.fn.divide(m.bignumber(e.v.n.toString()), m.bignumber(e.v.d.toString())));
    case "sym": {
      if (e.name === "pi") return m.pi;
      if (e.name === "e") return m.e;
      const v = env.get(e.name);
      if (v === undefined) throw new Undecided(`symbol ${e.name}`);
      return m.bignumber(v);
    }
    case "neg":
      return check(m.fn.unaryMinus(rec(e.arg)));
    case "pct":
      return check(m.fn.divide(rec(e.arg), m.bignumber(100)));
    case "add": {
      const terms = e.terms.map(rec);
      const sum = terms.reduce((a, b) => check(m.fn.add(a, b)));
      // A term below the working precision of the sum (10^(10^10) + 1) cannot be told apart.
      const floor = sum.abs().times(m.bignumber(`1e-${m.precision - 10}`));
      if (terms.some((t) => !t.isZero() && t.abs().lt(floor))) throw new Undecided("absorbed term");
      return sum;
    }
    case "mul":
      return e.factors.map(rec).reduce((a, b) => check(m.fn.multiply(a, b)));
    case "div":
      return check(m.fn.divide(rec(e.num), rec(e.den)));
    case "pow": {
      const exp = rec(e.exp);
      if (exp.abs().gt(1e12)) throw new Undecided("exponent too large");
      return check(m.fn.pow(rec(e.base), exp));
    }
    case "fn": {
      const a = e.args.map(rec);
      const x = a[0];
      switch (e.name) {
        case "sqrt":
          return check(m.fn.sqrt(x));
        case "root":
          return check(m.fn.nthRoot(a[1], a[0]));
        case "ln":
          return check(m.fn.log(x));
        case "log":
          return check(m.fn.divide(check(m.fn.log(a[1])), check(m.fn.log(a[0]))));
        case "exp":
          return check(m.fn.exp(x));
        case "abs":
          return check(m.fn.abs(x));
        case "fact":
          if (!x.isInteger() || x.isNeg() || x.gt(LIMITS.maxExactFactorial)) throw new Undecided("factorial");
          return check(m.fn.factorial(x));
        case "sin":
        case "cos":
        case "tan":
        case "cot":
        case "sec":
        case "csc":
        case "asin":
        case "acos":
        case "atan":
        case "acot":
        case "sinh":
        case "cosh":
        case "tanh":
          return check(m.fn[e.name](x));
        default:
          throw new Undecided(`function ${e.name}`);
      }
    }
    default:
      throw new Undecided(e.k);
  }
}

function relDiff(a: Big, b: Big): number {
  const scale = a.abs().gt(b.abs()) ? a.abs() : b.abs();
  if (scale.isZero()) return 0;
  return Number(a.minus(b).abs().div(scale).toString());
}

/** True / false when high precision decides, null when it cannot (complex values, unsupported functions). */
export function preciseEqual(a: Expr, b: Expr, env: ReadonlyMap<string, number> = new Map()): boolean | null {
  try {
    const lo = mathAt(60);
    const hi = mathAt(130);
    const la = evalBig(lo, a, env);
    const lb = evalBig(lo, b, env);
    const va = evalBig(hi, a, env);
    const vb = evalBig(hi, b, env);
    // A zero computed through irrationals (sin π) shrinks with the precision; a tiny true value (e^-1000) does not.
    const vanishes = (l: Big, h: Big) =>
      h.isZero() || (h.abs().lt(1e-100) && h.abs().lt(l.abs().times(1e-50)));
    const za = vanishes(la, va);
    const zb = vanishes(lb, vb);
    if (za || zb) return za && zb;
    return relDiff(la, lb) < 1e-40 && relDiff(va, vb) < 1e-100;
  } catch (err) {
    if (err instanceof Undecided) return null;
    // mathjs throws plain errors on domain problems; that is "cannot decide", not a crash.
    return null;
  }
}

/** Loads mathjs and builds both precisions ahead of time (worker start-up). */
export function warmUpPrecise(): void {
  mathAt(60);
  mathAt(130);
}

import type { Expr } from "./ast.js";
import * as Q from "./rational.js";

/** A complex double. Real answers have im = 0. */
export interface C {
  re: number;
  im: number;
}

/**
 * Marks a floating-point evaluation whose result cannot be trusted to tell two values apart:
 * cancellation (a sum far smaller than its terms), absorption (a term below the precision of
 * the sum), overflow, underflow. Such comparisons go to the high-precision path instead.
 */
export interface Conditioning {
  ill: boolean;
}

const c = (re: number, im = 0): C => ({ re, im });
const NAN = c(Number.NaN, Number.NaN);
export const mag = (z: C): number => Math.hypot(z.re, z.im);
const isReal = (z: C): boolean => z.im === 0;

function cmul(a: C, b: C): C {
  if (a.im === 0 && b.im === 0) return c(a.re * b.re);
  return c(a.re * b.re - a.im * b.im, a.re * b.im + a.im * b.re);
}
function cdiv(a: C, b: C): C {
  if (b.im === 0) return c(a.re / b.re, a.im === 0 ? 0 : a.im / b.re);
  const d = b.re * b.re + b.im * b.im;
  return c((a.re * b.re + a.im * b.im) / d, (a.im * b.re - a.re * b.im) / d);
}
function cexp(a: C): C {
  const r = Math.exp(a.re);
  return a.im === 0 ? c(r) : c(r * Math.cos(a.im), r * Math.sin(a.im));
}
function clog(a: C): C {
  if (a.im === 0 && a.re > 0) return c(Math.log(a.re));
  return c(Math.log(mag(a)), Math.atan2(a.im, a.re));
}
function cpow(a: C, b: C): C {
  if (isReal(b) && Number.isInteger(b.re) && Math.abs(b.re) <= 64) {
    let n = Math.abs(b.re);
    let r = c(1);
    let x = a;
    while (n > 0) {
      if (n & 1) r = cmul(r, x);
      x = cmul(x, x);
      n >>= 1;
    }
    return b.re < 0 ? cdiv(c(1), r) : r;
  }
  if (isReal(a) && isReal(b) && a.re >= 0) return c(a.re ** b.re);
  if (a.re === 0 && a.im === 0) return b.re > 0 ? c(0) : NAN;
  return cexp(cmul(b, clog(a)));
}
function csqrt(a: C): C {
  if (isReal(a) && a.re >= 0) return c(Math.sqrt(a.re));
  const m = mag(a);
  const re = Math.sqrt((m + a.re) / 2);
  const im = Math.sqrt((m - a.re) / 2);
  return c(re, a.im < 0 ? -im : im);
}
function csin(a: C): C {
  return a.im === 0
    ? c(Math.sin(a.re))
    : c(Math.sin(a.re) * Math.cosh(a.im), Math.cos(a.re) * Math.sinh(a.im));
}
function ccos(a: C): C {
  return a.im === 0
    ? c(Math.cos(a.re))
    : c(Math.cos(a.re) * Math.cosh(a.im), -Math.sin(a.re) * Math.sinh(a.im));
}

function realOnly(a: C, f: (x: number) => number): C {
  return a.im === 0 ? c(f(a.re)) : NAN;
}

function factorialNumber(x: number): number {
  if (!Number.isInteger(x) || x < 0) return Number.NaN;
  if (x > 170) return Number.POSITIVE_INFINITY;
  let r = 1;
  for (let i = 2; i <= x; i++) r *= i;
  return r;
}

/**
 * Evaluates an expression in complex double precision, with variables bound by `env`.
 * Unknown constructs evaluate to NaN (the caller treats that as "cannot decide numerically").
 */
export function numericValue(e: Expr, env: ReadonlyMap<string, number>, cond: Conditioning): C {
  const v = evalNode(e, env, cond);
  const m = mag(v);
  if (!Number.isFinite(m) || (m !== 0 && m < 1e-250) || m > 1e250) cond.ill = true;
  return v;
}

function evalNode(e: Expr, env: ReadonlyMap<string, number>, cond: Conditioning): C {
  switch (e.k) {
    case "num":
      return c(Q.toNumber(e.v));
    case "sym": {
      if (e.name === "pi") return c(Math.PI);
      if (e.name === "e") return c(Math.E);
      if (e.name === "i") return c(0, 1);
      if (e.name === "inf") return c(Number.POSITIVE_INFINITY);
      const x = env.get(e.name);
      return x === undefined ? NAN : c(x);
    }
    case "neg": {
      const a = evalNode(e.arg, env, cond);
      return c(-a.re, -a.im);
    }
    case "pct": {
      const a = evalNode(e.arg, env, cond);
      return c(a.re / 100, a.im / 100);
    }
    case "add": {
      let re = 0;
      let im = 0;
      let biggest = 0;
      const mags: number[] = [];
      for (const t of e.terms) {
        const v = evalNode(t, env, cond);
        re += v.re;
        im += v.im;
        const m = mag(v);
        mags.push(m);
        if (m > biggest) biggest = m;
      }
      const sum = Math.hypot(re, im);
      if (biggest > 0 && sum < 1e-7 * biggest) cond.ill = true;
      for (const m of mags) if (m > 0 && m < 1e-13 * sum) cond.ill = true;
      return c(re, im);
    }
    case "mul": {
      let acc = c(1);
      let zeroFactor = false;
      for (const t of e.factors) {
        const v = evalNode(t, env, cond);
        if (mag(v) === 0) zeroFactor = true;
        acc = cmul(acc, v);
      }
      return underflowed(acc, !zeroFactor, cond);
    }
    case "div": {
      const n = evalNode(e.num, env, cond);
      return underflowed(cdiv(n, evalNode(e.den, env, cond)), mag(n) !== 0, cond);
    }
    case "pow": {
      const b = evalNode(e.base, env, cond);
      return underflowed(cpow(b, evalNode(e.exp, env, cond)), mag(b) !== 0, cond);
    }
    case "fn":
      return evalFunction(e.name, e.args, env, cond);
    default:
      return NAN;
  }
}

/** A zero produced from non-zero operands is an underflow (e^-1000), not a value. */
function underflowed(v: C, operandsNonZero: boolean, cond: Conditioning): C {
  if (operandsNonZero && mag(v) === 0) cond.ill = true;
  return v;
}

function evalFunction(name: string, args: Expr[], env: ReadonlyMap<string, number>, cond: Conditioning): C {
  const a = args.map((x) => evalNode(x, env, cond));
  const x = a[0];
  switch (name) {
    case "sqrt":
      return csqrt(x);
    case "root": {
      const [n, y] = a;
      if (!isReal(n)) return NAN;
      // Odd roots of negative reals are real (∛-8 = -2), as written in school mathematics.
      if (isReal(y) && y.re < 0 && Number.isInteger(n.re) && n.re % 2 === 1)
        return c(-((-y.re) ** (1 / n.re)));
      return cpow(y, c(1 / n.re));
    }
    case "sin":
      return csin(x);
    case "cos":
      return ccos(x);
    case "tan":
      return cdiv(csin(x), ccos(x));
    case "cot":
      return cdiv(ccos(x), csin(x));
    case "sec":
      return cdiv(c(1), ccos(x));
    case "csc":
      return cdiv(c(1), csin(x));
    case "asin":
      return realOnly(x, Math.asin);
    case "acos":
      return realOnly(x, Math.acos);
    case "atan":
      return realOnly(x, Math.atan);
    case "acot":
      return realOnly(x, (t) => Math.atan(1 / t));
    case "sinh":
      return realOnly(x, Math.sinh);
    case "cosh":
      return realOnly(x, Math.cosh);
    case "tanh":
      return realOnly(x, Math.tanh);
    case "ln":
      return clog(x);
    case "log":
      return cdiv(clog(a[1]), clog(a[0]));
    case "exp":
      return underflowed(cexp(x), true, cond);
    case "abs":
      return c(mag(x));
    case "fact":
      return realOnly(x, factorialNumber);
    case "binom": {
      const [n, k] = a;
      if (!isReal(n) || !isReal(k)) return NAN;
      return c(factorialNumber(n.re) / (factorialNumber(k.re) * factorialNumber(n.re - k.re)));
    }
    case "floor":
      return realOnly(x, Math.floor);
    case "ceil":
      return realOnly(x, Math.ceil);
    default:
      return NAN;
  }
}

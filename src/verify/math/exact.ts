import type { Expr } from "./ast.js";
import * as Q from "./rational.js";

/**
 * The exact rational value of an expression, or null when it is not a (bounded) rational:
 * symbols, irrational roots, transcendental functions, or sizes past the limits. Decides
 * integers, decimals, fractions, percentages, powers and factorials exactly, so 1/2004! and
 * 1/2006! are told apart however small they are.
 */
export function exactValue(e: Expr): Q.Rational | null {
  switch (e.k) {
    case "num":
      return e.v;
    case "neg": {
      const a = exactValue(e.arg);
      return a && Q.neg(a);
    }
    case "pct": {
      const a = exactValue(e.arg);
      return a && Q.div(a, Q.fromInt(100));
    }
    case "add": {
      let acc: Q.Rational | null = Q.R0;
      for (const t of e.terms) {
        const v = exactValue(t);
        if (v === null || acc === null) return null;
        acc = Q.add(acc, v);
      }
      return acc;
    }
    case "mul": {
      let acc: Q.Rational | null = Q.R1;
      for (const t of e.factors) {
        const v = exactValue(t);
        if (v === null || acc === null) return null;
        acc = Q.mul(acc, v);
      }
      return acc;
    }
    case "div": {
      const a = exactValue(e.num);
      const b = exactValue(e.den);
      return a && b && Q.div(a, b);
    }
    case "pow": {
      const base = exactValue(e.base);
      const exp = exactValue(e.exp);
      if (base === null || exp === null) return null;
      if (exp.d === 1n) return Q.powInt(base, exp.n);
      // Rational exponent p/q: exact only when the q-th root is.
      if (exp.d > 64n) return null;
      const root = Q.rootExact(base, Number(exp.d));
      return root && Q.powInt(root, exp.n);
    }
    case "fn":
      return exactFunction(e.name, e.args);
    default:
      return null;
  }
}

function exactFunction(name: string, args: Expr[]): Q.Rational | null {
  const vals = args.map(exactValue);
  if (vals.some((v) => v === null)) return null;
  const v = vals as Q.Rational[];
  switch (name) {
    case "sqrt":
      return Q.rootExact(v[0], 2);
    case "root":
      return Q.isInteger(v[0]) && v[0].n > 0n && v[0].n <= 64n ? Q.rootExact(v[1], Number(v[0].n)) : null;
    case "fact":
      return Q.factorial(v[0]);
    case "binom":
      return Q.binomial(v[0], v[1]);
    case "abs":
      return v[0].n < 0n ? Q.neg(v[0]) : v[0];
    case "floor":
    case "ceil": {
      const q = v[0].n / v[0].d;
      const r = v[0].n % v[0].d;
      if (r === 0n) return Q.fromInt(q);
      // BigInt division truncates toward zero.
      const floor = v[0].n < 0n ? q - 1n : q;
      return Q.fromInt(name === "floor" ? floor : floor + 1n);
    }
    default:
      return null;
  }
}

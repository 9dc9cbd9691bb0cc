import type { Rational } from "./rational.js";

/**
 * The parsed form of a mathematical answer. `Expr` is a scalar expression; `Answer` adds the
 * structures answers come in (tuples, intervals, sets, lists, matrices, relations, text).
 */
export type Expr =
  /** A numeric literal; `decimal` marks literals written with a decimal point (approximations). */
  | { k: "num"; v: Rational; decimal: boolean }
  /** A variable or a constant: `pi`, `e`, `i`, `inf` are the constants. */
  | { k: "sym"; name: string }
  | { k: "add"; terms: Expr[] }
  | { k: "mul"; factors: Expr[] }
  | { k: "neg"; arg: Expr }
  | { k: "div"; num: Expr; den: Expr }
  | { k: "pow"; base: Expr; exp: Expr }
  /** Functions: sqrt, root (args: index, radicand), sin, cos, ..., ln, log (args: base, x), fact, abs, binom. */
  | { k: "fn"; name: string; args: Expr[] }
  /** `a ± b` (or `±b` with a = null); expanded into alternatives before comparison. */
  | { k: "pm"; a: Expr | null; b: Expr; minusFirst: boolean }
  /** `x%`: the value x/100, kept apart so that "50%" can also match "50". */
  | { k: "pct"; arg: Expr }
  /** A numeral in another base, `52_8`: compared by its digits, never converted. */
  | { k: "based"; digits: string; base: string };

export type RelOp = "=" | "<" | "<=" | ">" | ">=" | "!=";

export type Answer =
  | { k: "expr"; e: Expr }
  /** `(a, b, ...)`: an ordered tuple, or an open interval when it has two items. */
  | { k: "tuple"; items: Answer[] }
  | { k: "interval"; lo: Expr; hi: Expr; loClosed: boolean; hiClosed: boolean }
  | { k: "union"; parts: Answer[] }
  /** `\{a, b\}`: an unordered set. */
  | { k: "set"; items: Answer[] }
  /** Bare `a, b` or `a and b`: several answers, compared order-free. */
  | { k: "list"; items: Answer[] }
  | { k: "matrix"; rows: Expr[][] }
  /** A relation chain `a = b = c`, `x < 3`, `x \in S` (op "in", rhs an answer). */
  | { k: "rel"; sides: Expr[]; ops: RelOp[] }
  | { k: "in"; lhs: Expr; set: Answer }
  | { k: "text"; s: string };

export const CONSTANTS = new Set(["pi", "e", "i", "inf"]);

export function num(v: Rational, decimal = false): Expr {
  return { k: "num", v, decimal };
}

/** Free variables of an expression (constants excluded). */
export function freeSymbols(e: Expr, out: Set<string> = new Set()): Set<string> {
  switch (e.k) {
    case "sym":
      if (!CONSTANTS.has(e.name)) out.add(e.name);
      break;
    case "add":
      for (const t of e.terms) freeSymbols(t, out);
      break;
    case "mul":
      for (const t of e.factors) freeSymbols(t, out);
      break;
    case "neg":
    case "pct":
      freeSymbols(e.arg, out);
      break;
    case "div":
      freeSymbols(e.num, out);
      freeSymbols(e.den, out);
      break;
    case "pow":
      freeSymbols(e.base, out);
      freeSymbols(e.exp, out);
      break;
    case "fn":
      for (const a of e.args) freeSymbols(a, out);
      break;
    case "pm":
      if (e.a) freeSymbols(e.a, out);
      freeSymbols(e.b, out);
      break;
    default:
      break;
  }
  return out;
}

/**
 * The node rebuilt with `f` applied to each of its direct subexpressions; leaves (numbers,
 * symbols, based numerals) are returned as they are. The one walk that rewriting passes share.
 */
export function mapChildren(e: Expr, f: (x: Expr) => Expr): Expr {
  switch (e.k) {
    case "add":
      return { k: "add", terms: e.terms.map(f) };
    case "mul":
      return { k: "mul", factors: e.factors.map(f) };
    case "neg":
      return { k: "neg", arg: f(e.arg) };
    case "pct":
      return { k: "pct", arg: f(e.arg) };
    case "div":
      return { k: "div", num: f(e.num), den: f(e.den) };
    case "pow":
      return { k: "pow", base: f(e.base), exp: f(e.exp) };
    case "fn":
      return { k: "fn", name: e.name, args: e.args.map(f) };
    case "pm":
      return { k: "pm", a: e.a && f(e.a), b: f(e.b), minusFirst: e.minusFirst };
    default:
      return e;
  }
}

/** The expression with every occurrence of the symbol `name` replaced by `value`. */
export function substitute(e: Expr, name: string, value: Expr): Expr {
  if (e.k === "sym") return e.name === name ? value : e;
  return mapChildren(e, (x) => substitute(x, name, value));
}

/** True when the expression contains a node of kind `kind` anywhere. */
export function contains(e: Expr, pred: (x: Expr) => boolean): boolean {
  if (pred(e)) return true;
  switch (e.k) {
    case "add":
      return e.terms.some((t) => contains(t, pred));
    case "mul":
      return e.factors.some((t) => contains(t, pred));
    case "neg":
    case "pct":
      return contains(e.arg, pred);
    case "div":
      return contains(e.num, pred) || contains(e.den, pred);
    case "pow":
      return contains(e.base, pred) || contains(e.exp, pred);
    case "fn":
      return e.args.some((a) => contains(a, pred));
    case "pm":
      return (e.a !== null && contains(e.a, pred)) || contains(e.b, pred);
    default:
      return false;
  }
}

/**
 * A canonical string for structural comparison: sums and products are order-free, so
 * `2+x` and `x+2` share a key. Equal keys mean equal expressions; different keys decide nothing.
 */
export function exprKey(e: Expr): string {
  switch (e.k) {
    case "num":
      return e.v.d === 1n ? e.v.n.toString() : `${e.v.n}/${e.v.d}`;
    case "sym":
      return e.name;
    case "add":
      return `(+ ${e.terms.map(exprKey).sort().join(" ")})`;
    case "mul":
      return `(* ${e.factors.map(exprKey).sort().join(" ")})`;
    case "neg":
      return `(- ${exprKey(e.arg)})`;
    case "div":
      return `(/ ${exprKey(e.num)} ${exprKey(e.den)})`;
    case "pow":
      return `(^ ${exprKey(e.base)} ${exprKey(e.exp)})`;
    case "fn":
      return `(${e.name} ${e.args.map(exprKey).join(" ")})`;
    case "pm":
      return `(pm ${e.a ? exprKey(e.a) : "_"} ${exprKey(e.b)} ${e.minusFirst})`;
    case "pct":
      return `(% ${exprKey(e.arg)})`;
    case "based":
      return `${e.digits}_${e.base}`;
  }
}

export function answerKey(a: Answer): string {
  switch (a.k) {
    case "expr":
      return exprKey(a.e);
    case "tuple":
      return `tuple[${a.items.map(answerKey).join(",")}]`;
    case "interval":
      return `${a.loClosed ? "[" : "("}${exprKey(a.lo)},${exprKey(a.hi)}${a.hiClosed ? "]" : ")"}`;
    case "union":
      return `union[${a.parts.map(answerKey).sort().join(",")}]`;
    case "set":
      return `set[${a.items.map(answerKey).sort().join(",")}]`;
    case "list":
      return `list[${a.items.map(answerKey).sort().join(",")}]`;
    case "matrix":
      return `matrix[${a.rows.map((r) => r.map(exprKey).join("&")).join(";")}]`;
    case "rel":
      return `rel[${a.sides.map(exprKey).join(` ${a.ops.join(" ")} `)}]`;
    case "in":
      return `in[${exprKey(a.lhs)},${answerKey(a.set)}]`;
    case "text":
      return `text:${a.s}`;
  }
}

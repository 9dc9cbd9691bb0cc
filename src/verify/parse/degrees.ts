import { type Answer, type Expr, mapChildren } from "../math/ast.js";
import { TRIG } from "./vocabulary.js";

/** Degree marks: inside a trigonometric function 30° is π/6; anywhere else "90°" is the number 90. */
export function resolveDegrees(e: Expr, inTrig: boolean): Expr {
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
export function mapExprs(a: Answer, f: (e: Expr) => Expr): Answer {
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

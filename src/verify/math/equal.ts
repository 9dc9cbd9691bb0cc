import { type Answer, contains, type Expr, freeSymbols, type RelOp } from "./ast.js";
import { envAt, expandPm, exprEqual, POINTS, REL_TOL, withDecimalPolicy } from "./expr-equal.js";
import { type Conditioning, numericValue } from "./numeric.js";

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
  return withDecimalPolicy(opts.approximate ?? false, () =>
    answersEqualCanon(canonical(pred), canonical(ref)),
  );
}

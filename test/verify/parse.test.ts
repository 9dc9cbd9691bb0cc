import { describe, expect, it } from "vitest";
import type { Answer, Expr } from "../../src/verify/math/ast.js";
import { approximateAnswer } from "../../src/verify/parse/approximate.js";
import { bracketedAnswer } from "../../src/verify/parse/brackets.js";
import { TokenCursor } from "../../src/verify/parse/cursor.js";
import { resolveDegrees } from "../../src/verify/parse/degrees.js";
import { ExprParser, parseExpression } from "../../src/verify/parse/expression.js";
import { matrixAnswer } from "../../src/verify/parse/matrix.js";
import { normalizeAnswerText } from "../../src/verify/parse/normalize.js";
import { parseAnswer } from "../../src/verify/parse/parse.js";
import { prepareExprTokens } from "../../src/verify/parse/prepare.js";
import { relationAnswer } from "../../src/verify/parse/relation.js";
import { membershipAnswer, namedSet, unionAnswer } from "../../src/verify/parse/sets.js";
import { rejectProse, textAnswer, trimUnits } from "../../src/verify/parse/text.js";
import { ParseError, type Token, tokenize } from "../../src/verify/parse/tokenize.js";

// Direct tests of the parser's modules; the corpora in equivalence.test.ts test them together.

const toks = (s: string): Token[] => tokenize(normalizeAnswerText(s));
const int = (n: number): Expr => ({ k: "num", v: { n: BigInt(n), d: 1n }, decimal: false });
const sym = (name: string): Expr => ({ k: "sym", name });
const expr = (s: string): Expr => parseExpression(toks(s));
/** A stand-in for the answer parser: every part is read as an expression. */
const exprParser = (s: string) => {
  const p = new ExprParser(toks(s));
  const item = (lo: number, hi: number): Answer => ({ k: "expr", e: p.exprOf(lo, hi) });
  return { p, item, n: p.toks.length };
};

describe("token pre-pass (prepareExprTokens)", () => {
  const words = (s: string) => prepareExprTokens(toks(s)).map((t) => t.v);
  it("splits juxtaposed letters into variables but keeps function and constant names", () => {
    expect(words("xy")).toEqual(["x", "y"]);
    expect(words("sin x")).toEqual(["sin", "x"]);
    expect(words("2pi")).toEqual(["2", "pi"]);
  });
  it("gives an unbraced macro argument one character, as LaTeX does", () => {
    expect(words("\\frac43")).toEqual(["frac", "4", "3"]);
    expect(words("\\sqrt2x")).toEqual(["sqrt", "2", "x"]);
    expect(words("x_12")).toEqual(["x", "_", "1", "2"]);
  });
});

describe("expression grammar", () => {
  it("reads sums, signs and products with juxtaposition", () => {
    expect(expr("2x - 1")).toEqual({
      k: "add",
      terms: [
        { k: "mul", factors: [int(2), sym("x")] },
        { k: "neg", arg: int(1) },
      ],
    });
  });
  it("binds powers tighter than products and reads postfix marks", () => {
    expect(expr("3x^2")).toEqual({ k: "mul", factors: [int(3), { k: "pow", base: sym("x"), exp: int(2) }] });
    expect(expr("5!")).toEqual({ k: "fn", name: "fact", args: [int(5)] });
    expect(expr("50\\%")).toEqual({ k: "pct", arg: int(50) });
  });
  it("reads LaTeX fractions, roots and named functions", () => {
    expect(expr("\\frac{1}{2}")).toEqual({ k: "div", num: int(1), den: int(2) });
    expect(expr("\\sqrt[3]{8}")).toEqual({ k: "fn", name: "root", args: [int(3), int(8)] });
    expect(expr("\\sin^{-1} x")).toEqual({ k: "fn", name: "asin", args: [sym("x")] });
    expect(expr("\\log_2 8")).toEqual({ k: "fn", name: "log", args: [int(2), int(8)] });
  });
  it("reads a mixed number only where graders do", () => {
    expect(expr("4 4/9")).toEqual({ k: "add", terms: [int(4), { k: "div", num: int(4), den: int(9) }] });
    expect(() => expr("11 7/6")).toThrow(ParseError);
  });
  it("expands a sum with small integer bounds", () => {
    const s = expr("\\sum_{k=1}^{3} k");
    expect(s).toEqual({ k: "add", terms: [int(1), int(2), int(3)] });
  });
  it("reads a numeral in another base by its digits", () => {
    expect(expr("52_8")).toEqual({ k: "based", digits: "52", base: "8" });
  });
  it("refuses dangling operators and unknown commands", () => {
    expect(() => expr("2 +")).toThrow(/dangling operator/);
    expect(() => expr("\\weird{2}")).toThrow(/unsupported \\weird/);
  });
});

describe("token cursor", () => {
  it("matches any closer to any opener, for half-open intervals", () => {
    const c = new TokenCursor(toks("(3, 4]"));
    expect(c.matchClose(0)).toBe(c.toks.length - 1);
  });
  it("splits only at top level", () => {
    const c = new TokenCursor(toks("(1, 2), 3"));
    expect(c.splitTop(0, c.toks.length, (t) => t.t === "op" && t.v === ",")).toEqual([
      [0, 5],
      [6, 7],
    ]);
  });
  it("bounds nesting depth", () => {
    const deep = `${"(".repeat(100)}1${")".repeat(100)}`;
    expect(() => expr(deep)).toThrow(/nesting too deep/);
  });
});

describe("text answers, units and prose", () => {
  const text = (s: string) => {
    const t = toks(s);
    return textAnswer(t, 0, t.length);
  };
  it("reads words as lower-case text, number words as numbers", () => {
    expect(text("Evelyn")).toEqual({ k: "text", s: "evelyn" });
    expect(text("\\text{twelve}")).toEqual({ k: "expr", e: int(12) });
    expect(text("infinity")).toEqual({ k: "expr", e: sym("inf") });
  });
  it("leaves a single letter and anything numeric to the other readers", () => {
    expect(text("x")).toBeNull();
    expect(text("3 cm")).toBeNull();
  });
  it("drops trailing units after a number, with their exponent", () => {
    for (const s of ["12 cm", "12 \\text{ inches}^2", "12 cm^{2}"]) {
      const t = toks(s);
      expect(trimUnits(t, 0, t.length), s).toBe(1);
    }
    const t = toks("2 pi");
    expect(trimUnits(t, 0, t.length)).toBe(2);
  });
  it("rejects sentences but not products of letters", () => {
    const reject = (s: string) => {
      const t = toks(s);
      return () => rejectProse(t, 0, t.length);
    };
    expect(reject("The answer is 3")).toThrow(/prose/);
    expect(reject("we get 17")).toThrow(/prose/);
    expect(reject("it's 5")).toThrow(/prose/);
    expect(reject("ab + cd")).not.toThrow();
  });
});

describe("approximate values", () => {
  it("prefers the exact value before ≈, otherwise the approximation", () => {
    const exact = exprParser("1/3 ≈ 0.33");
    expect(approximateAnswer(exact.p, 0, exact.n, exact.item)).toEqual({
      k: "expr",
      e: { k: "div", num: int(1), den: int(3) },
    });
    const named = exprParser("x ≈ 11");
    expect(approximateAnswer(named.p, 0, named.n, named.item)).toEqual({
      k: "rel",
      sides: [sym("x"), int(11)],
      ops: ["="],
    });
    const none = exprParser("11");
    expect(approximateAnswer(none.p, 0, none.n, none.item)).toBeNull();
  });
});

describe("sets and intervals", () => {
  const inf = sym("inf");
  it("names the empty set and the reals", () => {
    const e = toks("\\emptyset");
    expect(namedSet(e, 0, e.length)).toEqual({ k: "set", items: [] });
    const r = toks("\\mathbb{R}");
    expect(namedSet(r, 0, r.length)).toEqual({
      k: "interval",
      lo: { k: "neg", arg: inf },
      hi: inf,
      loClosed: false,
      hiClosed: false,
    });
  });
  it("reads unions and membership", () => {
    const u = exprParser("a \\cup b");
    expect(unionAnswer(u.p, 0, u.n, u.item)).toEqual({
      k: "union",
      parts: [
        { k: "expr", e: sym("a") },
        { k: "expr", e: sym("b") },
      ],
    });
    const m = exprParser("x \\in 3");
    expect(membershipAnswer(m.p, 0, m.n, m.item)).toEqual({
      k: "in",
      lhs: sym("x"),
      set: { k: "expr", e: int(3) },
    });
  });
  it("reads bracket kinds: half-open interval, tuple, set, vector", () => {
    const read = (s: string) => {
      const b = exprParser(s);
      return bracketedAnswer(b.p, 0, b.n, b.item, b.item);
    };
    expect(read("[1, 2)")).toEqual({
      k: "interval",
      lo: int(1),
      hi: int(2),
      loClosed: true,
      hiClosed: false,
    });
    expect(read("(1, 2, 3)")).toEqual({
      k: "tuple",
      items: [1, 2, 3].map((n) => ({ k: "expr", e: int(n) })),
    });
    expect(read("\\{1, 2\\}")).toEqual({ k: "set", items: [1, 2].map((n) => ({ k: "expr", e: int(n) })) });
    expect(read("\\langle 1, 2 \\rangle")).toEqual({
      k: "tuple",
      items: [1, 2].map((n) => ({ k: "expr", e: int(n) })),
    });
    expect(read("(C)")).toEqual({ k: "text", s: "c" });
    expect(read("(x+1)")).toBeNull();
  });
});

describe("relations", () => {
  it("reads chains, and a function named on the left as a name", () => {
    const c = exprParser("a = b < 3");
    expect(relationAnswer(c.p, 0, c.n, c.item)).toEqual({
      k: "rel",
      sides: [sym("a"), sym("b"), int(3)],
      ops: ["=", "<"],
    });
    const f = exprParser("f(x) = 2");
    expect(relationAnswer(f.p, 0, f.n, f.item)).toEqual({
      k: "rel",
      sides: [sym("f(x)"), int(2)],
      ops: ["="],
    });
    const empty = exprParser("x =");
    expect(() => relationAnswer(empty.p, 0, empty.n, empty.item)).toThrow(/empty side/);
  });
});

describe("matrices", () => {
  const matrix = (s: string) => {
    const p = new ExprParser(toks(s));
    return matrixAnswer(p, 0, p.toks.length);
  };
  it("reads rows and cells", () => {
    expect(matrix("\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}")).toEqual({
      k: "matrix",
      rows: [
        [int(1), int(2)],
        [int(3), int(4)],
      ],
    });
  });
  it("adds matrices entry by entry and refuses ragged ones and determinants", () => {
    const sum = matrix("\\begin{pmatrix} 1 \\end{pmatrix} + \\begin{pmatrix} 2 \\end{pmatrix}");
    expect(sum).toEqual({ k: "matrix", rows: [[{ k: "add", terms: [int(1), int(2)] }]] });
    expect(() => matrix("\\begin{pmatrix} 1 & 2 \\\\ 3 \\end{pmatrix}")).toThrow(/ragged/);
    expect(() => matrix("\\begin{vmatrix} 1 \\end{vmatrix}")).toThrow(/determinant/);
  });
});

describe("degree marks", () => {
  it("are radians inside trigonometric functions and plain numbers elsewhere", () => {
    const deg: Expr = { k: "fn", name: "deg", args: [int(30)] };
    expect(resolveDegrees(deg, false)).toEqual(int(30));
    const inSin = resolveDegrees({ k: "fn", name: "sin", args: [deg] }, false);
    expect(inSin).toEqual({
      k: "fn",
      name: "sin",
      args: [{ k: "div", num: { k: "mul", factors: [int(30), sym("pi")] }, den: int(180) }],
    });
  });
  it("apply to whole answers through parseAnswer", () => {
    expect(parseAnswer("90^\\circ")).toEqual({ k: "expr", e: int(90) });
  });
});

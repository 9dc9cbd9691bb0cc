import type { RelOp } from "../math/ast.js";

/** Named functions, as `\sin` commands or bare words, with the name used in the AST. */
export const FUNCTIONS: Record<string, string> = {
  sin: "sin",
  cos: "cos",
  tan: "tan",
  cot: "cot",
  sec: "sec",
  csc: "csc",
  arcsin: "asin",
  arccos: "acos",
  arctan: "atan",
  arccot: "acot",
  asin: "asin",
  acos: "acos",
  atan: "atan",
  sinh: "sinh",
  cosh: "cosh",
  tanh: "tanh",
  ln: "ln",
  log: "log",
  lg: "lg",
  exp: "exp",
  sqrt: "sqrt",
  abs: "abs",
};
/** `\sin^{-1}` is arcsin: the functions whose -1 power names their inverse. */
export const INVERSE: Record<string, string> = { sin: "asin", cos: "acos", tan: "atan", cot: "acot" };

/** Wrappers whose argument is the value itself (`\boxed{3}` is 3, `\vec{v}` is v). */
export const UNWRAP = new Set([
  "boxed",
  "fbox",
  "vec",
  "overline",
  "bar",
  "hat",
  "widehat",
  "overrightarrow",
  "mathbb",
]);
export const RELOPS: Record<string, RelOp> = {
  "=": "=",
  "<": "<",
  ">": ">",
  "<=": "<=",
  ">=": ">=",
  "!=": "!=",
};
/** Words that separate the items of a list answer ("3 and 5"). */
export const SEPARATOR_WORDS = new Set(["and", "or"]);
/** Multi-letter words that are constants, not products of single-letter variables. */
export const NAMED_WORDS = new Set(["pi", "infty", "inf", "infinity"]);
export const CONSTANT_NAMES = new Set(["pi", "e", "i", "inf"]);
/** Functions inside which a degree mark converts to radians. */
export const TRIG = new Set(["sin", "cos", "tan", "cot", "sec", "csc"]);

/** A whole answer written as one number word ("two", "\\text{twelve}") is that number. */
export const NUMBER_WORDS: Record<string, number> = Object.fromEntries(
  [
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen",
    "sixteen seventeen eighteen nineteen twenty",
  ]
    .join(" ")
    .split(" ")
    .map((w, i) => [w, i])
    .concat([
      ["thirty", 30],
      ["forty", 40],
      ["fifty", 50],
      ["sixty", 60],
      ["seventy", 70],
      ["eighty", 80],
      ["ninety", 90],
      ["hundred", 100],
    ]),
);

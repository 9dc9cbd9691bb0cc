/**
 * String-level clean-up of an answer before tokenizing: math delimiters, spacing macros,
 * `\left`/`\right`, fraction variants, degree marks, currency, Unicode look-alikes and digit
 * grouping. Every pattern here is linear (no nested quantifiers), so hostile text cannot make
 * it backtrack.
 */
const SIMPLE_REPLACEMENTS: Array<[RegExp, string]> = [
  [/\\(?:left|right|bigl|bigr|Bigl|Bigr|biggl|biggr|Biggl|Biggr|big|Big|bigg|Bigg)(?![a-zA-Z])\s*/g, ""],
  [/\\(?:displaystyle|textstyle|scriptstyle|limits|nolimits)(?![a-zA-Z])/g, ""],
  [/\\(?:dfrac|tfrac|cfrac)(?![a-zA-Z])/g, "\\frac"],
  [/\\(?:dbinom|tbinom)(?![a-zA-Z])/g, "\\binom"],
  [/\\(?:qquad|quad)(?![a-zA-Z])/g, " "],
  [/,\s*\\!\s*/g, ","],
  [/\\!/g, ""],
  [/(?<!\\)\\[,;: ]/g, " "],
  [/\\(?:hspace|vspace)\*?\{[^{}]{0,40}\}/g, " "],
  // Degree marks become one token: `90°` is 90 as an answer, but π/6 inside `\sin 30°`.
  [/\^\s*\{\s*\\circ\s*\}|\^\s*\\circ(?![a-zA-Z])|\\circ(?![a-zA-Z])|\\degree(?![a-zA-Z])/g, "°"],
  [/\\approx(?![a-zA-Z])/g, "≈"],
  // Ordinal suffixes: 5^{\text{th}}, 21^{st}, 3\text{rd} are the numbers.
  [/(\d)\s*\^\s*\{?\s*\\(?:text|textrm|mathrm|rm)\s*\{\s*(?:st|nd|rd|th)\s*\}\s*\}?/g, "$1"],
  [/(\d)\s*\^\s*\{\s*(?:st|nd|rd|th)\s*\}/g, "$1"],
  [/(\d)\s*\\(?:text|textrm|mathrm)\s*\{\s*(?:st|nd|rd|th)\s*\}/g, "$1"],
  [/[€£¥]/g, ""],
  // "28 percent", "\boxed{28 pct}", "4 4/9 percentage": the % sign.
  [/(\d|\})\s?(?:\\text\s?\{\s?)?(?:percentage|percent|pct)(?![a-zA-Z])(?:\s?\})?/g, "$1%"],
  // An ellipsis continues a list: "1, 2, 3, ..." is not the list 1, 2, 3.
  [/\.{3,}|…|\\(?:ldots|dots|cdots|dotsc|dotsb)(?![a-zA-Z])/g, "\\ldots "],
  // "\\dfrac" written for "\dfrac" (a doubled backslash before a command name).
  [/\\\\(?=(?:frac|dfrac|tfrac|sqrt|pi|cdot|times|text|left|right)(?![a-zA-Z]))/g, "\\"],
  [/\^\s*\{\s*\\prime\s*\}|\\prime(?![a-zA-Z])/g, "'"],
  [/\\%/g, "%"],
  [/\\\$/g, ""],
  [/\$/g, ""],
  [/\\(?:le|leq|leqslant)(?![a-zA-Z])/g, "<="],
  [/\\(?:ge|geq|geqslant)(?![a-zA-Z])/g, ">="],
  [/\\(?:ne|neq)(?![a-zA-Z])/g, "!="],
  [/\\lt(?![a-zA-Z])/g, "<"],
  [/\\gt(?![a-zA-Z])/g, ">"],
  [/\\(?:cdot|times|ast)(?![a-zA-Z])/g, "*"],
  [/\\div(?![a-zA-Z])/g, "/"],
  [/\\(?:lbrace)(?![a-zA-Z])/g, "\\{"],
  [/\\(?:rbrace)(?![a-zA-Z])/g, "\\}"],
  [/\\(?:lvert|rvert|vert|mid)(?![a-zA-Z])/g, "|"],
  [/\\(?:varnothing)(?![a-zA-Z])/g, "\\emptyset"],
  [/\\(?:infin|infinity)(?![a-zA-Z])/g, "\\infty"],
  [/−|–|—/g, "-"],
  [/×|·|⋅|∙/g, "*"],
  [/÷|⁄/g, "/"],
  [/≤|⩽/g, "<="],
  [/≥|⩾/g, ">="],
  [/≠/g, "!="],
  [/π/g, "\\pi "],
  [/∞/g, "\\infty "],
  [/±/g, "\\pm "],
  [/∓/g, "\\mp "],
  [/√/g, "\\sqrt "],
  [/∪/g, "\\cup "],
  [/∈/g, "\\in "],
  [/、|；/g, ","],
  [/，/g, ","],
  [/（/g, "("],
  [/）/g, ")"],
];

/** Digits grouped by commas or thin spaces (`10,\!080`, `1 000`) as one number. */
function joinDigitGroups(s: string): string {
  // `{,}` (also spaced, `{, }`) is always a thousands separator in LaTeX.
  s = s.replace(/(\d)\s?\{\s?,\s?\}\s?(?=\d)/g, "$1");
  // Comma groups 1,234,567 outside brackets; "1,2" and "(100,200)" stay a list and a pair.
  s = s.replace(/(^|[\s=~:+*/-])(\d{1,3}(?:,\d{3})+)(?![\d,)\]}])/g, (_m, pre: string, run: string) => {
    return pre + run.replace(/,/g, "");
  });
  s = s.replace(/^(\d{1,3}(?: \d{3})+)(?=$|\.\d)/, (run) => run.replace(/ /g, ""));
  return s;
}

const SUPERSCRIPTS: Record<string, string> = {
  "⁰": "0",
  "¹": "1",
  "²": "2",
  "³": "3",
  "⁴": "4",
  "⁵": "5",
  "⁶": "6",
  "⁷": "7",
  "⁸": "8",
  "⁹": "9",
  "⁻": "-",
};

const SCALE: Record<string, number> = { thousand: 3, million: 6, billion: 9, trillion: 12 };

/** `5 million`, `2.5 \text{ billion}`: a number times a power of ten (never a unit to drop). */
function scaleWords(s: string): string {
  return s.replace(
    /(\d)\s?(?:\\(?:text|mbox|mathrm|textrm)\s?\{\s?(thousand|million|billion|trillion)s?\s?\}|(thousand|million|billion|trillion)s?(?![a-zA-Z]))/g,
    (_m, d: string, a: string | undefined, b: string | undefined) => `${d}*10^{${SCALE[(a ?? b) as string]}}`,
  );
}

/** `0.1\overline{6}`: a repeating decimal is the fraction it equals (1/6), kept exact. */
function repeatingDecimals(s: string): string {
  return s.replace(
    /(\d{0,30})\.(\d{0,30})\s?\\overline\s?\{\s?(\d{1,30})\s?\}/g,
    (_m, whole: string, fixed: string, rep: string) => {
      // x = whole.fixed(rep)(rep)…  ⇒  x = (W·F·R − W·F) / (10^|F| · (10^|R| − 1))
      const all = BigInt(`${whole}${fixed}${rep}` || "0");
      const head = BigInt(`${whole}${fixed}` || "0");
      const den = 10n ** BigInt(fixed.length) * (10n ** BigInt(rep.length) - 1n);
      return `(\\frac{${all - head}}{${den}})`;
    },
  );
}

export function normalizeAnswerText(input: string): string {
  // x² is x^{2}: NFKC alone would turn it into x2.
  let s = input.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+/g, (m) => `^{${[...m].map((c) => SUPERSCRIPTS[c]).join("")}}`);
  s = s.normalize("NFKC").trim();
  // Outer display delimiters.
  s = s.replace(/^\\\[([\s\S]*)\\\]$/, "$1").replace(/^\\\(([\s\S]*)\\\)$/, "$1");
  s = repeatingDecimals(s);
  // Numbers on separate lines are separate items ("11\n5/6" is not the mixed number 11 5/6).
  s = s.replace(/(\d)[ \t]*\n\s*(?=[+-]?\d)/g, "$1, ");
  for (const [re, rep] of SIMPLE_REPLACEMENTS) s = s.replace(re, rep);
  s = s.replace(/\s+/g, " ").trim();
  s = scaleWords(s);
  // "x \in ..." stays; trailing sentence punctuation goes.
  s = s.replace(/[.。,;:]+$/, "").trim();
  s = s.replace(/\\(?:thinspace|negthinspace)(?![a-zA-Z])/g, "");
  s = joinDigitGroups(s);
  return s;
}

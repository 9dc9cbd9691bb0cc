/**
 * Equivalence cases: [prediction, reference, expected]. Each expectation is worked out by hand
 * (comments say why where it is not obvious). Sources: the pitfalls of docs/method.md#known-pitfalls, and the
 * answer conventions of MATH (LaTeX, \boxed), GSM8K (plain numbers, "####") and GAOKAO (letters,
 * full-width text, Chinese phrasing).
 */
export type Case = [pred: string, ref: string, expected: boolean];

export const PITFALLS: Case[] = [
  // 1/2004! and 1/2006! are both below 1e-5700: a double-precision check calls them equal.
  ["\\frac{1}{2004!}", "\\frac{1}{2006!}", false],
  ["\\frac{1}{2004!}", "\\frac{1}{2004!}", true],
  // 1 − 1/e ≈ 0.632, 1 + 1/e ≈ 1.368.
  ["1-\\frac{1}{e}", "1+\\frac{1}{e}", false],
  ["1-e^{-1}", "1-\\frac{1}{e}", true],
  // ±2021 is two values; 2021 is one.
  ["\\pm 2021", "2021", false],
  ["2021", "\\pm 2021", false],
  ["\\pm 2021", "2021, -2021", true],
  // Equations with equal left sides are different equations.
  ["x+1=2", "x+1=3", false],
  ["x^2+y^2=1", "x^2+y^2=4", false],
  ["\\text{13}", "13", true],
  ["13", "\\text{13}", true],
  // √(1/n) = 1/√n for n > 0.
  ["\\sqrt{1/n}", "\\frac{1}{\\sqrt n}", true],
  ["\\sqrt{\\frac{1}{n}}", "\\frac{1}{\\sqrt{n}}", true],
  // √(2^100 + 1) − 2^50 ≈ 4.4e-16: equal in doubles, different in fact.
  ["\\sqrt{2^{100}+1}", "2^{50}", false],
  ["e^{-1000}", "e^{-1001}", false],
  ["10^{10^{10}}+1", "10^{10^{10}}", false],
];

export const NUMBERS: Case[] = [
  ["42", "42", true],
  ["42.0", "42", true],
  ["042", "42", true],
  ["41", "42", false],
  ["-5", "-5", true],
  ["5", "-5", false],
  ["0.5", "\\frac{1}{2}", true],
  ["1/2", "0.5", true],
  [".35625", "\\frac{57}{160}", true],
  ["0.35625", ".35625", true],
  ["7,425,000", "7425000", true],
  ["10,080", "10,\\!080", true],
  ["11111111100", "11,\\! 111,\\! 111,\\! 100", true],
  ["\\$32,\\!348", "32348", true],
  ["\\$18.90", "18.9", true],
  ["18.90", "\\$18.90", true],
  ["1.5 \\times 10^{3}", "1500", true],
  ["1.5e3", "1500", true],
  ["2.5 \\cdot 10^{-2}", "0.025", true],
  ["6.02\\times10^{23}", "602000000000000000000000", true],
  // Two finite decimals compare exactly.
  ["1.0001", "1", false],
  ["3.21", "3.2", false],
  // A rounded decimal does not match an exact reference with no finite decimal form (issue 13:
  // a policy must not learn to round instead of solving); `approximate: true` accepts it within
  // 1e-4 relative (APPROXIMATE below). A decimal reference keeps that tolerance either way.
  ["0.33333", "\\frac{1}{3}", false],
  ["0.333", "\\frac{1}{3}", false],
  ["0.0833333333", "\\frac{1}{12}", false],
  ["1.41421", "\\sqrt{2}", false],
  ["3.14", "\\pi", false],
  ["3.14159", "\\pi", false],
  ["0.866", "\\frac{\\sqrt3}{2}", false],
  ["\\frac{1}{3}", "0.33333", true],
  ["\\pi", "3.14159", true],
  ["\\frac{\\sqrt3}{2}", "0.8660", true],
  ["\\pi", "3.14", false],
  // Percentages: 50% is 50 and 0.5.
  ["50\\%", "50", true],
  ["50", "50\\%", true],
  ["0.5", "50\\%", true],
  ["50\\%", "0.5", true],
  ["28", "28\\%", true],
  ["0.28", "28", false],
  ["\\frac{28}{100}", "28", false],
];

export const FRACTIONS: Case[] = [
  ["\\frac{14}{3}", "\\frac{14}{3}", true],
  ["\\dfrac{14}{3}", "\\frac{14}{3}", true],
  ["\\tfrac{14}{3}", "14/3", true],
  ["\\frac43", "\\frac{4}{3}", true],
  ["\\frac 59", "5/9", true],
  ["\\frac9{19}", "\\frac{9}{19}", true],
  ["\\frac{28}{6}", "\\frac{14}{3}", true],
  ["\\frac{14}{3}", "\\frac{3}{14}", false],
  ["-\\frac{35}{9}", "\\frac{-35}{9}", true],
  ["\\frac{-35}{-9}", "-\\frac{35}{9}", false],
  // Mixed numbers: 1 4/5 = 9/5, 137 1/2 = 275/2.
  ["1\\frac{4}{5}", "\\frac{9}{5}", true],
  ["137 \\frac{1}{2}", "137.5", true],
  ["\\frac{9}{5}", "1\\frac{4}{5}", true],
  ["\\frac{270}7\\text{ degrees}", "\\frac{270}{7}", true],
  ["\\left( \\frac{1}{3} \\right)", "\\frac13", true],
];

export const RADICALS_PI: Case[] = [
  ["3\\sqrt{13}", "3\\sqrt{13}", true],
  ["\\sqrt{117}", "3\\sqrt{13}", true],
  ["3\\sqrt{13}", "13\\sqrt{3}", false],
  ["\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}", true],
  ["\\frac{\\sqrt3}{3}", "\\frac{\\sqrt{3}}{3}", true],
  ["\\sqrt{8}", "2\\sqrt2", true],
  ["11\\sqrt2", "11 \\sqrt{2}", true],
  ["11 \\sqrt{5} + 11", "11(1+\\sqrt5)", true],
  ["11 \\sqrt{5} + 11", "11\\sqrt{5} - 11", false],
  ["\\sqrt{2}+\\sqrt{3}", "\\sqrt{5+2\\sqrt{6}}", true],
  ["\\sqrt[3]{8}", "2", true],
  ["\\sqrt[3]{-8}", "-2", true],
  ["\\sqrt[4]{16}", "2", true],
  ["2^{1/2}", "\\sqrt{2}", true],
  ["288 \\pi", "288\\pi", true],
  ["\\pi", "\\pi", true],
  ["2\\pi", "\\pi", false],
  ["\\frac{20000}{\\pi}", "20000\\pi^{-1}", true],
  ["18+2\\pi", "2\\pi+18", true],
  ["\\frac{\\pi}{2}", "\\frac{1}{2}\\pi", true],
  ["\\frac{\\pi}{6}", "30", false],
  ["\\left[ \\frac{\\pi^2}{8}, \\frac{5 \\pi^2}{4} \\right]", "[\\pi^2/8, 5\\pi^2/4]", true],
  ["e^2", "e^{2}", true],
  ["\\ln 8", "3\\ln 2", true],
  ["\\log_2 8", "3", true],
  ["\\sin(\\pi)", "0", true],
  ["\\sin\\frac{\\pi}{6}", "\\frac12", true],
  ["\\cos^2 x + \\sin^2 x", "1", true],
  ["\\binom{5}{2}", "10", true],
  ["5!", "120", true],
  ["|-3|", "3", true],
];

export const SYMBOLIC: Case[] = [
  ["x^2+2x+1", "(x+1)^2", true],
  ["(x+1)^2", "x^2+2x+1", true],
  ["x^2+2x+2", "(x+1)^2", false],
  ["p - q", "-q + p", true],
  ["p - q", "q - p", false],
  ["(a+5)(b+2)", "ab+2a+5b+10", true],
  ["(a+5)(b+2)", "(a+5)(b+3)", false],
  ["2k+2", "2(k+1)", true],
  ["\\cot x", "\\frac{\\cos x}{\\sin x}", true],
  ["\\tan^2 y + 1", "\\sec^2 y", true],
  ["\\frac{x+2}{7}", "\\frac{x}{7}+\\frac{2}{7}", true],
  ["x+2n+1", "x+1", false],
  ["x^5 - x^4 + x^3 - x^2 + x - 1", "(x-1)(x^4+x^2+1)", true],
  ["6r^2-4r-24", "2(3r^2-2r-12)", true],
  ["3R^2", "3R^{2}", true],
  ["\\frac{11+9a}{20}", "\\frac{11}{20}+\\frac{9a}{20}", true],
];

export const COMPLEX: Case[] = [
  ["6 - 5i", "6-5i", true],
  ["-5i+6", "6-5i", true],
  ["6+5i", "6-5i", false],
  ["1+2i", "\\frac{5}{1-2i}", true],
  ["i^2", "-1", true],
];

export const STRUCTURES: Case[] = [
  // Ordered pairs keep their order.
  ["(3, \\frac{\\pi}{2})", "\\left( 3, \\frac{\\pi}{2} \\right)", true],
  ["(\\frac{\\pi}{2}, 3)", "\\left( 3, \\frac{\\pi}{2} \\right)", false],
  ["(6,31,-1)", "(6, 31, -1)", true],
  ["(1,4.5)", "(1,\\frac{9}{2})", true],
  // Intervals: brackets matter.
  ["(3,4]", "(3,4]", true],
  ["(3,4)", "(3,4]", false],
  ["[3,4]", "(3,4]", false],
  ["(-\\infty, 0]", "(-\\infty,0]", true],
  ["(-\\infty, 0)", "(-\\infty,0]", false],
  ["(\\infty, 0]", "(-\\infty,0]", false],
  ["(2,\\infty)", "(2, \\infty)", true],
  ["(-\\infty, 2) \\cup (3, \\infty)", "(3,\\infty)\\cup(-\\infty,2)", true],
  ["(-\\infty, 2) \\cup (3, \\infty)", "(-\\infty, 2) \\cup [3, \\infty)", false],
  ["x \\in [-2,7]", "[-2,7]", true],
  ["[-2,7]", "x \\in [-2,7]", true],
  ["\\left(\\frac{3}{5},\\frac{8}{3}\\right]", "(0.6, 8/3]", true],
  // Sets and several answers are order-free.
  ["\\{1,2,3\\}", "\\{3,2,1\\}", true],
  ["\\{1,2\\}", "\\{1,2,3\\}", false],
  ["1,-2", "-2, 1", true],
  ["3, 5, 7", "7, 5, 3", true],
  ["3, 5", "3, 5, 7", false],
  ["1+\\sqrt{19}, 1-\\sqrt{19}", "1 \\pm \\sqrt{19}", true],
  ["1 \\pm \\sqrt{19}", "1 - \\sqrt{19}, 1 + \\sqrt{19}", true],
  ["3 + 2\\sqrt{2}", "3 \\pm 2 \\sqrt{2}", false],
  ["\\{1\\pm\\sqrt{5},-2\\}", "-2, 1+\\sqrt5, 1-\\sqrt5", true],
  ["\\emptyset", "\\varnothing", true],
  // Matrices and vectors.
  ["\\begin{pmatrix} -1 & 0 \\\\ 0 & -1 \\end{pmatrix}", "\\begin{bmatrix}-1&0\\\\0&-1\\end{bmatrix}", true],
  [
    "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
    "\\begin{pmatrix} 1 & 2 \\\\ 3 & 5 \\end{pmatrix}",
    false,
  ],
  [
    "\\begin{pmatrix} 1 & 2 \\\\ 3 & 4 \\end{pmatrix}",
    "\\begin{pmatrix} 1 & 3 \\\\ 2 & 4 \\end{pmatrix}",
    false,
  ],
  [
    "\\begin{pmatrix} -1/3 \\\\ 2/3 \\\\ 5/3 \\end{pmatrix}",
    "\\begin{pmatrix} -\\frac13 \\\\ \\frac23 \\\\ \\frac53 \\end{pmatrix}",
    true,
  ],
  ["(-1/3, 2/3, 5/3)", "\\begin{pmatrix} -1/3 \\\\ 2/3 \\\\ 5/3 \\end{pmatrix}", true],
];

export const RELATIONS: Case[] = [
  // An assignment equals its value.
  ["x=5", "5", true],
  ["5", "x=5", true],
  ["k = \\frac{1}{3}", "\\frac13", true],
  ["x=5", "x=6", false],
  ["y = 2x + 3", "2x - y + 3 = 0", true],
  ["y = 2x + 3", "y = 2x - 3", false],
  ["5x - 7y + 11z + 4 = 0", "-5x+7y-11z-4=0", true],
  ["10x - 14y + 22z + 8 = 0", "5x - 7y + 11z + 4 = 0", true],
  ["2x+4y-3=0", "y=-\\frac{1}{2}x+\\frac{3}{4}", true],
  ["\\frac{x^2}{4} + \\frac{y^2}{3} = 1", "\\frac{x^2}{16}+\\frac{y^2}{12}=\\frac14", true],
  ["x < 1", "-x > -1", true],
  ["x < 1", "x > -1", false],
  ["x \\le 1", "x < 1", false],
  ["2x + z = 1", "1", false],
];

export const LATEX_WRAPPERS: Case[] = [
  ["90^\\circ", "90", true],
  ["90", "90^\\circ", true],
  ["90^{\\circ}", "90°", true],
  ["91^\\circ", "90^\\circ", false],
  ["864 \\mbox{ inches}^2", "864", true],
  ["15\\mbox{ cm}^2", "15", true],
  ["5.4 \\text{ cents}", "5.4", true],
  ["12 cm", "12", true],
  ["\\boxed{12}", "12", true],
  ["$12$", "12", true],
  ["\\[12\\]", "12", true],
  ["\\left( 3, \\frac{\\pi}{2} \\right)", "(3,\\pi/2)", true],
  ["\\text{Evelyn}", "Evelyn", true],
  ["evelyn", "\\text{Evelyn}", true],
  ["\\text{Navin}", "\\text{Evelyn}", false],
  ["\\text{(C)}", "C", true],
  ["(C)", "\\text{(C)}", true],
  ["\\text{(B)}", "\\text{(C)}", false],
  ["\\text{east}", "east", true],
  ["52_8", "52_{8}", true],
  ["52", "52_8", true],
  ["42", "52_8", false],
  ["4210_{5}", "4210_5", true],
  ["10 cm²", "10", true],
  ["15\\text{ cm}^{2}", "15", true],
  // Unicode superscripts are exponents, not digits: x² + 1 is not 2x + 1.
  ["x²+1", "x^2+1", true],
  ["x²+1", "2x+1", false],
  [
    "\\left[\\begin{array}{cc}1 & 2 \\\\ 3 & 4\\end{array}\\right]",
    "\\begin{pmatrix}1 & 2 \\\\ 3 & 4\\end{pmatrix}",
    true,
  ],
  ["12\\text{ and }13", "12, 13", true],
  ["28 percent", "28\\%", true],
  // Full-width OCR text (GAOKAO): （1，2） is (1, 2).
  ["（1，2）", "(1,2)", true],
  ["x＝3", "3", true],
];

/** With `approximate: true`: a decimal within 1e-4 relative matches an exact non-terminating value. */
export const APPROXIMATE: Case[] = [
  ["0.33333", "\\frac{1}{3}", true],
  ["0.333", "\\frac{1}{3}", false],
  ["0.0833333333", "\\frac{1}{12}", true],
  ["1.41421", "\\sqrt{2}", true],
  ["3.14159", "\\pi", true],
  ["3.14", "\\pi", false],
  ["0.866", "\\frac{\\sqrt3}{2}", true],
  ["0.87", "\\frac{\\sqrt3}{2}", false],
  // Two finite decimals still compare exactly.
  ["1.0001", "1", false],
];

export const ALL_CASES: Array<[string, Case[]]> = [
  ["pitfalls (docs/method.md#known-pitfalls)", PITFALLS],
  ["numbers", NUMBERS],
  ["fractions", FRACTIONS],
  ["radicals and pi", RADICALS_PI],
  ["symbolic", SYMBOLIC],
  ["complex numbers", COMPLEX],
  ["structures", STRUCTURES],
  ["relations", RELATIONS],
  ["LaTeX wrappers and units", LATEX_WRAPPERS],
];

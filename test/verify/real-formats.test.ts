import { describe, expect, it } from "vitest";
import type { AnswerType } from "../../src/data/item.js";
import { extractAnswer } from "../../src/verify/extract.js";
import type { VerifyInput } from "../../src/verify/types.js";
import { verifyAnswer } from "../../src/verify/verifiers.js";

/**
 * The answer formats real models write (issue 13), one case each, with the verdict worked out by
 * reading the response. Written here in the styles of GAOKAO-Bench, R1-style RL recipes, GSM8K and
 * MATH outputs; the real files are graded in real-outputs.test.ts.
 */
type Case = [
  response: string,
  reference: string | string[],
  type: AnswerType,
  correct: boolean,
  extra?: Partial<VerifyInput>,
];

function check(cases: Case[]) {
  for (const [response, reference, answerType, correct, extra] of cases)
    it(`${JSON.stringify(response).slice(0, 70)} vs ${JSON.stringify(reference)} → ${correct}`, () => {
      expect(verifyAnswer({ reference, response, answerType, ...extra }).correct).toBe(correct);
    });
}

describe("answer fields: <answer> tags and GAOKAO-Bench's 【答案】…<eoa>", () => {
  check([
    ["<think>A or B? B fits.</think><answer>B</answer>", "B", "single_choice", true],
    ["<think>A or B? B fits.</think><answer>A</answer>", "B", "single_choice", false],
    ["<think>…</think>\n<answer>\\boxed{\\frac12}</answer>", "\\frac{1}{2}", "math", true],
    ["<think>…</think><answer>The answer is 42</answer>", "42", "math", true],
    ["<answer>C</answer>", "C", "single_choice", true],
    ["【解析】 … <eoe>\n【答案】: A <eoa>", "A", "single_choice", true],
    ["【答案】A<eoa>", "A", "single_choice", true],
    ["【答案】：$\\frac{1}{2}$ <eoa>", "\\frac12", "math", true],
    ["【答案】$S=N_1/N$<eoa>", "\\frac{N_1}{N}", "math", true],
    ["【答案】14π<eoa>", "14\\pi", "math", true],
    ["【答案】$\\lambda = 1/2$<eoa>", "\\frac12", "math", true],
    ["【答案】2/3<eoa>", "\\frac{2}{3}", "math", true],
    ["【答案】\n解方程得到n=8.<eoa>", "8", "math", true],
    ["【答案】所以$|\\vec{b}|$的值只能为2。<eoa>", "2", "math", true],
    ["【答案】根号3<eoa>", "\\sqrt{3}", "math", true],
  ]);
  it("an unfinished <think> has no answer yet", () => {
    expect(verifyAnswer({ reference: "5", response: "<think>so far 5" })).toMatchObject({
      reason: "no_answer",
    });
  });
});

describe("conclusion phrases in Chinese (full-width punctuation) and English", () => {
  check([
    ["所以本题答案为 C。", "C", "single_choice", true],
    ["综上所述，故选：Ｄ．", "D", "single_choice", true],
    ["因此应选 B", "B", "single_choice", true],
    ["所以选A", "A", "single_choice", true],
    ["故答案为：$2\\sqrt{3}$。", "2\\sqrt3", "math", true],
    ["综上，x的取值范围是$(0,1)$。", "(0,1)", "math", true],
    ["The answer is (C).", "C", "single_choice", true],
    ["Answer: B", "B", "single_choice", true],
    ["Answers: B C A", ["B", "C", "A"], "choice_list", true],
  ]);
});

describe("no correct option: graded wrong, not an error", () => {
  for (const response of [
    "【答案】无正确答案<eoa>",
    "选项都不正确",
    "【答案】题目可能有误<eoa>",
    "None of the options is correct.",
  ])
    it(response, () => {
      const v = verifyAnswer({ reference: "A", response, answerType: "single_choice" });
      expect(v).toMatchObject({ correct: false, score: 0, reason: "no_option" });
    });
});

describe("a choice stated with distractors after it", () => {
  check([
    ["The answer is for sure D, it can't be A or B", "D", "single_choice", true],
    ["B。不是 A", "B", "single_choice", true],
    ["B。不是 A", "A", "single_choice", false],
    ["la réponse est C non A", "C", "single_choice", true],
    ["The answer is not A but C.", "C", "single_choice", true],
    ["故选 C，而不是 B", "C", "single_choice", true],
  ]);
});

describe("GSM8K '####' and \\boxed{} with units or words after the number", () => {
  check([
    ["#### 7 dozen eggs in 4 weeks", "7", "math", true],
    ["#### $25,000/year", "25000", "math", true],
    ["#### 6th place", "6", "math", true],
    ["#### 2:00 pm", "14", "math", true],
    ["#### 2:00 pm", "2", "math", true],
    ["#### 2:30 pm", "2", "math", false],
    ["#### 3 PM", "15", "math", true],
    ["#### 14:00", "14", "math", true],
    ["so \\boxed{5} meters", "5", "math", true],
    ["so \\boxed{5\\text{ cm}}", "5", "math", true],
    ["The answer is 12 kg.", "12", "math", true],
    // An expression is not a number with a unit.
    ["\\boxed{2x+3}", "2", "math", false],
    ["\\boxed{2xy}", "2", "math", false],
    ["The answer is 3 and 5.", "3", "math", false],
    ["The answer is 3 to 5 hours.", "3", "math", false],
    ["答案是 1", "1 和 3", "math", false],
    ["答案是 1 和 3", "1", "math", false],
    ["答案是 1 和 3", "3, 1", "math", true],
    // A single equation is an answer in its own right, not a derivation ending in its right side.
    ["所以圆的方程为$(x-3)^2+(y-1)^2=1$", "1", "math", false],
    ["故焦距为 $2c=4$.", "4", "math", true],
    // "0. 98" (a space after the point, from a scanned key) is 0.98, not 0 times 98.
    ["\\boxed{0}", "0. 98.", "math", false],
    ["\\boxed{0.98}", "0. 98.", "math", true],
    // Statement numbers are a set, not a product: "(2)(3)" is statements 2 and 3, not 6.
    ["【答案】6<eoa>", "(2)(3)", "math", false],
    ["【答案】(3)和(2)<eoa>", "(2)(3)", "math", true],
    ["【答案】②③<eoa>", "(2)(3)", "math", true],
    ["【答案】(2)、(4)<eoa>", "(2)(3)", "math", false],
  ]);
});

describe("answer forms: labels, roots, intervals, ratios, unicode, units", () => {
  check([
    ["\\boxed{AB=4, CD=5}", "4, 5", "math", true],
    ["\\boxed{AB=4, CD=6}", "4, 5", "math", false],
    ["\\boxed{V_1:V_2=11:21}", "11:21", "math", true],
    ["\\boxed{22:42}", "11:21", "math", true],
    ["\\boxed{21:11}", "11:21", "math", false],
    ["so \\boxed{x_1=2, x_2=3}", "2, 3", "math", true],
    ["\\boxed{2} and \\boxed{3}", "x_1=2, x_2=3", "math", true],
    ["\\boxed{0<f(x)<1}", "(0,1)", "math", true],
    ["\\boxed{0<f(x)\\le 1}", "(0,1)", "math", false],
    ["答案是 π/3", "\\frac{\\pi}{3}", "math", true],
    ["答案是 √3", "\\sqrt{3}", "math", true],
    ["答案是 2×3", "6", "math", true],
    ["答案是 6÷3", "2", "math", true],
    ["答案是 x≤3", "x\\le3", "math", true],
    ["答案是 x≥3", "x\\le3", "math", false],
    ["答案是 −5", "-5", "math", true],
    ["答案是 12 千克", "12", "math", true],
    ["答案是 5分钟", "5", "math", true],
    ["答案是 30元", "30", "math", true],
    ["答案是 3颗", "3", "math", true],
    ["答案是 100米", "100", "math", true],
    ["答案是 20页", "20", "math", true],
    ["答案是 21页", "20", "math", false],
    ["答案是 3万", "30000", "math", true],
    ["\\boxed{\\frac{3}{10}}", "$\\frac{3}{10} \\# \\# 0.3$", "math", true],
    ["\\boxed{0.3}", "$\\frac{3}{10} \\# \\# 0.3$", "math", true],
  ]);
});

describe("the decimal policy: an exact reference needs the exact answer unless approximate is on", () => {
  check([
    ["\\boxed{0.866}", "\\frac{\\sqrt3}{2}", "math", false],
    ["\\boxed{0.866}", "\\frac{\\sqrt3}{2}", "math", true, { approximate: true }],
    ["\\boxed{3.14159}", "\\pi", "math", false],
    ["\\boxed{3.14159}", "\\pi", "math", true, { approximate: true }],
    ["\\boxed{3.14}", "\\pi", "math", false, { approximate: true }],
    // A decimal reference keeps its tolerance: the exact answer is accepted.
    ["\\boxed{\\pi}", "3.14159", "math", true],
    ["\\boxed{\\frac{\\sqrt3}{2}}", "0.866", "math", true],
    // Terminating decimals are exact values.
    ["\\boxed{0.75}", "\\frac34", "math", true],
  ]);
});

describe("several stated answers: the final one counts", () => {
  check([
    ["The answer is 3. Wait, let me recheck. The answer is 5.", "5", "math", true],
    ["The answer is 3. Wait, let me recheck. The answer is 5.", "3", "math", false],
    ["故选A。……重新计算，故选B。", "B", "single_choice", true],
    ["【答案】A<eoa>\n【答案】B<eoa>", "B", "single_choice", true],
    // An answer field outranks prose after it, and a later boxed answer outranks an earlier phrase.
    ["【答案】B<eoa>\n(选项 A 也常被误选)", "B", "single_choice", true],
    ["The answer is 3, i.e. \\boxed{4}", "4", "math", true],
  ]);
  it("extraction reports where the answer came from", () => {
    expect(extractAnswer("<think>x</think><answer>7</answer>")).toEqual({ pred: "7", method: "answer_tag" });
    expect(extractAnswer("【答案】 7 <eoa>")).toEqual({ pred: "7", method: "answer_field" });
  });
});

describe("multi-blank items: graded blank by blank", () => {
  const ref = ["B", "C", "A"];
  check([
    [
      "（1）【解析】…<eoe>【答案】: B <eoa>\n（2）【解析】…<eoe>【答案】：C <eoa>\n（3）【答案】A<eoa>",
      ref,
      "choice_list",
      true,
    ],
    ["1. B\n2. C\n3. A", ref, "choice_list", true],
    ["① B ② C ③ A", ref, "choice_list", true],
    ["(1) B (2) C (3) A", ref, "choice_list", true],
    ["21. The author … 【答案】B\n22. … 【答案】C\n23. … so the answer is A.", ref, "choice_list", true],
    ["答案：B, C, A", ref, "choice_list", true],
    ["<answer>BCA</answer>", ref, "choice_list", true],
    ["<answer>BAC</answer>", ref, "choice_list", false],
  ]);
  it("reports each blank and scores points earned over points", () => {
    const v = verifyAnswer({ reference: ref, response: "(1) B (2) D (3) A", answerType: "choice_list" });
    expect(v.blanks).toEqual([
      { pred: "B", correct: true, score: 1 },
      { pred: "D", correct: false, score: 0 },
      { pred: "A", correct: true, score: 1 },
    ]);
    expect(v).toMatchObject({ correct: false, reason: "partial" });
    expect(v.score).toBeCloseTo(2 / 3, 12);
    const weighted = verifyAnswer({
      reference: ref,
      response: "(1) B (2) D (3) A",
      answerType: "choice_list",
      blankPoints: [1, 3, 2],
    });
    expect(weighted.score).toBeCloseTo(3 / 6, 12);
  });
  it("a blank answered in words is a wrong blank, the others still count", () => {
    const v = verifyAnswer({
      reference: ref,
      response: "48. 【答案】 B <eoa>\n49. The passage does not say.\n50. 【答案】 A <eoa>",
      answerType: "choice_list",
    });
    expect(v.blanks?.map((b) => b.correct)).toEqual([true, false, true]);
  });
  it("rejects blankPoints that do not fit the blanks (reason error, no throw)", () => {
    const v = verifyAnswer({
      reference: ref,
      response: "B C A",
      answerType: "choice_list",
      blankPoints: [1, 2],
    });
    expect(v).toMatchObject({ correct: false, reason: "error" });
  });
});

describe("formats of other models and prompts", () => {
  const five = ["C", "A", "G", "D", "F"];
  check([
    ["【解析】…\n【答案】 A", "A", "single_choice", true],
    ["【答案】A. 河南、河北 <eoa>", "A", "single_choice", true],
    ["【答案】选B<eoa>", "B", "single_choice", true],
    ["【答案】B、C<eoa>", "BC", "multi_choice", true],
    ["<think>\n嗯，A不对，B也不对。\n</think>\n\n【解析】略\n【答案】C<eoa>", "C", "single_choice", true],
    ["<think>A? no.</think>\n**答案：D**", "D", "single_choice", true],
    ["本题正确选项为 D", "D", "single_choice", true],
    ["Both A and C are wrong, so the answer is B.", "B", "single_choice", true],
    ["A 和 B 都不对，所以选 C", "C", "single_choice", true],
    ["【答案】 36. C 37. A 38. G 39. D 40. F <eoa>", five, "choice_list", true],
    ["【答案】CAGDF<eoa>", five, "choice_list", true],
    ["36-40: CAGDF", five, "choice_list", true],
    ["【答案】1.C 2.A 3.G 4.D 5.F<eoa>", five, "choice_list", true],
    [
      "1. **C** - because …\n2. **A** - since …\n3. **G** …\n4. **D** …\n5. **F** …",
      five,
      "choice_list",
      true,
    ],
    ["Question 1: C\nQuestion 2: A\nQuestion 3: G\nQuestion 4: D\nQuestion 5: F", five, "choice_list", true],
    ["第1题：C\n第2题：A\n第3题：G\n第4题：D\n第5题：F", five, "choice_list", true],
    [
      "1.【答案】C【解析】…\n2.【答案】A【解析】…\n3.【答案】G\n4.【答案】D\n5.【答案】F",
      five,
      "choice_list",
      true,
    ],
    ["\\boxed{C}, \\boxed{A}, \\boxed{G}, \\boxed{D}, \\boxed{F}", five, "choice_list", true],
    ["【答案】$x=2$或$x=3$<eoa>", "2, 3", "math", true],
    ["【答案】$\\{x|x>1\\}$<eoa>", "(1,+\\infty)", "math", true],
    ["【答案】$a\\geq 1$<eoa>", "$[1,+\\infty)$", "math", true],
    ["【答案】最小值为-49<eoa>", "-49", "math", true],
    ["【答案】$a_n=2^{n-1}$<eoa>", "$2^{n-1}$", "math", true],
    ["【答案】①③<eoa>", "①④", "math", false],
    ["故答案为：$\\frac{4}{3}π$", "$\\frac{4 \\pi}{3}$", "math", true],
    ["Option C is correct because the others contradict the passage.", "C", "single_choice", true],
    ["说法正确的是B", "B", "single_choice", true],
    ["正确的有AC", "AC", "multi_choice", true],
    ["符合题意的是A", "A", "single_choice", true],
    ["So the best choice would be C.", "C", "single_choice", true],
    ["I'll go with D", "D", "single_choice", true],
    ["The correct answers are A and C.", "AC", "multi_choice", true],
    ["After checking each choice, (B) is the best answer.", "B", "single_choice", true],
    [
      "（1）第一问考查细节，需要回到原文。\n（2）第二问考查主旨。\n（3）第三问考查推断。\n综上，答案依次为：B、C、A",
      ["B", "C", "A"],
      "choice_list",
      true,
    ],
  ]);
});

describe("multi-part answers in <answer> tags (gaokao math solved by R1-style models)", () => {
  check([
    ["<think>…</think><answer>(1) 2 (2) [1,+\\infty)</answer>", "(1) 2; (2) $[1,+\\infty)$", "math", true],
    ["<think>…</think><answer>(1) 2 (2) [1,+\\infty)</answer>", ["2", "[1,+\\infty)"], "choice_list", true],
    [
      "<answer>（Ⅰ）$a_n=2n-1$；（Ⅱ）$T_n=\\frac{n}{2n+1}$</answer>",
      ["2n-1", "\\frac{n}{2n+1}"],
      "choice_list",
      true,
    ],
    ["<answer>(I) 2n-1 (II) n/(2n+1)</answer>", ["2n-1", "\\frac{n}{2n+1}"], "choice_list", true],
    ["<answer>(I) 2n-1 (II) n/(2n)</answer>", ["2n-1", "\\frac{n}{2n+1}"], "choice_list", false],
    ["<answer>第一空：1，第二空：2</answer>", ["1", "2"], "choice_list", true],
    ["<answer>1 2</answer>", ["1", "2"], "choice_list", true],
    ["<answer>x=1或x=-3</answer>", "1, -3", "math", true],
    ["<think>\nThe answer is A.\n</think>\n<answer>C</answer>", "C", "single_choice", true],
  ]);
});

describe("a reference string that numbers its blanks is graded blank by blank, in order", () => {
  const key = "(1). $-\\frac{1}{2} ; \\quad$ (2). $\\ln 2$.";
  check([
    ["【答案】-1/2；ln2<eoa>", key, "math", true],
    ["【答案】(1) $-\\frac12$ (2) $\\ln 2$<eoa>", key, "math", true],
    ["【答案】$a=-\\frac{1}{2}$，$b=\\ln 2$<eoa>", key, "math", true],
    ["【答案】$\\ln 2$；$-\\frac12$<eoa>", key, "math", false],
  ]);
  it("scores the blanks right over the blanks", () => {
    const v = verifyAnswer({
      reference: key,
      response: "【答案】(1) $-\\frac12$ (2) $\\ln 3$<eoa>",
      answerType: "math",
    });
    expect(v).toMatchObject({ correct: false, score: 0.5, reason: "partial" });
    expect(v.blanks?.map((b) => b.correct)).toEqual([true, false]);
  });
});

describe("multiSelect rules", () => {
  const grade = (response: string, multiSelect?: VerifyInput["multiSelect"], partialCredit?: boolean) =>
    verifyAnswer({ reference: "ACD", response, answerType: "multi_choice", multiSelect, partialCredit })
      .score;
  it("strict (default): all or nothing", () => {
    expect(grade("\\boxed{ACD}")).toBe(1);
    expect(grade("\\boxed{AC}")).toBe(0);
  });
  it("six-three-zero (alias half, and the older partialCredit flag): half for a right strict subset", () => {
    expect(grade("\\boxed{AC}", "six-three-zero")).toBe(0.5);
    expect(grade("\\boxed{AC}", "half")).toBe(0.5);
    expect(grade("\\boxed{AC}", undefined, true)).toBe(0.5);
    expect(grade("\\boxed{AB}", "six-three-zero")).toBe(0);
  });
  it("five-two-zero: two fifths; per-option: each right option its share", () => {
    expect(grade("\\boxed{AC}", "five-two-zero")).toBe(0.4);
    expect(grade("\\boxed{AC}", "per-option")).toBeCloseTo(2 / 3, 12);
    expect(grade("\\boxed{A}", "per-option")).toBeCloseTo(1 / 3, 12);
    expect(grade("\\boxed{ABC}", "per-option")).toBe(0);
  });
  it("multiSelect wins over partialCredit", () => {
    expect(grade("\\boxed{AC}", "strict", true)).toBe(0);
  });
});

describe("hostile text in the new formats stays a verdict", () => {
  const M = 200_000;
  const texts = [
    "【答案】".repeat(M / 4),
    "【答案】A<eoa>".repeat(M / 10),
    "(1) A ".repeat(M / 6),
    "①②③".repeat(M / 3),
    "<answer>".repeat(M / 8),
    "故选".repeat(M / 2) + "not A ".repeat(1000),
    `${"的".repeat(M)}=5`,
    "AB=4, ".repeat(M / 6),
    `${"1:".repeat(M / 2)}`,
  ];
  for (const [i, response] of texts.entries())
    it(`case ${i}`, () => {
      for (const [reference, answerType] of [
        [["A", "B", "C"], "choice_list"],
        ["B", "single_choice"],
        ["7", "math"],
      ] as const) {
        const v = verifyAnswer({ reference: reference as string | string[], response, answerType });
        expect(v.correct).toBe(false);
      }
    });
});

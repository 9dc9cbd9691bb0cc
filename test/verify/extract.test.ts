import { describe, expect, it } from "vitest";
import { extractAnswer, lastBoxed } from "../../src/verify/extract.js";

describe("extractAnswer", () => {
  it("takes the last \\boxed{} with matched braces", () => {
    expect(extractAnswer("first \\boxed{1}, finally $\\boxed{\\frac{1}{2}}$.")).toEqual({
      pred: "\\frac{1}{2}",
      method: "boxed",
    });
    expect(extractAnswer("\\boxed{\\left( 3, \\frac{\\pi}{2} \\right)}").pred).toBe(
      "\\left( 3, \\frac{\\pi}{2} \\right)",
    );
  });
  it("reads \\boxed 5 and \\fbox{}", () => {
    expect(extractAnswer("so $\\boxed 5$").pred).toBe("5");
    expect(extractAnswer("answer \\fbox{7} done").pred).toBe("7");
  });
  it("skips an unclosed \\boxed{ and uses an earlier closed one", () => {
    expect(lastBoxed("\\boxed{3} and \\boxed{4")).toBe("3");
  });
  it("reads GSM8K #### answers, dropping thousands separators", () => {
    expect(extractAnswer("Natalia sold 48/2 = 24 clips.\n#### 1,072")).toEqual({
      pred: "1072",
      method: "gsm8k",
    });
  });
  it("reads Answer: lines and 'the answer is' sentences", () => {
    expect(extractAnswer("work...\nAnswer: 42\n")).toEqual({ pred: "42", method: "answer_line" });
    expect(extractAnswer("Thus the answer is $\\frac{3}{4}$. I hope it is correct.").pred).toBe(
      "\\frac{3}{4}",
    );
    expect(extractAnswer("Final Answer: The final answer is $28 \\%$. I hope it is correct.").pred).toBe(
      "28 \\%",
    );
  });
  it("reads Chinese phrasings", () => {
    expect(extractAnswer("由题意可得……故选B。")).toEqual({ pred: "B", method: "chinese" });
    expect(extractAnswer("计算得答案是 12")).toEqual({ pred: "12", method: "chinese" });
    expect(extractAnswer("所以选 C")).toEqual({ pred: "C", method: "chinese" });
  });
  it("reads the GAOKAO analysis endings", () => {
    expect(extractAnswer("根据句意，所以本题应该选择 C．  【点评】").pred).toMatch(/^C/);
    expect(extractAnswer("故   选D．").pred).toMatch(/^D/);
    expect(extractAnswer("故选: $\\mathrm{A}$ 。").pred).toBe("\\mathrm{A}");
    // The letter before 正确 is the answer; 选项 D in the middle of an explanation is not.
    expect(extractAnswer("选项 D as if 仿佛. 通过句意可知 C项正确．")).toEqual({
      pred: "C",
      method: "chinese",
    });
  });
  it("reads a bold final value", () => {
    expect(extractAnswer("After all that, the total is **73**.")).toEqual({ pred: "73", method: "bold" });
  });
  it("looks only after </think>", () => {
    expect(extractAnswer("<think>maybe \\boxed{1}</think> The result is \\boxed{2}").pred).toBe("2");
    expect(extractAnswer("<think>maybe \\boxed{1}</think> no idea")).toEqual({ pred: null, method: "none" });
    expect(extractAnswer("<think>still thinking \\boxed{1}")).toEqual({
      pred: null,
      method: "unfinished_think",
    });
  });
  it("falls back to the last number, unless switched off", () => {
    expect(extractAnswer("we get 3 apples and then 17 pears")).toEqual({ pred: "17", method: "last_number" });
    expect(extractAnswer("we get 3 apples and then 17 pears", { lastNumberFallback: false })).toEqual({
      pred: null,
      method: "none",
    });
  });
  it("returns null when there is nothing", () => {
    expect(extractAnswer("")).toEqual({ pred: null, method: "none" });
  });
  it("joins adjacent boxed groups into one answer, but not alternatives joined by 'or'", () => {
    expect(extractAnswer("so \\[ \\boxed{-2} \\quad \\text{and} \\quad \\boxed{1}. \\]").pred).toBe("-2, 1");
    expect(extractAnswer("$\\boxed{1}\\boxed{2}$").pred).toBe("1, 2");
    // Two forms of one value: the last one is the answer.
    expect(extractAnswer("$d = \\boxed{15\\frac{39}{40}},$ or $\\boxed{\\frac{639}{40}}$ inches.").pred).toBe(
      "\\frac{639}{40}",
    );
    // Text between them that is not a separator: only the last.
    expect(extractAnswer("first \\boxed{3}, then we find \\boxed{5}").pred).toBe("5");
  });
  it("finds the last closed boxed group among thousands of unclosed ones", () => {
    expect(extractAnswer(`\\boxed{7} ${"\\boxed{".repeat(5_000)}`)).toEqual({ pred: "7", method: "boxed" });
  });
  it("takes a short answer that is not prose as a whole, not its last number", () => {
    expect(extractAnswer("\\frac{10}{9}")).toEqual({ pred: "\\frac{10}{9}", method: "whole_response" });
    expect(extractAnswer("x \\in [2, 5)")).toEqual({ pred: "x \\in [2, 5)", method: "whole_response" });
    expect(extractAnswer("Tuesday")).toEqual({ pred: "Tuesday", method: "whole_response" });
    expect(extractAnswer("\\frac13 \\text{ meters}").method).toBe("whole_response");
  });
  it("reads a sentence's last math span, a choice letter closing it, or a standalone last number", () => {
    expect(extractAnswer("Therefore $x \\geq 5$ is the solution.")).toEqual({
      pred: "x \\geq 5",
      method: "last_math",
    });
    expect(extractAnswer("The correct option is (B).")).toEqual({ pred: "B", method: "answer_phrase" });
    expect(extractAnswer("… so we take option (B).")).toEqual({ pred: "B", method: "choice_letter" });
    expect(extractAnswer("so the chance that Bea wins is 3/8.")).toEqual({
      pred: "3/8",
      method: "last_number",
    });
    // A number glued to letters is no number.
    expect(extractAnswer("AZYUK2A").pred).toBe(null);
  });
});

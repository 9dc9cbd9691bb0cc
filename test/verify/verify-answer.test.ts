import { describe, expect, it } from "vitest";
import type { Verifier } from "../../src/verify/types.js";
import { VerifierRegistry, verifyAnswer } from "../../src/verify/verifiers.js";

describe("verifyAnswer: math", () => {
  it("extracts from a full response by default", () => {
    expect(verifyAnswer({ reference: "\\frac{14}{3}", response: "… so $\\boxed{\\frac{28}{6}}$." })).toEqual({
      correct: true,
      score: 1,
      pred: "\\frac{28}{6}",
      reason: "equal",
      method: "boxed",
    });
  });
  it("takes the response as the answer in answer mode", () => {
    expect(verifyAnswer({ reference: "5", response: "x = 5", mode: "answer" }).correct).toBe(true);
    // In full mode the last number is 5 as well, but "x = 6" is the answer given.
    expect(verifyAnswer({ reference: "5", response: "x = 6", mode: "answer" }).correct).toBe(false);
  });
  it("reports no_answer when nothing is extracted", () => {
    const v = verifyAnswer({ reference: "5", response: "I do not know." });
    expect(v).toMatchObject({ correct: false, score: 0, pred: null, reason: "no_answer" });
  });
  it("accepts any of several references", () => {
    expect(
      verifyAnswer({ reference: ["12", "twelve"], answerType: "math", response: "\\boxed{12}" }).correct,
    ).toBe(true);
  });
});

describe("verifyAnswer: choices", () => {
  it("single letter in several phrasings", () => {
    for (const response of ["故选B", "The answer is (B).", "\\boxed{B}", "答案是 B", "B"])
      expect(verifyAnswer({ reference: "B", response, answerType: "single_choice" }).correct).toBe(true);
    expect(verifyAnswer({ reference: "B", response: "故选C", answerType: "single_choice" }).correct).toBe(
      false,
    );
  });
  it("multi-select is a set: BC = CB", () => {
    expect(
      verifyAnswer({ reference: "BC", response: "\\boxed{CB}", answerType: "multi_choice" }).correct,
    ).toBe(true);
    expect(
      verifyAnswer({ reference: "BC", response: "答案是 B、C", answerType: "multi_choice" }).correct,
    ).toBe(true);
  });
  it("GAOKAO partial credit: half for a correct strict subset, nothing with a wrong letter", () => {
    const subset = verifyAnswer({
      reference: "BCD",
      response: "故选BC",
      answerType: "multi_choice",
      partialCredit: true,
    });
    expect(subset).toMatchObject({ correct: false, score: 0.5, reason: "partial" });
    const wrong = verifyAnswer({
      reference: "BCD",
      response: "故选AB",
      answerType: "multi_choice",
      partialCredit: true,
    });
    expect(wrong).toMatchObject({ correct: false, score: 0 });
    const off = verifyAnswer({ reference: "BCD", response: "故选BC", answerType: "multi_choice" });
    expect(off.score).toBe(0);
  });
  it("a list of sub-answers scores per position", () => {
    const v = verifyAnswer({
      reference: ["B", "C", "A"],
      response: "B C D",
      mode: "answer",
      answerType: "choice_list",
    });
    // Two of three positions right.
    expect(v.correct).toBe(false);
    expect(v.score).toBeCloseTo(2 / 3, 12);
    expect(verifyAnswer({ reference: ["B", "C", "A"], response: "BCA", mode: "answer" }).correct).toBe(true);
  });
  it("a bad reference is an error verdict, not a throw", () => {
    expect(verifyAnswer({ reference: "12", response: "B", answerType: "single_choice" }).reason).toBe(
      "error",
    );
  });
});

describe("VerifierRegistry", () => {
  it("starts rule-based and accepts a judge for a type", async () => {
    const reg = new VerifierRegistry();
    expect(reg.isRuleBased("free_text")).toBe(true);
    const judge: Verifier = {
      name: "test-judge",
      verify: async (input) => ({
        correct: input.response === "yes",
        score: 1,
        pred: input.response,
        reason: input.response === "yes" ? "equal" : "not_equal",
      }),
    };
    reg.register("free_text", judge);
    expect(reg.isRuleBased("free_text")).toBe(false);
    expect(await reg.get("free_text").verify({ reference: "x", response: "yes" })).toMatchObject({
      correct: true,
    });
  });
});

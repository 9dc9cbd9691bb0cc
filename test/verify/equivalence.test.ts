import { describe, expect, it } from "vitest";
import { mathEquivalent } from "../../src/verify/equivalence.js";
import { ALL_CASES, APPROXIMATE } from "./corpus.js";

describe("math equivalence corpus", () => {
  for (const [group, cases] of ALL_CASES) {
    describe(group, () => {
      it.each(cases)("%s vs %s → %s", (pred, ref, expected) => {
        expect(mathEquivalent(pred, ref).equal).toBe(expected);
      });
    });
  }
});

describe("decimal policy: approximate: true lets a rounded decimal match an exact reference", () => {
  it.each(APPROXIMATE)("%s vs %s → %s", (pred, ref, expected) => {
    expect(mathEquivalent(pred, ref, { approximate: true }).equal).toBe(expected);
  });
});

describe("references given as full solutions", () => {
  it("reduces a solution with \\boxed to its answer", () => {
    expect(mathEquivalent("\\frac{14}{3}", "so the sum is $\\boxed{\\frac{14}{3}}$.").equal).toBe(true);
  });
  it("reduces a GSM8K solution to the number after ####", () => {
    expect(mathEquivalent("18", "She sells 16-3-4=<<16-3-4=9>>9 eggs.\n#### 18").equal).toBe(true);
    expect(mathEquivalent("9", "She sells 16-3-4=<<16-3-4=9>>9 eggs.\n#### 18").equal).toBe(false);
  });
});

describe("unparseable answers", () => {
  it("are not equal unless the text is identical", () => {
    expect(mathEquivalent("\\foo{3}", "3")).toEqual({ equal: false, reason: "unparseable" });
    expect(mathEquivalent("\\foo{3}", "\\foo{3}").equal).toBe(true);
  });
});

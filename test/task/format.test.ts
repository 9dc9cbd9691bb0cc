import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  chainAnswer,
  parseResponse,
  renderPrompt,
  renderSolution,
  runningResults,
  solutionLength,
  TASK_ALPHABET,
} from "../../src/task/format.js";
import { verifyResponse } from "../../src/task/verify.js";

describe("chain format", () => {
  it("renders the worked example of the task-design notes", () => {
    // 3+5+7+2: running results 3, 8, 15 mod 10 = 5, 7 -> "3 5 8 7 5 2 7 A 7" (notes, round 2).
    expect(runningResults([3, 5, 7, 2], 10)).toEqual([3, 8, 5, 7]);
    expect(renderSolution([3, 5, 7, 2], 10, "worked")).toBe("3587527A7");
    expect(renderSolution([3, 5, 7, 2], 10, "direct")).toBe("A7");
    expect(renderPrompt([3, 5, 7, 2], 12, { showPoints: true })).toBe("[12]3+5+7+2=");
    expect(renderPrompt([3, 5, 7, 2], 12, { showPoints: false })).toBe("3+5+7+2=");
    // Zero-padded points keep the terms at fixed positions.
    expect(renderPrompt([3, 5], 5, { showPoints: true, pointsDigits: 2 })).toBe("[05]3+5=");
    expect(renderPrompt([3, 5], 5, { showPoints: true, pointsDigits: 0 })).toBe("[5]3+5=");
    // Padded to the length of a 4-term question: 2 blanks per missing term.
    expect(renderPrompt([3, 5], 5, { showPoints: true, pointsDigits: 2, padToTerms: 4 })).toBe(
      "[05]3+5=____",
    );
    expect(renderPrompt([3, 5, 7, 2], 5, { showPoints: true, pointsDigits: 2, padToTerms: 4 })).toBe(
      "[05]3+5+7+2=",
    );
  });

  it("uses the modulus", () => {
    // 4+4+4 mod 5: 4, 8 mod 5 = 3, 7 mod 5 = 2.
    expect(runningResults([4, 4, 4], 5)).toEqual([4, 3, 2]);
    expect(chainAnswer([4, 4, 4], 5)).toBe(2);
  });

  it("parses worked, direct and malformed responses", () => {
    expect(parseResponse("3587527A7")).toEqual({ answer: "7", worked: true });
    expect(parseResponse("A7")).toEqual({ answer: "7", worked: false });
    expect(parseResponse("358")).toEqual({ answer: null, worked: true });
    expect(parseResponse("")).toEqual({ answer: null, worked: false });
    expect(parseResponse("A3A7")).toEqual({ answer: "7", worked: true });
  });

  it("verifies by exact answer and rejects truncated responses", () => {
    expect(verifyResponse("7", "A7", true)).toMatchObject({ correct: true, reason: "correct" });
    expect(verifyResponse("7", "A7", false)).toMatchObject({ correct: false, reason: "truncated" });
    expect(verifyResponse("7", "A77", true)).toMatchObject({ correct: false, pred: "77" });
    expect(verifyResponse("7", "A", true)).toMatchObject({ correct: false, pred: "" });
    expect(verifyResponse("7", "3587", true)).toMatchObject({ correct: false, reason: "no_answer" });
    // Wrong steps but the right final answer still scores: only the answer is graded.
    expect(verifyResponse("7", "3999999A7", true)).toMatchObject({ correct: true, worked: true });
  });

  it("renders solutions that verify, with the stated lengths, in the task alphabet", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 2, maxLength: 12 }), (terms) => {
        for (const mode of ["worked", "direct"] as const) {
          const text = renderSolution(terms, 10, mode);
          const verdict = verifyResponse(String(chainAnswer(terms, 10)), text, true);
          expect(verdict.correct).toBe(true);
          expect(verdict.worked).toBe(mode === "worked");
          // +1 for the end-of-sequence token.
          expect(text.length + 1).toBe(solutionLength(terms.length - 1, mode));
          for (const ch of text + renderPrompt(terms, 37, { showPoints: true, padToTerms: 14 }))
            expect(TASK_ALPHABET).toContain(ch);
        }
      }),
    );
  });
});

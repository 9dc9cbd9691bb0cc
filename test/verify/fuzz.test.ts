import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractAnswer } from "../../src/verify/extract.js";
import { verifyAnswer } from "../../src/verify/verifiers.js";

const PIECES = [
  "\\frac",
  "\\dfrac",
  "\\sqrt",
  "\\sqrt[3]",
  "{",
  "}",
  "(",
  ")",
  "[",
  "]",
  "\\{",
  "\\}",
  "^",
  "_",
  "!",
  "%",
  "\\%",
  "\\pm",
  "\\mp",
  "\\cdot",
  "\\times",
  "+",
  "-",
  "*",
  "/",
  "=",
  "<",
  "\\le",
  ",",
  ";",
  "&",
  "\\\\",
  "|",
  "\\left(",
  "\\right)",
  "\\text{",
  "\\mbox{cm}",
  "\\boxed{",
  "\\pi",
  "\\infty",
  "\\in",
  "\\cup",
  "\\sin",
  "\\log_",
  "\\ln",
  "e",
  "i",
  "x",
  "y",
  "n",
  "0",
  "1",
  "2",
  "9",
  "10",
  "2004",
  ".",
  "1,000",
  "\\!",
  "\\,",
  "^\\circ",
  "\\begin{pmatrix}",
  "\\end{pmatrix}",
  "$",
  "####",
  "The answer is",
  "</think>",
  "<think>",
  "**",
  "故选",
  "A",
  "BC",
  " ",
  "\n",
];

const latexish = fc.array(fc.constantFrom(...PIECES), { maxLength: 40 }).map((xs) => xs.join(""));

describe("fuzz: random LaTeX-like strings", () => {
  it("verifyAnswer never throws and always returns a well-formed verdict", () => {
    fc.assert(
      fc.property(latexish, latexish, fc.constantFrom("full", "answer"), (ref, resp, mode) => {
        const v = verifyAnswer({ reference: ref, response: resp, mode: mode as "full" | "answer" });
        expect(typeof v.correct).toBe("boolean");
        expect(v.score).toBeGreaterThanOrEqual(0);
        expect(v.score).toBeLessThanOrEqual(1);
        expect(v.correct ? v.score === 1 : true).toBe(true);
        expect(typeof v.reason).toBe("string");
      }),
      { numRuns: 2_000, seed: 42 },
    );
  });

  it("an answer always verifies against itself unless it is unreadable", () => {
    fc.assert(
      fc.property(latexish, (s) => {
        const v = verifyAnswer({ reference: s, response: s, mode: "answer" });
        // Unreadable text may fail; a readable answer unequal to itself (not_equal) is a bug.
        if (s.trim() !== "") expect(v.correct || v.reason === "unparseable", `${s} → ${v.reason}`).toBe(true);
      }),
      { numRuns: 1_000, seed: 7 },
    );
  });

  it("extractAnswer never throws on arbitrary strings", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (s) => {
        const e = extractAnswer(s);
        expect(e.pred === null || typeof e.pred === "string").toBe(true);
      }),
      { numRuns: 2_000, seed: 1 },
    );
  });
});

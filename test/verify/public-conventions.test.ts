import { describe, expect, it } from "vitest";
import { mathEquivalent } from "../../src/verify/equivalence.js";
import { verifyAnswer } from "../../src/verify/verifiers.js";
import { caseId, PUBLIC_CASES, type PublicCase, SOURCES } from "./corpus-public-conventions.js";

interface Outcome {
  c: PublicCase;
  got: boolean;
}

/**
 * The cases still judged wrong, by id (`pred ;; gold`), with the kind of error: FP accepts a wrong
 * answer, FN rejects a right one. Pinned, so that a new failure and a fixed one both change the
 * test; update this list with the change that causes it.
 */
const KNOWN_FAILURES: Record<string, "FP" | "FN"> = {};
/** The same for verifyAnswer in full mode (the prediction taken as a whole response). */
const KNOWN_FULL_MODE_FAILURES: Record<string, "FP" | "FN"> = {};

const outcomes: Outcome[] = PUBLIC_CASES.map((c) => ({ c, got: mathEquivalent(c.pred, c.gold).equal }));
const wrong = outcomes.filter((o) => o.got !== o.c.expected);
const falsePositives = wrong.filter((o) => o.got).length;
const falseNegatives = wrong.length - falsePositives;
const accuracy = 1 - wrong.length / outcomes.length;

function failuresById(failed: Array<{ c: PublicCase; got: boolean }>): Record<string, "FP" | "FN"> {
  return Object.fromEntries(failed.map((o) => [caseId(o.c), o.got ? "FP" : "FN"]));
}

describe("equivalence cases in the conventions of public verifier suites", () => {
  it("fails exactly the pinned cases (accuracy and failures printed)", () => {
    const lines = wrong.map(
      (o) =>
        `  ${o.got ? "FP" : "FN"} [${o.c.group}] pred ${JSON.stringify(o.c.pred)} gold ${JSON.stringify(o.c.gold)} (${o.c.source})`,
    );
    console.log(
      [
        `public-convention corpus: ${outcomes.length} cases, accuracy ${(100 * accuracy).toFixed(1)}%, ` +
          `false positives ${falsePositives}, false negatives ${falseNegatives}`,
        ...(lines.length > 0 ? ["still wrong:", ...lines] : ["still wrong: none"]),
      ].join("\n"),
    );
    expect(failuresById(wrong)).toEqual(KNOWN_FAILURES);
  });

  it("gives the same verdict through verifyAnswer in answer mode", () => {
    const differ = outcomes.filter(
      (o) => verifyAnswer({ reference: o.c.gold, response: o.c.pred, mode: "answer" }).correct !== o.got,
    );
    expect(differ.map((o) => `${o.c.pred} vs ${o.c.gold}`)).toEqual([]);
  });

  it("gives the same verdict with prediction and reference swapped (with approximate: true)", () => {
    // The default decimal policy is one-sided by design: a decimal reference accepts the exact
    // value, an exact reference rejects the rounded one. With approximation on, both ways agree.
    const approx = { approximate: true };
    const differ = PUBLIC_CASES.filter(
      (c) => mathEquivalent(c.gold, c.pred, approx).equal !== mathEquivalent(c.pred, c.gold, approx).equal,
    );
    expect(differ.map((c) => `${c.pred} vs ${c.gold}`)).toEqual([]);
    // Without it, the only one-sided verdicts are decimals against exact values.
    const oneSided = outcomes.filter((o) => mathEquivalent(o.c.gold, o.c.pred).equal !== o.got);
    expect(oneSided.every((o) => /\d\.\d/.test(o.c.pred + o.c.gold))).toBe(true);
  });

  it("fails exactly the pinned cases through verifyAnswer in full mode (the prediction as a whole response)", () => {
    const full = PUBLIC_CASES.map((c) => ({
      c,
      got: verifyAnswer({ reference: c.gold, response: c.pred }).correct,
    }));
    const failed = full.filter((o) => o.got !== o.c.expected);
    const lines = failed.map((o) => `  pred ${JSON.stringify(o.c.pred)} gold ${JSON.stringify(o.c.gold)}`);
    if (lines.length > 0) console.log(["full mode, still wrong:", ...lines].join("\n"));
    expect(failuresById(failed)).toEqual(KNOWN_FULL_MODE_FAILURES);
  });

  it("is a corpus of several hundred cases from every named suite, with both verdicts in every group", () => {
    expect(PUBLIC_CASES.length).toBeGreaterThanOrEqual(400);
    // Ids are unique, so a pinned failure names one case.
    expect(new Set(PUBLIC_CASES.map(caseId)).size).toBe(PUBLIC_CASES.length);
    const sources = new Set(PUBLIC_CASES.map((c) => c.source));
    expect([...sources].sort()).toEqual(Object.keys(SOURCES).sort());
    const groups = new Map<string, Set<boolean>>();
    for (const c of PUBLIC_CASES) groups.set(c.group, (groups.get(c.group) ?? new Set()).add(c.expected));
    const oneSided = [...groups].filter(([, verdicts]) => verdicts.size < 2).map(([g]) => g);
    expect(oneSided).toEqual([]);
  });
});

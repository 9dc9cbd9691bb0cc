import { describe, expect, it } from "vitest";
import {
  claimLine,
  claimsMarkdown,
  compareRunsStepByStep,
  eosGradientClaim,
  gainAcrossEstimators,
  grpoIdentityClaim,
  hAccClaim,
  judgeDifference,
  lengthClaims,
  pairedBySeed,
  valueGainClaim,
  withinDifficultyGap,
} from "../../src/experiment/analysis.js";
import { gridClaims } from "../../src/experiment/experiment-report.js";
import { expandGrid } from "../../src/experiment/grid.js";
import { compareTraces, type JobRecord, withinDifficultyValueGain } from "../../src/experiment/record.js";
import type { ClaimNumber, Estimate } from "../../src/report/types.js";
import { gridConfig, record } from "./fixtures.js";

// Student-t quantile t(0.975, 2) = 4.302653 (tables). For three differences with sd 0.01 the
// half-width is 4.302653 · 0.01 / √3 = 0.0248414.
const HALF3 = (4.302653 * 0.01) / Math.sqrt(3);

describe("judgeDifference (worked by hand)", () => {
  it("reproduced when the CI lies above 0", () => {
    // mean 0.04, sd 0.01 → [0.0152, 0.0648]
    const j = judgeDifference([0.03, 0.04, 0.05], { direction: "higher", paperEffect: 0.022 });
    expect(j.status).toBe("reproduced");
    expect(j.estimate!.mean).toBeCloseTo(0.04, 12);
    expect(j.estimate!.lo).toBeCloseTo(0.04 - HALF3, 5);
    expect(j.estimate!.hi).toBeCloseTo(0.04 + HALF3, 5);
    expect(j.pairs).toBe(3);
  });

  it("underpowered when the CI holds both 0 and the paper's effect and is wider than it", () => {
    // mean 0.02, sd 0.01 → [−0.0048, 0.0448] ∋ 0, 0.022; width 0.0497 > 0.022
    const j = judgeDifference([0.01, 0.03, 0.02], { direction: "higher", paperEffect: 0.022 });
    expect(j.status).toBe("underpowered");
    expect(j.reason).toContain("wider than the paper's effect");
  });

  it("inconclusive (not underpowered) when the paper gives no effect size", () => {
    expect(judgeDifference([0.01, 0.03, -0.02], { direction: "higher" }).status).toBe("inconclusive");
  });

  it("ceiling when both arms sit within 1 point of 100% (or both of 0), whatever the CI", () => {
    // RLEV 99.9/99.5/99.7, control 99.4/99.6/99.2: the paired CI would exclude 0, but there is no room to differ.
    const a = [0.999, 0.995, 0.997];
    const b = [0.994, 0.996, 0.992];
    const diffs = a.map((x, i) => x - b[i]);
    expect(judgeDifference(diffs, { direction: "higher", paperEffect: 0.038, levels: { a, b } }).status).toBe(
      "ceiling",
    );
    expect(
      judgeDifference([0.001, 0, 0.002], {
        direction: "higher",
        levels: { a: [0.005, 0.004, 0.006], b: [0.004, 0.004, 0.004] },
      }).status,
    ).toBe("ceiling");
    // One arm at 100%, the other at 97%: not the ceiling state (room to differ on one side).
    const c = [0.97, 0.968, 0.972];
    expect(
      judgeDifference(
        a.map((x, i) => x - c[i]),
        { direction: "higher", paperEffect: 0.038, levels: { a, b: c } },
      ).status,
    ).toBe("reproduced");
  });

  it("not reproduced when the CI excludes an effect as large as the paper's", () => {
    // same CI, paper effect 0.05 > 0.0448
    const j = judgeDifference([0.01, 0.03, 0.02], { direction: "higher", paperEffect: 0.05 });
    expect(j.status).toBe("not reproduced");
    expect(j.reason).toContain("paper's");
  });

  it("mirrors for claims of a decrease", () => {
    // lengths: mean −4, sd 1 → [−6.48, −1.52]: shorter, as claimed
    expect(judgeDifference([-3, -5, -4], { direction: "lower" }).status).toBe("reproduced");
    // mean 2 → [−0.48, 4.48]: could be either
    expect(judgeDifference([1, 2, 3], { direction: "lower" }).status).toBe("inconclusive");
    // mean 4 → [1.52, 6.48]: longer, against the claim
    expect(judgeDifference([3, 4, 5], { direction: "lower" }).status).toBe("not reproduced");
  });

  it("gives no interval (inconclusive) with fewer than 2 seeds or none", () => {
    const one = judgeDifference([0.5], { direction: "higher" });
    expect(one.status).toBe("inconclusive");
    expect(one.estimate).toEqual({ mean: 0.5, n: 1 });
    expect(judgeDifference([], { direction: "higher" })).toMatchObject({
      status: "inconclusive",
      estimate: null,
    });
    // NaN seeds do not count
    expect(judgeDifference([0.5, Number.NaN], { direction: "higher" }).pairs).toBe(1);
  });
});

const runsOf = (...rs: JobRecord[]) => {
  const m = new Map<string, JobRecord[]>();
  for (const r of rs) m.set(r.cell, [...(m.get(r.cell) ?? []), r]);
  return m;
};

describe("paired comparisons over seeds", () => {
  it("pairs by seed and ignores seeds only one cell has", () => {
    const runs = runsOf(
      record("a", 1, 0.6),
      record("a", 2, 0.7),
      record("a", 3, 0.9),
      record("b", 2, 0.65),
      record("b", 1, 0.5),
    );
    const p = pairedBySeed(runs, "a", "b", (r) => r.final.hAcc);
    expect(p.seeds).toEqual([1, 2]);
    expect(p.diffs.map((d) => Number(d.toFixed(10)))).toEqual([0.1, 0.05]);
  });

  it("an H-Acc claim with three seeds and a clear gain is reproduced; missing cells are inconclusive", () => {
    const runs = runsOf(
      record("rlev", 1, 0.63),
      record("rlev", 2, 0.64),
      record("rlev", 3, 0.65),
      record("corr", 1, 0.6),
      record("corr", 2, 0.6),
      record("corr", 3, 0.61),
    );
    const opts = {
      id: "x",
      claim: "c",
      paper: "p",
      paperEffect: 0.022,
      labelA: "RLEV",
      labelB: "correctness",
    };
    // diffs 0.03, 0.04, 0.04: mean 0.03667, sd 0.00577 → lo = 0.03667 − 4.3027·0.00577/√3 = 0.0223 > 0
    const c = hAccClaim(runs, { ...opts, a: "rlev", b: "corr" });
    expect(c.status).toBe("reproduced");
    expect(c.numbers![0].value).toMatchObject({ n: 3 });
    const missing = hAccClaim(runs, { ...opts, a: "rlev", b: "uniform" });
    expect(missing.status).toBe("inconclusive");
    expect(missing.evidence).toContain("not run yet: uniform");
  });

  it("averages the gain over estimators per seed, keeping only seeds every estimator has", () => {
    const runs = runsOf(
      record("s/rloo/rlev", 1, 0.7),
      record("s/rloo/correctness", 1, 0.6),
      record("s/rloo/rlev", 2, 0.7),
      record("s/rloo/correctness", 2, 0.7),
      record("s/pp/rlev", 1, 0.5),
      record("s/pp/correctness", 1, 0.6),
    );
    const d = gainAcrossEstimators(runs, [
      { rlev: "s/rloo/rlev", correctness: "s/rloo/correctness" },
      { rlev: "s/pp/rlev", correctness: "s/pp/correctness" },
    ]);
    // seed 1: (0.1 + (−0.1)) / 2 = 0; seed 2 has no pp pair
    expect(d).toHaveLength(1);
    expect(d[0]).toBeCloseTo(0, 12);
  });

  it("within-difficulty gap: mean over difficulties of high − low", () => {
    const g = (n: number, length: number, worked: number) => ({ n, meanValue: 0, acc: 0, length, worked });
    const r = record("a", 1, 0.5, {
      final: {
        withinDifficulty: [
          { difficulty: 1, low: g(3, 3, 0), high: g(3, 7, 1) },
          { difficulty: 2, low: g(3, 5, 0.5), high: g(3, 5, 0.5) },
          { difficulty: 3, low: g(0, 99, 1), high: g(2, 1, 0) }, // empty group: left out
        ],
      } as never,
    });
    expect(withinDifficultyGap(r, "length")).toBeCloseTo((4 + 0) / 2, 12);
    expect(withinDifficultyGap(r, "worked")).toBeCloseTo(0.5, 12);
  });
});

describe("step-by-step identity (std-GRPO)", () => {
  it("compareTraces separates behaviour (score, length) from bit identity; the reward differs by design", () => {
    const a = record("a", 1, 0.5).trace;
    const same = a.map((p) => ({ ...p, reward: p.reward * 1.4 }));
    expect(compareTraces(a, same)).toMatchObject({
      identicalSteps: 3,
      firstDifference: null,
      sameBehaviourSteps: 3,
      firstBehaviourDifference: null,
      maxLossRelDiff: 0,
    });
    // Rounding: the loss differs in its last bits from step 1, the rollouts stay the same.
    const rounded = a.map((p) => ({ ...p, pgLoss: p.pgLoss * (1 + 2 ** -20) }));
    const r = compareTraces(a, rounded);
    expect(r).toMatchObject({
      identicalSteps: 0,
      firstDifference: 1,
      sameBehaviourSteps: 3,
      firstBehaviourDifference: null,
    });
    expect(r.maxLossRelDiff).toBeCloseTo(2 ** -20, 9);
    // A loss whose advantages cancel: 1e-11 against 0 is rounding, 1e-11 relative to the 1e-6 floor.
    const cancelled = a.map((p) => ({ ...p, pgLoss: 0 }));
    const tiny = a.map((p) => ({ ...p, pgLoss: 1e-11 }));
    expect(compareTraces(cancelled, tiny).maxLossRelDiff).toBeCloseTo(1e-5, 12);
    // A sample flips at step 2: one of 128 rollouts scores differently.
    const drift = a.map((p) => (p.step >= 2 ? { ...p, score: p.score + 1 / 128 } : p));
    expect(compareTraces(a, drift)).toMatchObject({ sameBehaviourSteps: 1, firstBehaviourDifference: 2 });
    expect(compareTraces(a, drift).maxScoreDiff).toBeCloseTo(1 / 128, 12);
    expect(compareTraces(a, a.slice(0, 2))).toMatchObject({ steps: 2, firstBehaviourDifference: 3 });
  });

  it("the identity claim needs identical rollouts and held-out answers for every seed", () => {
    const identical = runsOf(
      record("r", 1, 0.5, { finalDigest: "x1" }),
      record("c", 1, 0.5, { finalDigest: "x1" }),
      record("r", 2, 0.5, { finalDigest: "x2" }),
      record("c", 2, 0.5, { finalDigest: "y2" }), // weights differ in rounding only
    );
    const rep = compareRunsStepByStep(identical, "r", "c");
    expect(rep).toMatchObject({ seeds: 2, sameBehaviour: 2, bitIdentical: 1 });
    const ok = grpoIdentityClaim(identical, "r", "c");
    expect(ok.status).toBe("reproduced");
    expect(ok.evidence).toContain("Bit-identical (losses, gradient norms and final weights): 1 of 2 seeds");
    const differ = runsOf(
      record("r", 1, 0.5),
      record("c", 1, 0.5),
      record("r", 2, 0.52),
      record("c", 2, 0.5),
    );
    const claim = grpoIdentityClaim(differ, "r", "c");
    expect(claim.status).toBe("not reproduced");
    expect(claim.evidence).toContain("seed 2");
    expect(claim.evidence).toContain("different held-out answers");
    expect(grpoIdentityClaim(new Map(), "r", "c").status).toBe("inconclusive");
  });
});

describe("length and mechanism claims", () => {
  it("a length difference that its matched-scale control shares is called a scale effect", () => {
    const runs = runsOf(
      ...[1, 2, 3].flatMap((s) => [
        record("rlev", s, 0.6, { final: { meanLength: 10 + s * 0.1 } as never }),
        record("uni", s, 0.6, { final: { meanLength: 10 + s * 0.1 + (s === 2 ? 0.05 : -0.05) } as never }),
        record("corr", s, 0.6, { final: { meanLength: 14 + s * 0.2 } as never }),
      ]),
    );
    const [length, valueSensitive] = lengthClaims(runs, {
      rlev: "rlev",
      correctness: "corr",
      uniform: "uni",
    });
    expect(length.status).toBe("reproduced");
    expect(length.evidence).toContain("scale effect");
    // no within-difficulty data → no finite gaps → inconclusive
    expect(valueSensitive.status).toBe("inconclusive");
  });

  it("the EOS-gradient claim compares RLEV's step-1 gradient with correctness's, bucket by bucket", () => {
    // Same samples at step 1: RLEV's magnitude is s(x) times correctness's, here s ≈ 1.1, 1.4, 1.9.
    const runs = runsOf(
      ...[1, 2, 3].flatMap((s) => [
        record("rlev", s, 0.6, {
          eosGradient: {
            edges: [0.02, 0.04],
            abs: [9, 9, 9],
            signed: [0, 0, 0],
            firstStep: [1.1 * s, 1.4 * s, 1.9 * s + 0.01 * s * s],
          },
        }),
        record("corr", s, 0.6, {
          eosGradient: { edges: [0.02, 0.04], abs: [9, 9, 9], signed: [0, 0, 0], firstStep: [s, s, s] },
        }),
      ]),
    );
    // per seed: top ratio − bottom ratio = 1.9 + 0.01·s − 1.1 = 0.81, 0.82, 0.83 → mean 0.82, CI > 0
    const c = eosGradientClaim(runs, "rlev", "corr");
    expect(c.status).toBe("reproduced");
    expect((c.numbers![0].value as { mean: number }).mean).toBeCloseTo(0.82, 10);
    expect((c.numbers![2].value as { mean: number }).mean).toBeCloseTo(1.4, 10);
    // A reward that scales every bucket alike (uniform) shows no slope.
    const flat = runsOf(
      ...[1, 2, 3].flatMap((s) => [
        record("uni", s, 0.6, {
          eosGradient: {
            edges: [0.02, 0.04],
            abs: [1, 1, 1],
            signed: [0, 0, 0],
            firstStep: [1.4, 1.4, 1.4 + 0.01 * (s - 2)],
          },
        }),
        record("corr", s, 0.6, {
          eosGradient: { edges: [0.02, 0.04], abs: [1, 1, 1], signed: [0, 0, 0], firstStep: [1, 1, 1] },
        }),
      ]),
    );
    expect(eosGradientClaim(flat, "uni", "corr").status).toBe("inconclusive");
  });
});

describe("H-Acc at equal length: the within-difficulty value gain", () => {
  it("is H-Acc minus a value-blind policy's with the same accuracy per difficulty (worked by hand)", () => {
    // k = 1: values 0.1 (right) and 0.3 (wrong) → acc 1/2, blind credit 0.5·0.4 = 0.2
    // k = 2: values 0.2 and 0.4, both right → acc 1, blind credit 0.6
    // H-Acc = (0.1 + 0.2 + 0.4) / 1.0 = 0.7; gain = 0.7 − 0.8 = −0.1 (the cheap item of k = 1 was the one solved)
    const rows = [
      { difficulty: 1, value: 0.1, correct: true },
      { difficulty: 1, value: 0.3, correct: false },
      { difficulty: 2, value: 0.2, correct: true },
      { difficulty: 2, value: 0.4, correct: true },
    ];
    expect(withinDifficultyValueGain(rows)).toBeCloseTo(-0.1, 12);
    // Swap the verdicts of k = 1: the valuable item solved → +0.1
    rows[0].correct = false;
    rows[1].correct = true;
    expect(withinDifficultyValueGain(rows)).toBeCloseTo(0.1, 12);
    // A policy whose accuracy is the same for every value of a difficulty gains nothing.
    expect(
      withinDifficultyValueGain([
        { difficulty: 3, value: 0.1, correct: true },
        { difficulty: 3, value: 0.1, correct: false },
        { difficulty: 3, value: 0.5, correct: true },
        { difficulty: 3, value: 0.5, correct: false },
      ]),
    ).toBeCloseTo(0, 12);
  });

  it("the claim pairs RLEV's gain with its matched-scale control's by seed", () => {
    const g = (valueGain: number) => ({ valueGain }) as never;
    const runs = runsOf(
      ...[1, 2, 3].flatMap((s) => [
        record("rlev", s, 0.5, { final: g(0.02 + 0.001 * s) }),
        record("uni", s, 0.5, { final: g(0.0) }),
      ]),
    );
    // diffs 0.021, 0.022, 0.023: mean 0.022, sd 0.001 → CI [0.0195, 0.0245] > 0
    const c = valueGainClaim(runs, { rlev: "rlev", uniform: "uni" });
    expect(c.status).toBe("reproduced");
    expect((c.numbers![0].value as { mean: number }).mean).toBeCloseTo(0.022, 12);
    expect(c.numbers![1].value).toBe("no data");
  });
});

describe("claims as text", () => {
  it("renders verdicts and numbers for the terminal and the README", () => {
    const c = {
      claim: "A | B",
      paper: "x",
      status: "reproduced" as const,
      evidence: "",
      numbers: [
        { label: "Δ", value: { mean: 0.1, lo: 0.05, hi: 0.15, n: 5 }, format: "percent" as const },
        { label: "len", value: { mean: 2, n: 1 }, digits: 1 },
        { label: "seeds", value: "3 / 5" },
      ],
    };
    expect(claimLine(c)).toBe("REPRODUCED      A | B. Δ 10.0 [5.0, 15.0] (n=5)");
    expect(claimsMarkdown([c]).split("\n")[2]).toBe(
      "| **reproduced** | A \\| B | x | Δ: 10.0 [5.0, 15.0] (n=5); len: 2.0 (n=1); seeds: 3 / 5 |",
    );
  });
});

/** The mean of a claim number that holds an estimate. */
const meanOf = (n: ClaimNumber | undefined): number => (n!.value as Estimate).mean;

describe("grid claims", () => {
  it("judges what has data and marks the rest inconclusive", () => {
    const exp = gridConfig();
    const cells = expandGrid(exp);
    const runs = new Map<string, JobRecord[]>(cells.map((c) => [c.id, []]));
    for (const s of [1, 2, 3]) {
      runs.get("base/rloo/rlev")!.push(record("base/rloo/rlev", s, 0.66 + 0.001 * s));
      runs.get("base/rloo/correctness")!.push(record("base/rloo/correctness", s, 0.6));
    }
    const claims = gridClaims(exp, cells, runs);
    const byId = new Map(claims.map((c) => [c.id, c]));
    expect(byId.get("hacc-rloo")!.status).toBe("reproduced");
    expect(byId.get("hacc-grpo")!.status).toBe("inconclusive");
    expect(byId.get("grpo-identity")!.status).toBe("inconclusive");
    expect(byId.get("ablation-uniform")!.status).toBe("inconclusive");
    expect(byId.get("scales")!.status).toBe("inconclusive");
    expect(byId.has("hacc-reinforce_pp")).toBe(false); // not in this grid
    expect(byId.has("scale-grpo")).toBe(false); // no GRPO uniform cell in this grid
    expect(byId.has("scale-alpha-1")).toBe(false);
  });

  it("judges the matched-scale control under GRPO and at α = 1 where those cells exist", () => {
    const exp = gridConfig({
      grids: [
        { name: "main", size: ["base"], estimator: ["rloo", "grpo"], reward: ["correctness", "rlev"] },
        { name: "controls", size: ["base"], estimator: ["grpo"], reward: ["uniform"] },
        { name: "alpha", size: ["base"], estimator: ["rloo"], reward: ["rlev", "uniform"], alpha: [1] },
      ],
    });
    const cells = expandGrid(exp);
    const ids = cells.map((c) => c.id);
    expect(ids).toContain("base/grpo/uniform");
    expect(ids).toContain("base/rloo/uniform-a1");
    const runs = new Map<string, JobRecord[]>(cells.map((c) => [c.id, []]));
    const put = (cell: string, hAcc: (s: number) => number) => {
      for (const s of [1, 2, 3]) runs.get(cell)!.push(record(cell, s, hAcc(s)));
    };
    // GRPO: RLEV and uniform alike (differences −0.002, 0, +0.002) → no gain over matched scale.
    put("base/grpo/rlev", (s) => 0.5 + 0.001 * s);
    put("base/grpo/uniform", (s) => 0.5 + 0.001 * (4 - s));
    put("base/grpo/correctness", () => 0.3);
    // α = 1: RLEV 0.46 + 0.001 s, uniform 0.40, correctness 0.30 → RLEV − uniform ≈ +0.062.
    put("base/rloo/rlev-a1", (s) => 0.46 + 0.001 * s);
    put("base/rloo/uniform-a1", () => 0.4);
    put("base/rloo/correctness", () => 0.3);
    const byId = new Map(gridClaims(exp, cells, runs).map((c) => [c.id, c]));
    const grpo = byId.get("scale-grpo")!;
    expect(grpo.status).not.toBe("reproduced");
    expect(meanOf(grpo.numbers![0])).toBeCloseTo(0, 10);
    expect(grpo.numbers!.at(-1)!.label).toBe("Δ H-Acc uniform − correctness");
    expect(meanOf(grpo.numbers!.at(-1))).toBeCloseTo(0.202, 10);
    const a1 = byId.get("scale-alpha-1")!;
    expect(a1.status).toBe("reproduced");
    expect(meanOf(a1.numbers![0])).toBeCloseTo(0.062, 10);
    const labels = a1.numbers!.map((n) => n.label);
    expect(labels).toContain("Δ H-Acc RLEV α = 1 − correctness");
    expect(labels).toContain("Δ H-Acc uniform α = 1 − correctness");
    expect(meanOf(a1.numbers!.find((n) => n.label === "Δ H-Acc uniform α = 1 − correctness"))).toBeCloseTo(
      0.1,
      10,
    );
  });
});

import { describe, expect, it } from "vitest";
import { decisiveClaims, grpoIdentityClaim, meanSlopePerTenth } from "../../src/experiment/claims/index.js";
import type { JobRecord } from "../../src/experiment/record.js";
import type { Sensitivity } from "../../src/experiment/sensitivity.js";
import { record } from "./fixtures.js";

const runsOf = (...rs: JobRecord[]) => {
  const m = new Map<string, JobRecord[]>();
  for (const r of rs) m.set(r.cell, [...(m.get(r.cell) ?? []), r]);
  return m;
};
const withHashes = (r: JobRecord, hashes: number[]): JobRecord => ({
  ...r,
  trace: r.trace.map((t, i) => ({ ...t, tokensHash: hashes[i] })),
});
const sens = (slopes: number[]): Sensitivity => ({
  samples: 2,
  temperature: 1,
  cells: [],
  slopes: slopes.map((slope, i) => ({ difficulty: i + 1, n: 10, slope, worked: 0.5 })),
});

describe("GRPO identity on the sampled token sequences (hash per step)", () => {
  it("equal aggregates but a different token hash at step 2 is not the same run", () => {
    const runs = runsOf(
      withHashes(record("r", 1, 0.5, { finalDigest: "x" }), [11, 12, 13]),
      withHashes(record("c", 1, 0.5, { finalDigest: "x" }), [11, 99, 13]),
      withHashes(record("r", 2, 0.5), [21, 22, 23]),
      withHashes(record("c", 2, 0.5), [21, 22, 23]),
    );
    const claim = grpoIdentityClaim(runs, "r", "c");
    expect(claim.status).toBe("not reproduced");
    expect(claim.evidence).toContain(
      "seed 1: sampled tokens identical for 2/3 steps (first difference at step 2",
    );
  });

  it("says which check was made: token sequences when hashed, aggregates otherwise", () => {
    const hashed = runsOf(
      ...[1, 2].flatMap((s) => [
        withHashes(record("r", s, 0.5), [s, 5, 6]),
        withHashes(record("c", s, 0.5), [s, 5, 6]),
      ]),
    );
    const a = grpoIdentityClaim(hashed, "r", "c");
    expect(a.status).toBe("reproduced");
    expect(a.evidence).toContain("the same sampled token sequences at every one of 6 steps");
    const plain = runsOf(...[1, 2].flatMap((s) => [record("r", s, 0.5), record("c", s, 0.5)]));
    const b = grpoIdentityClaim(plain, "r", "c");
    expect(b.status).toBe("reproduced");
    expect(b.evidence).toContain("the token sequences themselves were not compared");
    expect(String(b.numbers?.[2].label)).toContain("no token hash");
  });
});

describe("decisive claims: RLEV against the within-difficulty controls", () => {
  it("mean sampled slope per +0.1 of value, over difficulties where it is defined", () => {
    // slopes 2 and 4 per unit value (NaN skipped): mean 3 → 0.3 per +0.1.
    expect(meanSlopePerTenth(sens([2, Number.NaN, 4]))).toBeCloseTo(0.3, 12);
    expect(meanSlopePerTenth(undefined)).toBeNaN();
  });

  it("a clear H-Acc and slope gain is reproduced; a gain inside 1 point of 100% is the ceiling", () => {
    const gain = runsOf(
      ...[1, 2, 3].flatMap((s) => [
        record("rlev", s, 0.9 + 0.001 * s, {
          sensitivity: { greedy: sens([3]), sampled: sens([3 + 0.1 * s]) },
        }),
        record("ubd", s, 0.8, { sensitivity: { greedy: sens([0]), sampled: sens([0.1 * s]) } }),
      ]),
    );
    const [h, , slope] = decisiveClaims(gain, {
      rlev: "rlev",
      control: "uniform-by-difficulty",
      controlId: "ubd",
      estimator: "RLOO",
    });
    expect(h.status).toBe("reproduced");
    expect(slope.status).toBe("reproduced");
    // Δ slope = 0.3 per +0.1 value in every seed.
    expect(slope.numbers).toBeDefined();
    expect((slope.numbers?.[0]?.value as { mean: number } | undefined)?.mean).toBeCloseTo(0.3, 12);
    const top = runsOf(
      ...[1, 2, 3].flatMap((s) => [record("rlev", s, 0.999), record("sw", s, 0.993 + 0.001 * s)]),
    );
    const [ceiling, gainVsShuffled] = decisiveClaims(top, {
      rlev: "rlev",
      control: "shuffled-within",
      controlId: "sw",
      estimator: "RLOO",
    });
    expect(ceiling.status).toBe("ceiling");
    // The value gain against shuffled-within is powered against the paper's shuffle effect, and says so.
    expect(gainVsShuffled.paper).toContain("shuffled 57.4");
  });

  it("a tight interval below the paper's effect is a powered negative; missing cells say not run", () => {
    const flat = runsOf(
      ...[1, 2, 3, 4, 5].flatMap((s) => [record("rlev", s, 0.7 + 0.001 * (s % 2)), record("ubd", s, 0.7)]),
    );
    const [h] = decisiveClaims(flat, {
      rlev: "rlev",
      control: "uniform-by-difficulty",
      controlId: "ubd",
      estimator: "RLOO",
    });
    expect(h.status).toBe("not reproduced");
    const none = decisiveClaims(runsOf(record("rlev", 1, 0.7)), {
      rlev: "rlev",
      control: "uniform-by-difficulty",
      controlId: "ubd",
      estimator: "RLOO",
    });
    expect(none[0].evidence).toMatch(/^not run yet: ubd/);
  });
});

import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  computeAdvantages,
  drGrpoAdvantages,
  estimators,
  grpoAdvantages,
  grpoBatchStdAdvantages,
  grpoValueAdvantages,
  maskedMeanVar,
  reinforcePpAdvantages,
  reinforcePpBaselineAdvantages,
  reinforcePpReturns,
  rlooAdvantages,
} from "../../src/rl/index.js";

const close = (actual: ArrayLike<number>, expected: number[], digits = 5) => {
  expect(actual.length).toBe(expected.length);
  expected.forEach((e, i) => {
    expect(actual[i]).toBeCloseTo(e, digits);
  });
};

describe("GRPO (docs/method.md#advantage-estimators)", () => {
  it("normalizes by the unbiased group std with eps 1e-6", () => {
    // Group [1,0,0,1]: mean 0.5, unbiased var = 4·0.25/3 = 1/3, std = 0.5773503;
    // A = ±0.5/(0.5773503 + 1e-6) = ±0.8660239.
    close(grpoAdvantages([1, 0, 0, 1], [0, 0, 0, 0], 1e-6), [0.866024, -0.866024, -0.866024, 0.866024]);
  });
  it("gives 0 to a singleton group and to a group of equal rewards", () => {
    close(grpoAdvantages([3, 2, 2], [7, 1, 1], 1e-6), [0, 0, 0]);
  });
  it("handles interleaved groups", () => {
    // Groups a=[1,0] at 0,2 and b=[0,1] at 1,3: each std = sqrt(0.5) = 0.7071068, A = ±0.5/0.7071078 = ±0.7071058.
    close(grpoAdvantages([1, 0, 0, 1], [5, 9, 5, 9], 1e-6), [0.7071058, -0.7071058, -0.7071058, 0.7071058]);
  });
});

describe("Dr. GRPO, batch-std GRPO, value after normalization (docs/method.md#advantage-estimators)", () => {
  it("drgrpo subtracts the group mean only", () => {
    // Group [2,0,1]: mean 1 → [1,-1,0]; singleton [5] → 0.
    close(drGrpoAdvantages([2, 0, 1, 5], [0, 0, 0, 1]), [1, -1, 0, 0]);
  });
  it("grpo_batch_std divides by the std of all rewards in the batch", () => {
    // R = [1,0 | 2,0]: group means 0.5 and 1 → centered [0.5,-0.5,1,-1].
    // Batch mean 0.75, squared deviations .0625+.5625+1.5625+.5625 = 2.75, /3 → std 0.9574271.
    close(
      grpoBatchStdAdvantages([1, 0, 2, 0], [0, 0, 1, 1], 1e-6),
      [0.522232, -0.522232, 1.044465, -1.044465],
    );
  });
  it("grpo_value multiplies the normalized correctness by s(x)", () => {
    // c = R/s = [1,0,1,0 | 1,0]. Group 0: ±0.5/(sqrt(1/3)+1e-6) = ±0.8660239, ×1.5 = ±1.2990359.
    // Group 1: ±0.5/(sqrt(0.5)+1e-6) = ±0.7071058, ×2 = ±1.4142116.
    close(
      grpoValueAdvantages([1.5, 0, 1.5, 0, 2, 0], [0, 0, 0, 0, 1, 1], [1.5, 1.5, 1.5, 1.5, 2, 2], 1e-6),
      [1.299036, -1.299036, 1.299036, -1.299036, 1.414212, -1.414212],
    );
  });
  it("grpo_value requires the scales", () => {
    expect(() =>
      estimators.grpo_value({ rewards: [1, 0], groups: [0, 0] }, { eps: 1e-6, klCoef: 0 }),
    ).toThrow(/scales/);
  });
});

describe("RLOO (docs/method.md#advantage-estimators)", () => {
  it("subtracts the leave-one-out mean", () => {
    // [1,0,0,1]: A_0 = 1 - (0+0+1)/3 = 2/3, A_1 = 0 - (1+0+1)/3 = -2/3.
    // [3,1]: 3-1 = 2, 1-3 = -2. Singleton [4] → 0.
    close(rlooAdvantages([1, 0, 0, 1, 3, 1, 4], [0, 0, 0, 0, 1, 1, 2]), [
      2 / 3,
      -2 / 3,
      -2 / 3,
      2 / 3,
      2,
      -2,
      0,
    ]);
  });
});

describe("REINFORCE++ (docs/method.md#advantage-estimators)", () => {
  // B=2, T=4: row 0 has 3 response tokens, row 1 has 2. The masked KL entries (99) must be ignored.
  const shape = { batchSize: 2, seqLen: 4 };
  const mask = [1, 1, 1, 0, 1, 1, 0, 0];
  const kl = [1, 2, 3, 99, 0.5, 1, 99, 99];

  it("puts the final reward on the last token and whitens over all valid tokens", () => {
    // Without KL the returns are row0 [1,1,1], row1 [0,0]. Mean 0.6, unbiased var = (3·.16 + 2·.36)/4 = 0.3:
    // A = 0.4/sqrt(0.3+1e-8) = 0.7302967, -0.6/0.5477226 = -1.0954451.
    const a = reinforcePpAdvantages([1, 0], mask, shape, undefined, 0.1);
    close(a, [0.730297, 0.730297, 0.730297, 0, -1.095445, -1.095445, 0, 0]);
  });

  it("subtracts beta·KL on every token and sums returns backwards", () => {
    // beta 0.1. Row 0 token rewards [-0.1, -0.2, -0.3 + 1] → returns [0.4, 0.5, 0.7].
    // Row 1 (R = 0) [-0.05, -0.1] → returns [-0.15, -0.1].
    const g = reinforcePpReturns([1, 0], mask, shape, kl, 0.1);
    close(g, [0.4, 0.5, 0.7, 0, -0.15, -0.1, 0, 0]);
    // Mean 1.35/5 = 0.27, squared deviations .0169+.0529+.1849+.1764+.1369 = .568, var .142, sd 0.3768289.
    const a = reinforcePpAdvantages([1, 0], mask, shape, kl, 0.1);
    close(a, [0.344984, 0.610357, 1.141101, 0, -1.114564, -0.981878, 0, 0]);
  });

  it("baseline variant subtracts the group mean first (singleton → 0)", () => {
    // R = [1, 0, 5], groups [0,0,1] → R' = [0.5, -0.5, 0]. T = 3, row lengths 2, 1, 3.
    // Returns [.5,.5 | -.5 | 0,0,0]; mean 1/12, squared deviations 2·.173611 + .340278 + 3·.006944 = .708333,
    // var .141667, sd .376386 → [1.107019, 1.107019, -1.549826, -0.221404 ×3].
    const m = [1, 1, 0, 1, 0, 0, 1, 1, 1];
    const a = reinforcePpBaselineAdvantages(
      [1, 0, 5],
      [0, 0, 1],
      m,
      { batchSize: 3, seqLen: 3 },
      undefined,
      0,
    );
    close(a, [1.107019, 1.107019, 0, -1.549826, 0, 0, -0.221404, -0.221404, -0.221404]);
  });

  it("token-level estimators need a mask, and give no per-sequence advantage", () => {
    expect(() => computeAdvantages("reinforce_pp", { rewards: [1], groups: [0] })).toThrow(/mask/);
    const out = computeAdvantages("reinforce_pp", { rewards: [1, 0], groups: [0, 0], mask, seqLen: 4 });
    expect(out.sequence).toBeNull();
    expect(out.token).toBeInstanceOf(Float32Array);
  });

  it("gives 0 when fewer than two tokens are valid", () => {
    close(reinforcePpAdvantages([3], [0, 1, 0], { batchSize: 1, seqLen: 3 }, undefined, 0), [0, 0, 0]);
  });
});

describe("computeAdvantages", () => {
  it("broadcasts sequence advantages over the mask", () => {
    // RLOO on [1, 0]: [1, -1], broadcast over rows of lengths 2 and 1 (T = 3).
    const out = computeAdvantages("rloo", {
      rewards: [1, 0],
      groups: [0, 0],
      mask: [1, 1, 0, 1, 0, 0],
      seqLen: 3,
    });
    close(out.sequence!, [1, -1]);
    close(out.token!, [1, 1, 0, -1, 0, 0]);
  });
  it("subtracts beta·sum(KL) from sequence rewards when the KL is in the reward", () => {
    // R = [1, 1], KL sums 2 and 0 with beta 0.5 → R = [0, 1]; Dr. GRPO → [-0.5, 0.5].
    const out = computeAdvantages(
      "drgrpo",
      { rewards: [1, 1], groups: [0, 0], mask: [1, 1, 1, 0], seqLen: 2, kl: [1, 1, 0, 7] },
      { klCoef: 0.5 },
    );
    close(out.sequence!, [-0.5, 0.5]);
  });
  it("rejects mismatched shapes and unknown names", () => {
    expect(() => computeAdvantages("rloo", { rewards: [1, 0], groups: [0] })).toThrow(/groups/);
    expect(() =>
      computeAdvantages("rloo", { rewards: [1, 0], groups: [0, 0], mask: [1], seqLen: 3 }),
    ).toThrow(/B\*T/);
    // biome-ignore lint/suspicious/noExplicitAny: testing a bad name from untyped input
    expect(() => computeAdvantages("ppo" as any, { rewards: [1], groups: [0] })).toThrow(/unknown estimator/);
  });
});

/** Groups of sizes 1..8 with 0/1 correctness. */
const groupedCorrectness = fc.array(
  fc.array(fc.integer({ min: 0, max: 1 }), { minLength: 1, maxLength: 8 }),
  {
    minLength: 1,
    maxLength: 6,
  },
);

function flatten(groups: number[][], scaleOf: (g: number) => number = () => 1) {
  const rewards: number[] = [];
  const ids: number[] = [];
  groups.forEach((rs, g) => {
    for (const r of rs) {
      rewards.push(r * scaleOf(g));
      ids.push(g);
    }
  });
  return { rewards, ids };
}

describe("estimator properties", () => {
  it("RLOO advantages sum to zero in every group", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 8 }), {
          minLength: 1,
          maxLength: 6,
        }),
        (groups) => {
          const { rewards, ids } = flatten(groups);
          const a = rlooAdvantages(rewards, ids);
          groups.forEach((_, g) => {
            let sum = 0;
            ids.forEach((id, i) => {
              if (id === g) sum += a[i];
            });
            expect(Math.abs(sum)).toBeLessThan(1e-9);
          });
        },
      ),
    );
  });

  it("std-normalized GRPO is invariant to a positive per-group scale, so RLEV equals correctness", () => {
    fc.assert(
      fc.property(
        groupedCorrectness,
        fc.array(fc.double({ min: 1, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (groups, scales) => {
          const plain = flatten(groups);
          const scaled = flatten(groups, (g) => scales[g]);
          const a = grpoAdvantages(plain.rewards, plain.ids, 1e-6);
          const b = grpoAdvantages(scaled.rewards, scaled.ids, 1e-6);
          // Only eps breaks exactness: |A| ≤ 3 and eps/std ≤ 1e-6/0.35.
          for (let i = 0; i < a.length; i++) expect(Math.abs(a[i] - b[i])).toBeLessThan(1e-5);
        },
      ),
    );
  });

  it("grpo_value equals s(x) times GRPO on correctness", () => {
    fc.assert(
      fc.property(
        groupedCorrectness,
        fc.array(fc.double({ min: 1, max: 2, noNaN: true }), { minLength: 6, maxLength: 6 }),
        (groups, scales) => {
          const plain = flatten(groups);
          const scaled = flatten(groups, (g) => scales[g]);
          const s = plain.ids.map((g) => scales[g]);
          const a = grpoAdvantages(plain.rewards, plain.ids, 1e-6);
          const v = grpoValueAdvantages(scaled.rewards, scaled.ids, s, 1e-6);
          for (let i = 0; i < a.length; i++) expect(v[i]).toBeCloseTo(s[i] * a[i], 9);
        },
      ),
    );
  });

  it("Dr. GRPO scales with the reward", () => {
    fc.assert(
      fc.property(groupedCorrectness, fc.double({ min: 0.01, max: 100, noNaN: true }), (groups, k) => {
        const { rewards, ids } = flatten(groups);
        const a = drGrpoAdvantages(rewards, ids);
        const b = drGrpoAdvantages(
          rewards.map((r) => k * r),
          ids,
        );
        for (let i = 0; i < a.length; i++) expect(b[i]).toBeCloseTo(k * a[i], 9);
      }),
    );
  });

  it("whitened REINFORCE++ advantages have mean 0 and variance 1 over valid tokens", () => {
    const batch = fc
      .record({ batchSize: fc.integer({ min: 1, max: 6 }), seqLen: fc.integer({ min: 1, max: 8 }) })
      .chain(({ batchSize, seqLen }) =>
        fc.record({
          batchSize: fc.constant(batchSize),
          seqLen: fc.constant(seqLen),
          lengths: fc.array(fc.integer({ min: 0, max: seqLen }), {
            minLength: batchSize,
            maxLength: batchSize,
          }),
          rewards: fc.array(fc.double({ min: -2, max: 2, noNaN: true }), {
            minLength: batchSize,
            maxLength: batchSize,
          }),
          kl: fc.array(fc.double({ min: -1, max: 1, noNaN: true }), {
            minLength: batchSize * seqLen,
            maxLength: batchSize * seqLen,
          }),
          groups: fc.array(fc.integer({ min: 0, max: 2 }), { minLength: batchSize, maxLength: batchSize }),
          baseline: fc.boolean(),
        }),
      );
    fc.assert(
      fc.property(batch, ({ batchSize, seqLen, lengths, rewards, kl, groups, baseline }) => {
        const shape = { batchSize, seqLen };
        const mask = new Float32Array(batchSize * seqLen);
        lengths.forEach((len, b) => {
          mask.fill(1, b * seqLen, b * seqLen + len);
        });
        const finals = baseline ? drGrpoAdvantages(rewards, groups) : rewards;
        const returns = reinforcePpReturns(finals, mask, shape, kl, 0.1);
        const raw = maskedMeanVar(returns, mask);
        fc.pre(raw.count >= 2 && raw.variance > 1e-3);
        const a = baseline
          ? reinforcePpBaselineAdvantages(rewards, groups, mask, shape, kl, 0.1)
          : reinforcePpAdvantages(rewards, mask, shape, kl, 0.1);
        const { mean, variance } = maskedMeanVar(a, mask);
        expect(Math.abs(mean)).toBeLessThan(1e-9);
        expect(variance).toBeCloseTo(1, 4);
        for (let i = 0; i < mask.length; i++) if (mask[i] === 0) expect(a[i]).toBe(0);
      }),
    );
  });
});

import { describe, expect, it } from "vitest";
import { ESTIMATORS } from "../../src/config/rl.js";
import { computeAdvantages } from "../../src/rl/estimators.js";
import { estimatorWarning, valueUnderEstimator } from "../../src/rl/value-guard.js";

describe("which estimators keep the value (the GRPO guard)", () => {
  it("knows every rlev estimator, and agrees with what the estimator computes", () => {
    // Two prompts, four samples each, same correctness pattern, values 0.01 and 0.1 (s = 1.1 and 2).
    const correct = [1, 0, 1, 0, 1, 0, 1, 0];
    const scales = [1.1, 1.1, 1.1, 1.1, 2, 2, 2, 2];
    const groups = [0, 0, 0, 0, 1, 1, 1, 1];
    const rewards = correct.map((c, i) => c * scales[i]);
    for (const name of ESTIMATORS) {
      const verdict = valueUnderEstimator(name);
      expect(verdict, name).not.toBe("unknown");
      const mask = new Float32Array(8 * 2).fill(1);
      const out = computeAdvantages(name, {
        rewards: Float64Array.from(rewards),
        groups: Int32Array.from(groups),
        scales: Float64Array.from(scales),
        mask,
        seqLen: 2,
      });
      const adv = out.sequence ?? Array.from({ length: 8 }, (_, i) => out.token?.[i * 2] ?? Number.NaN);
      // The value cancels iff both prompts get the same advantages.
      const cancels = [0, 1, 2, 3].every((i) => Math.abs(adv[i] - adv[i + 4]) < 1e-6);
      expect(cancels ? "cancels" : "keeps", name).toBe(verdict);
    }
  });

  it("warns for trainer spellings of group-std GRPO, not for the others or without a value", () => {
    for (const n of ["grpo", "GRPO", "grpo_vectorized", "group_norm", "scale_rewards=group"])
      expect(estimatorWarning(n), n).toMatch(/^warning: estimator .* cancels/);
    for (const n of [
      "rloo",
      "reinforce_plus_plus",
      "reinforce",
      "reinforce_baseline",
      "dr_grpo",
      "scale_rewards=batch",
      "scale_rewards=none",
      "gae",
    ])
      expect(estimatorWarning(n), n).toBeNull();
    expect(estimatorWarning("grpo", false)).toBeNull();
    expect(estimatorWarning("opo")).toMatch(/^note: rlev does not know estimator "opo"/);
  });
});

import type { Claim, ClaimStatus } from "../../report/types.js";
import { compareTraces, type TraceComparison } from "../record.js";
import type { RunsByCell } from "./judge.js";

const pct = (x: number) => `${(100 * x).toFixed(1)}`;

export interface IdentityReport {
  seeds: number;
  /** Seeds whose runs sample the same responses at every step and score the same held-out answers. */
  sameBehaviour: number;
  /** Seeds whose runs are bit-identical: every logged statistic and the final weights. */
  bitIdentical: number;
  details: Array<
    TraceComparison & {
      seed: number;
      sameWeights: boolean;
      sameFinalEval: boolean;
    }
  >;
}

/** Every step hashed in both runs: the check is on the sampled token sequences, not on aggregates. */
export const tokenChecked = (d: TraceComparison) => d.hashedSteps > 0 && d.hashedSteps === d.steps;

/**
 * The same rollouts at every step: equal token-sequence hashes where both records carry them,
 * else (records written before the hash) equal per-step mean score and mean length.
 */
export const sameRollouts = (d: TraceComparison) =>
  tokenChecked(d) ? d.firstTokenDifference === null : d.firstBehaviourDifference === null;

/** Whether two cells' runs are the same run, step by step and at the end, per seed. */
export function compareRunsStepByStep(runs: RunsByCell, a: string, b: string): IdentityReport {
  const bySeed = new Map((runs.get(b) ?? []).map((r) => [r.seed, r]));
  const details: IdentityReport["details"] = [];
  for (const ra of [...(runs.get(a) ?? [])].sort((x, y) => x.seed - y.seed)) {
    const rb = bySeed.get(ra.seed);
    if (!rb) continue;
    const fa = ra.final;
    const fb = rb.final;
    details.push({
      ...compareTraces(ra.trace, rb.trace),
      seed: ra.seed,
      sameWeights: ra.finalDigest === rb.finalDigest,
      sameFinalEval: fa.acc === fb.acc && fa.hAcc === fb.hAcc && fa.meanLength === fb.meanLength,
    });
  }
  return {
    seeds: details.length,
    sameBehaviour: details.filter((d) => sameRollouts(d) && d.sameFinalEval).length,
    bitIdentical: details.filter((d) => d.firstDifference === null && d.sameWeights).length,
    details,
  };
}

/**
 * The std-normalized GRPO identity as a claim (the algebra of docs/method.md#grpo-cancels-the-value; the paper reports GRPO gains).
 * "Exactly the baseline's run" is judged on behaviour: the same sampled token sequences at every
 * step (a hash per step in the records) and the same held-out answers. Records written before the
 * hash carry only per-step aggregates (mean score and length); the evidence then says that this
 * weaker check is what was made. Bit identity of losses and weights is reported beside it: the
 * advantages differ by ε/s(x) and float rounding, so it need not hold.
 */
export function grpoIdentityClaim(runs: RunsByCell, rlev: string, correctness: string): Claim {
  const rep = compareRunsStepByStep(runs, rlev, correctness);
  let status: ClaimStatus;
  let evidence: string;
  const steps = rep.details.reduce((s, d) => s + d.steps, 0);
  const hashed = rep.details.length > 0 && rep.details.every(tokenChecked);
  const what = hashed
    ? "the same sampled token sequences at every one of"
    : "per-step aggregates equal (mean score and mean length of the rollouts; these records carry no token hash, so the token sequences themselves were not compared) at every one of";
  const sameSteps = rep.details.reduce(
    (s, d) => s + (tokenChecked(d) ? d.sameTokenSteps : d.sameBehaviourSteps),
    0,
  );
  const maxRel = Math.max(0, ...rep.details.map((d) => d.maxLossRelDiff));
  const rounding = `Bit-identical (losses, gradient norms and final weights): ${rep.bitIdentical} of ${rep.seeds} seeds; the largest relative difference of a step's policy loss or gradient norm (magnitudes below 1e-6 compared absolutely) is ${maxRel.toExponential(1)} (the advantages are (c − mean)/(std + ε/s(x)) instead of (c − mean)/(std + ε), plus float rounding).`;
  if (rep.seeds === 0) {
    status = "inconclusive";
    evidence = `not run yet: ${rlev} and ${correctness} share no finished seed`;
  } else if (rep.sameBehaviour === rep.seeds && rep.seeds < 2) {
    status = "inconclusive";
    evidence = `only ${rep.seeds} seed so far (${what} ${steps} steps, and the same held-out answers); at least 2 seeds are needed for a verdict. ${rounding}`;
  } else if (rep.sameBehaviour === rep.seeds) {
    status = "reproduced";
    evidence = `${rep.sameBehaviour} of ${rep.seeds} seeds: ${what} ${steps} steps, and the same held-out answers. ${rounding}`;
  } else {
    status = "not reproduced";
    const diverged = rep.details.filter((d) => !sameRollouts(d) || !d.sameFinalEval);
    evidence = `${rep.sameBehaviour} of ${rep.seeds} seeds behave identically; ${diverged
      .map((d) =>
        tokenChecked(d)
          ? `seed ${d.seed}: sampled tokens identical for ${d.sameTokenSteps}/${d.steps} steps (first difference at step ${d.firstTokenDifference ?? "-"}, largest per-step score gap ${pct(d.maxScoreDiff)} points)${d.sameFinalEval ? "" : ", different held-out answers"}`
          : `seed ${d.seed}: per-step mean score and length identical for ${d.sameBehaviourSteps}/${d.steps} steps (first difference at step ${d.firstBehaviourDifference ?? "-"}, largest per-step score gap ${pct(d.maxScoreDiff)} points)${d.sameFinalEval ? "" : ", different held-out answers"}`,
      )
      .join("; ")}. ${rounding}`;
  }
  return {
    id: "grpo-identity",
    claim:
      "Under std-normalized GRPO, RLEV gives exactly the correctness-only run for the same seed (s(x) cancels)",
    paper:
      "not in the paper (it reports a GRPO gain, 56.0 → 57.7 H-Acc); the algebra of docs/method.md#grpo-cancels-the-value",
    status,
    evidence,
    numbers: [
      { label: "seeds with identical behaviour", value: `${rep.sameBehaviour} / ${rep.seeds}` },
      { label: "bit-identical seeds", value: `${rep.bitIdentical} / ${rep.seeds}` },
      {
        label: hashed
          ? "steps with identical sampled tokens (hash per step)"
          : "steps with identical per-step mean score and length (no token hash in these records)",
        value: `${sameSteps} / ${steps}`,
      },
    ],
  };
}

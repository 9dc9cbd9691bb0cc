import type { Claim } from "../../report/types.js";
import type { JobRecord } from "../record.js";
import type { Sensitivity } from "../sensitivity.js";
import {
  claimNumber,
  estimateOf,
  judgeDifference,
  pairedBySeed,
  type RunsByCell,
  shareEstimateOf,
} from "./judge.js";
import { hAccOf } from "./statistics.js";

/**
 * The decisive comparisons of issue 14: RLEV against the controls at the resolution of a question.
 * `uniform-by-difficulty` has RLEV's mean scale at every difficulty and `shuffled-within` its
 * values at every difficulty, but neither ties a value to its own question; RLEV beating them is
 * evidence that a question's own value acts, beating only the global controls is the difficulty
 * channel.
 */

/** The paper's effects these controls are powered against (RLOO 7B). */
export const DECISIVE_EFFECTS = {
  /** RLEV − uniform scaling, 58.9 − 55.1 H-Acc. */
  "uniform-by-difficulty": 0.038,
  /** RLEV − shuffled values, 58.9 − 57.4 H-Acc. */
  "shuffled-within": 0.015,
} as const;

/** Change of P(worked) per +0.1 of value, averaged over the difficulties where it is defined. */
export function meanSlopePerTenth(s: Sensitivity | undefined, minDifficulty = 1): number {
  if (!s) return Number.NaN;
  const xs = s.slopes
    .filter((d) => d.difficulty >= minDifficulty && Number.isFinite(d.slope))
    .map((d) => d.slope);
  return xs.length ? (0.1 * xs.reduce((a, b) => a + b, 0)) / xs.length : Number.NaN;
}

export const sampledSlopeOf = (r: JobRecord) => meanSlopePerTenth(r.sensitivity?.sampled);
export const greedySlopeOf = (r: JobRecord) => meanSlopePerTenth(r.sensitivity?.greedy);
const valueGainOf = (r: JobRecord) => r.final.valueGain ?? Number.NaN;

/** RLEV against one within-difficulty control: H-Acc, value gain at equal difficulty, sampled slope. */
export function decisiveClaims(
  runs: RunsByCell,
  c: {
    rlev: string;
    control: "uniform-by-difficulty" | "shuffled-within";
    controlId: string;
    estimator: string;
  },
): Claim[] {
  const effect = DECISIVE_EFFECTS[c.control];
  const name =
    c.control === "uniform-by-difficulty"
      ? "uniform by difficulty s̄(k)"
      : "values shuffled within difficulty";
  const missing = [c.rlev, c.controlId].filter((id) => !runs.get(id)?.length);
  const notRun = missing.length ? `not run yet: ${missing.join(", ")} has no finished seed` : null;
  const h = pairedBySeed(runs, c.rlev, c.controlId, hAccOf);
  const levels = { a: h.a, b: h.b };
  const est = (xs: number[]) => (xs.some(Number.isFinite) ? estimateOf(xs) : null);
  const jh = judgeDifference(h.diffs, { direction: "higher", paperEffect: effect, levels });
  const g = pairedBySeed(runs, c.rlev, c.controlId, valueGainOf);
  const jg = judgeDifference(g.diffs, { direction: "higher", paperEffect: effect, levels });
  const s = pairedBySeed(runs, c.rlev, c.controlId, sampledSlopeOf);
  const js = judgeDifference(s.diffs, { direction: "higher" });
  const gs = pairedBySeed(runs, c.rlev, c.controlId, greedySlopeOf);
  const tag = `${c.estimator}`;
  return [
    {
      id: `decisive-hacc-${c.control}-${c.estimator}`,
      claim: `A question's own value matters beyond its difficulty: RLEV beats ${name} on H-Acc (${tag})`,
      paper: `not tested in the paper; its nearest control: ${c.control === "uniform-by-difficulty" ? "uniform 55.1 vs RLEV 58.9" : "shuffled 57.4 vs RLEV 58.9"} H-Acc (RLOO 7B)`,
      status: jh.status,
      evidence: notRun ?? `RLEV − ${name}, paired over ${jh.pairs} seeds: ${jh.reason}.`,
      numbers: [
        claimNumber(`Δ H-Acc (RLEV − ${name})`, jh.estimate, "percent"),
        claimNumber("H-Acc RLEV", h.a.length ? shareEstimateOf(h.a) : null, "percent"),
        claimNumber(`H-Acc ${name}`, h.b.length ? shareEstimateOf(h.b) : null, "percent"),
      ],
    },
    {
      id: `decisive-value-gain-${c.control}-${c.estimator}`,
      claim: `At equal difficulty, RLEV puts its correct answers on the more valuable questions more than ${name} does (value gain, ${tag})`,
      paper: `RLOO 7B: RLEV 58.9 vs ${c.control === "uniform-by-difficulty" ? "uniform 55.1" : "shuffled 57.4"} H-Acc (the effect powered against)`,
      status: jg.status,
      evidence:
        notRun ??
        `Value gain = H-Acc minus that of a value-blind policy with the same accuracy in every difficulty. RLEV − ${name}, paired over ${jg.pairs} seeds: ${jg.reason}.`,
      numbers: [
        claimNumber(`Δ value gain (RLEV − ${name})`, jg.estimate, "percent"),
        claimNumber("value gain RLEV", est(g.a), "percent"),
        claimNumber(`value gain ${name}`, est(g.b), "percent"),
      ],
    },
    {
      id: `decisive-sampled-slope-${c.control}-${c.estimator}`,
      claim: `Sampled responses are more value-sensitive under RLEV than under ${name}: P(worked) rises more with the question's value at equal difficulty (${tag})`,
      paper: "not measured in the paper (its EOS mechanism predicts it)",
      status: js.status,
      evidence:
        notRun ??
        `Per run, the least-squares slope of worked (0/1) on value within each difficulty, from 2 responses per held-out question sampled at temperature 1, averaged over difficulties and given per +0.1 of value; RLEV − ${name}, paired over ${js.pairs} seeds: ${js.reason}.`,
      numbers: [
        claimNumber(`Δ sampled slope, P(worked) per +0.1 value (RLEV − ${name})`, js.estimate, "percent"),
        claimNumber("sampled slope RLEV", est(s.a), "percent"),
        claimNumber(`sampled slope ${name}`, est(s.b), "percent"),
        claimNumber(`Δ greedy slope (RLEV − ${name})`, est(gs.diffs), "percent"),
      ],
    },
  ];
}

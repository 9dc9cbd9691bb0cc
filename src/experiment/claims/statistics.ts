import type { JobRecord } from "../record.js";
import { pairedBySeed, type RunsByCell } from "./judge.js";

/** Per-record statistics the claims compare (one number per run). */

/** Mean over difficulties of (high-value − low-value) group statistic: value sensitivity at equal difficulty. */
export function withinDifficultyGap(r: JobRecord, field: "length" | "worked" | "acc"): number {
  const rows = r.final.withinDifficulty.filter((d) => d.low.n > 0 && d.high.n > 0);
  if (rows.length === 0) return Number.NaN;
  return rows.reduce((s, d) => s + d.high[field] - d.low[field], 0) / rows.length;
}

/**
 * Per seed, the step-1 EOS-gradient magnitude of arm `a` over that of arm `b` in each value
 * bucket. At step 1 both arms of a seed have the warm-up policy and draw the same samples, so the
 * ratio isolates the reward: under RLOO with R = s(x)·c it is the gradient-weighted mean of s(x)
 * in the bucket (less where a length cost, which s does not scale, enters the reward).
 */
export function firstStepGradientRatios(
  runs: RunsByCell,
  a: string,
  b: string,
): Array<{ seed: number; ratios: number[] }> {
  const bySeed = new Map((runs.get(b) ?? []).map((r) => [r.seed, r]));
  const out: Array<{ seed: number; ratios: number[] }> = [];
  for (const ra of [...(runs.get(a) ?? [])].sort((x, y) => x.seed - y.seed)) {
    const rb = bySeed.get(ra.seed);
    const fa = ra.eosGradient.firstStep;
    const fb = rb?.eosGradient.firstStep;
    if (!fa || !fb) continue;
    out.push({ seed: ra.seed, ratios: fa.map((g, i) => (fb[i] > 0 ? g / fb[i] : Number.NaN)) });
  }
  return out;
}

export const hAccOf = (r: JobRecord) => r.final.hAcc;
export const accOf = (r: JobRecord) => r.final.acc;
export const lengthOf = (r: JobRecord) => r.final.meanLength;

/**
 * The gain averaged over estimators at one size: per seed, the mean over estimators of
 * (RLEV − correctness) H-Acc, then the CI over seeds.
 */
export function gainAcrossEstimators(
  runs: RunsByCell,
  pairs: ReadonlyArray<{ rlev: string; correctness: string }>,
): number[] {
  const perSeed = new Map<number, number[]>();
  for (const { rlev, correctness } of pairs) {
    const p = pairedBySeed(runs, rlev, correctness, hAccOf);
    p.seeds.forEach((s, i) => {
      perSeed.set(s, [...(perSeed.get(s) ?? []), p.diffs[i]]);
    });
  }
  // Only seeds that every pair has, so each seed averages the same estimators.
  return [...perSeed.entries()]
    .filter(([, d]) => d.length === pairs.length)
    .sort((x, y) => x[0] - y[0])
    .map(([, d]) => d.reduce((s, x) => s + x, 0) / d.length);
}

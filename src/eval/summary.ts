import { accuracy, hAcc, meanResponseLength, valueDensity, valueSliceAccuracy } from "../metrics/core.js";
import { bootstrapWeighted, type Interval } from "../metrics/intervals.js";
import {
  type EosTrajectory,
  eosTrajectories,
  type ValueBucketSummary,
  valueBucketsByDifficulty,
} from "./breakdown.js";
import type { GradedResponse } from "./grade.js";

export interface DifficultySummary {
  difficulty: number;
  n: number;
  acc: number;
  hAcc: number;
  meanLength: number;
  workedShare: number;
  /** Accuracy of the responses that showed steps / answered directly (null when there were none). */
  accWorked: number | null;
  accDirect: number | null;
}

/** The metrics JSON of an evaluation (spec §4 plus ours). Accuracies are fractions in [0, 1]. */
export interface EvalMetrics {
  n: number;
  acc: number;
  hAcc: number;
  meanLength: number;
  /** H-Acc in percent per token of mean length (spec §4). */
  valueDensity: number;
  top20Acc: number;
  bottom20Acc: number;
  workedShare: number;
  /** Share of responses cut off at the length cap (no end-of-sequence). */
  truncatedShare: number;
  /** Percentile-bootstrap 95% intervals over questions (absent when bootstrap = 0). */
  intervals?: Record<"acc" | "hAcc" | "meanLength" | "valueDensity", Interval>;
  byDifficulty: DifficultySummary[];
  byValueBucket: ValueBucketSummary[];
  eos: { high: EosTrajectory; low: EosTrajectory };
}

export interface SummaryOptions {
  eosPrompts: number;
  valueBuckets: number;
  bootstrap: number;
  seed: number;
}

const score = (r: GradedResponse) => (r.correct ? 1 : 0);

function byDifficulty(rows: readonly GradedResponse[]): DifficultySummary[] {
  const groups = new Map<number, GradedResponse[]>();
  for (const r of rows) groups.set(r.difficulty, [...(groups.get(r.difficulty) ?? []), r]);
  return [...groups.keys()]
    .sort((a, b) => a - b)
    .map((difficulty) => {
      const g = groups.get(difficulty)!;
      const worked = g.filter((r) => r.worked);
      const direct = g.filter((r) => !r.worked);
      return {
        difficulty,
        n: g.length,
        acc: accuracy(g.map(score)),
        hAcc: hAcc(
          g.map((r) => r.value),
          g.map(score),
        ),
        meanLength: meanResponseLength(g.map((r) => r.length)),
        workedShare: worked.length / g.length,
        accWorked: worked.length ? accuracy(worked.map(score)) : null,
        accDirect: direct.length ? accuracy(direct.map(score)) : null,
      };
    });
}

/** All evaluation metrics of graded responses (one response per question). */
export function summarizeEvaluation(
  rows: readonly GradedResponse[],
  eosProbs: readonly Float32Array[],
  opts: SummaryOptions,
): EvalMetrics {
  const values = rows.map((r) => r.value);
  const scores = rows.map(score);
  const lengths = rows.map((r) => r.length);
  const stats = (w?: Float64Array) => {
    const h = hAcc(values, scores, w);
    const len = meanResponseLength(lengths, w);
    return { acc: accuracy(scores, w), hAcc: h, meanLength: len, valueDensity: valueDensity(h, len) };
  };
  const point = stats();
  return {
    n: rows.length,
    ...point,
    top20Acc: valueSliceAccuracy(values, scores, 0.2, "top"),
    bottom20Acc: valueSliceAccuracy(values, scores, 0.2, "bottom"),
    workedShare: rows.filter((r) => r.worked).length / rows.length,
    truncatedShare: rows.filter((r) => !r.finished).length / rows.length,
    intervals:
      opts.bootstrap > 0
        ? bootstrapWeighted(rows.length, (w) => stats(w), { resamples: opts.bootstrap, seed: opts.seed })
        : undefined,
    byDifficulty: byDifficulty(rows),
    byValueBucket: valueBucketsByDifficulty(rows, opts.valueBuckets),
    eos: eosTrajectories(rows, eosProbs, opts.eosPrompts),
  };
}

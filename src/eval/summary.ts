import { accuracy, hAcc, meanResponseLength } from "../metrics/core.js";
import { groupByItem } from "../metrics/graded.js";
import type { Interval } from "../metrics/intervals.js";
import { summarizeRun, type ValueBucketRow } from "../metrics/summary.js";
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

/** The metrics JSON of an evaluation (docs/method.md#metrics plus ours). Accuracies are fractions in [0, 1]. */
export interface EvalMetrics {
  n: number;
  acc: number;
  hAcc: number;
  meanLength: number;
  /** H-Acc in percent per token of mean length (docs/method.md#metrics). */
  valueDensity: number;
  top20Acc: number;
  bottom20Acc: number;
  workedShare: number;
  /** Share of responses cut off at the length cap (no end-of-sequence). */
  truncatedShare: number;
  /** Percentile-bootstrap 95% intervals over questions (absent when bootstrap = 0). */
  intervals?: Record<"acc" | "hAcc" | "meanLength" | "valueDensity", Interval>;
  byDifficulty: DifficultySummary[];
  /** Accuracy and length by value bucket over all questions (metrics/summary.ts). */
  lengthByValue: ValueBucketRow[];
  /** Accuracy, length and worked share by value bucket within each difficulty. */
  byValueBucket: ValueBucketSummary[];
  eos: { high: EosTrajectory; low: EosTrajectory };
}

export interface EvalSummaryOptions {
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

/**
 * All evaluation metrics of graded responses (one response per question): the standard ones
 * from metrics/ (Acc, H-Acc, length, value density, top/bottom 20%, bootstrap CIs) plus what
 * the embedded task adds (worked share, worked vs direct accuracy, value buckets within each
 * difficulty, EOS trajectories).
 */
export function summarizeEvaluation(
  rows: readonly GradedResponse[],
  eosProbs: readonly Float32Array[],
  opts: EvalSummaryOptions,
): EvalMetrics {
  const graded = rows.map((r) => ({
    id: r.id,
    value: r.value,
    correct: r.correct,
    length: r.length,
    difficulty: r.difficulty,
  }));
  const run = summarizeRun(groupByItem(graded), {
    bootstrap: { resamples: opts.bootstrap, seed: opts.seed },
    buckets: opts.valueBuckets,
  });
  const m = run.metrics;
  return {
    n: rows.length,
    acc: m.acc.estimate,
    hAcc: m.hAcc.estimate,
    meanLength: m.meanLength.estimate,
    valueDensity: m.valueDensity.estimate,
    top20Acc: m.topAcc.estimate,
    bottom20Acc: m.bottomAcc.estimate,
    workedShare: rows.filter((r) => r.worked).length / rows.length,
    truncatedShare: rows.filter((r) => !r.finished).length / rows.length,
    intervals:
      opts.bootstrap > 0
        ? { acc: m.acc, hAcc: m.hAcc, meanLength: m.meanLength, valueDensity: m.valueDensity }
        : undefined,
    byDifficulty: byDifficulty(rows),
    lengthByValue: run.lengthByValue,
    byValueBucket: valueBucketsByDifficulty(rows, opts.valueBuckets),
    eos: eosTrajectories(rows, eosProbs, opts.eosPrompts),
  };
}

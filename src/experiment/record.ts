import type { GradedResponse } from "../eval/grade.js";
import type { EvalMetrics } from "../eval/summary.js";
import { groupByItem } from "../metrics/graded.js";
import { lengthByValueBucket } from "../metrics/summary.js";
import type { LogRecord } from "../train/metrics-log.js";
import type { ValueSource } from "./config.js";
import type { Sensitivity } from "./sensitivity.js";

/**
 * The result of one finished (cell, seed): everything the report and the claims need, small
 * enough for one JSON line of results.jsonl (the 1,000 graded responses stay in the run folder).
 * Proportions are fractions in [0, 1]; lengths are tokens, end-of-sequence included.
 */
export interface JobRecord {
  format: "rlev-experiment-result";
  version: 1;
  cell: string;
  seed: number;
  hash: string;
  estimator: string;
  reward: { kind: string; alpha: number; lengthCost: number };
  values: ValueSource;
  warmupDigest: string;
  /** sha256 of the final weights: two runs with equal digests ended in the same policy. */
  finalDigest: string;
  steps: number;
  final: FinalMetrics;
  /** Held-out evaluations during training (step 0 = the warm-up). */
  curve: CurvePoint[];
  /** Per-step training statistics, in full precision, for step-by-step comparisons of two runs. */
  trace: TracePoint[];
  /**
   * |∂/∂z_eos| per prompt by value bucket (quantiles of the train values): mean over all steps, and
   * at step 1, where every arm of a seed still has the warm-up policy and the same samples, so
   * arms differ only by their rewards.
   */
  eosGradient: { edges: number[]; abs: number[]; signed: number[]; firstStep: number[] };
  /**
   * P(worked | value, difficulty) of the final policy and its slope in value within each difficulty,
   * greedy and from sampled responses (temperature 1). Absent in records written before it existed.
   */
  sensitivity?: { greedy: Sensitivity; sampled: Sensitivity };
  /**
   * The engine's arithmetic: whether the matmuls used fused multiply-add. Absent in records written
   * before the option existed, which all ran without it.
   */
  engine?: { fusedMultiplyAdd: boolean };
  wallSeconds: number;
  trainSeconds: number;
  finishedAt: string;
}

export interface FinalMetrics {
  n: number;
  acc: number;
  hAcc: number;
  meanLength: number;
  valueDensity: number;
  topAcc: number;
  bottomAcc: number;
  workedShare: number;
  truncatedShare: number;
  byDifficulty: Array<{
    difficulty: number;
    n: number;
    acc: number;
    meanLength: number;
    workedShare: number;
  }>;
  /** High- vs low-value items of the same difficulty (top vs bottom value bucket within it). */
  withinDifficulty: Array<{ difficulty: number; low: ValueGroup; high: ValueGroup }>;
  /** Prompts sorted by value in equal-count buckets (rank-based, 5 buckets). */
  lengthByValue: Array<{
    bucket: number;
    lo: number;
    hi: number;
    items: number;
    acc: number;
    meanLength: number;
  }>;
  /** Mean p(EOS) by response position for the highest- and lowest-value prompts. */
  eos: { prompts: number; high: number[]; low: number[] };
  /**
   * H-Acc minus the H-Acc of a value-blind policy with the same accuracy in every difficulty
   * (`withinDifficultyValueGain`): positive when, at equal difficulty, the correct answers sit on the
   * more valuable questions. Absent in records written before it existed.
   */
  valueGain?: number;
}

export interface ValueGroup {
  n: number;
  meanValue: number;
  acc: number;
  length: number;
  worked: number;
}

export interface CurvePoint {
  step: number;
  acc: number;
  hAcc: number;
  length: number;
  workedShare: number;
}

export interface TracePoint {
  step: number;
  score: number;
  reward: number;
  length: number;
  pgLoss: number;
  gradNorm: number;
  entropy: number;
  kl: number;
  /** Hash of the step's sampled token sequences (rollout/tokens_hash); absent in older records. */
  tokensHash?: number;
}

/** Value-bucket count for lengthByValue (rank-based, over all held-out prompts). */
export const LENGTH_BUCKETS = 5;

const num = (r: LogRecord, key: string): number => {
  const v = r[key];
  return typeof v === "number" ? v : Number.NaN;
};

/**
 * H-Acc − Σ_k acc_k·V_k / V, with acc_k the accuracy and V_k the summed value of difficulty k: the
 * H-Acc that within-difficulty allocation adds over a policy that is right on a random acc_k share
 * of each difficulty's questions. Such a policy has the same accuracy and, in expectation, the same
 * length per difficulty, so this is H-Acc at equal length, with difficulty held fixed.
 */
export function withinDifficultyValueGain(
  rows: ReadonlyArray<Pick<GradedResponse, "value" | "correct" | "difficulty">>,
): number {
  const groups = new Map<number, { v: number; vc: number; c: number; n: number }>();
  let total = 0;
  let correctValue = 0;
  for (const r of rows) {
    const g = groups.get(r.difficulty) ?? { v: 0, vc: 0, c: 0, n: 0 };
    g.v += r.value;
    g.n += 1;
    if (r.correct) {
      g.c += 1;
      g.vc += r.value;
      correctValue += r.value;
    }
    total += r.value;
    groups.set(r.difficulty, g);
  }
  if (!(total > 0)) return Number.NaN;
  let blind = 0;
  for (const g of groups.values()) blind += (g.c / g.n) * g.v;
  return (correctValue - blind) / total;
}

/** Final held-out metrics from the evaluation's graded rows and summary. */
export function finalMetrics(rows: readonly GradedResponse[], m: EvalMetrics): FinalMetrics {
  const within: FinalMetrics["withinDifficulty"] = [];
  for (const d of new Set(m.byValueBucket.map((b) => b.difficulty))) {
    const buckets = m.byValueBucket.filter((b) => b.difficulty === d).sort((a, b) => a.bucket - b.bucket);
    if (buckets.length < 2) continue;
    const group = (b: (typeof buckets)[number]): ValueGroup => ({
      n: b.n,
      meanValue: b.meanValue,
      acc: b.acc,
      length: b.meanLength,
      worked: b.workedShare,
    });
    within.push({ difficulty: d, low: group(buckets[0]), high: group(buckets[buckets.length - 1]) });
  }
  const items = groupByItem(
    rows.map((r) => ({
      id: r.id,
      value: r.value,
      correct: r.correct,
      length: r.length,
      difficulty: r.difficulty,
    })),
  );
  return {
    n: m.n,
    acc: m.acc,
    hAcc: m.hAcc,
    meanLength: m.meanLength,
    valueDensity: m.valueDensity,
    topAcc: m.top20Acc,
    bottomAcc: m.bottom20Acc,
    workedShare: m.workedShare,
    truncatedShare: m.truncatedShare,
    byDifficulty: m.byDifficulty.map((d) => ({
      difficulty: d.difficulty,
      n: d.n,
      acc: d.acc,
      meanLength: d.meanLength,
      workedShare: d.workedShare,
    })),
    withinDifficulty: within,
    lengthByValue: lengthByValueBucket(items, LENGTH_BUCKETS).map((b) => ({
      bucket: b.bucket,
      lo: b.lo,
      hi: b.hi,
      items: b.items,
      acc: b.acc,
      meanLength: b.meanLength,
    })),
    eos: { prompts: m.eos.high.prompts, high: m.eos.high.meanEosProb, low: m.eos.low.meanEosProb },
    valueGain: withinDifficultyValueGain(rows),
  };
}

/** Held-out evaluations logged during training (records with eval/*). */
export function curveFromLog(log: readonly LogRecord[]): CurvePoint[] {
  return log
    .filter((r) => typeof r["eval/acc"] === "number")
    .map((r) => ({
      step: r.step,
      acc: num(r, "eval/acc"),
      hAcc: num(r, "eval/h_acc"),
      length: num(r, "eval/response_length"),
      workedShare: num(r, "eval/worked_share"),
    }));
}

/** The per-step training statistics (step ≥ 1) under the spec's names. */
export function traceFromLog(log: readonly LogRecord[]): TracePoint[] {
  return log
    .filter((r) => r.step >= 1 && typeof r["critic/score/mean"] === "number")
    .map((r) => ({
      step: r.step,
      score: num(r, "critic/score/mean"),
      reward: num(r, "critic/rewards/mean"),
      length: num(r, "response_length/mean"),
      pgLoss: num(r, "actor/pg_loss"),
      gradNorm: num(r, "actor/grad_norm"),
      entropy: num(r, "actor/entropy"),
      kl: num(r, "actor/kl_loss"),
      ...(typeof r["rollout/tokens_hash"] === "number"
        ? { tokensHash: r["rollout/tokens_hash"] as number }
        : {}),
    }));
}

/**
 * Mean over steps of the per-bucket EOS-logit gradient (signed and magnitude), weighting each step
 * by the prompts it had in the bucket; buckets with no prompt at all give NaN.
 */
export function eosGradientFromLog(log: readonly LogRecord[], buckets: number) {
  const first = log.find((r) => r.step === 1);
  const firstStep = new Array(buckets)
    .fill(0)
    .map((_, b) =>
      first && num(first, `eos_grad/value_bucket_${b}_prompts`) > 0
        ? num(first, `eos_grad_abs/value_bucket_${b}`)
        : Number.NaN,
    );
  const abs = new Array(buckets).fill(0);
  const signed = new Array(buckets).fill(0);
  const count = new Array(buckets).fill(0);
  for (const r of log) {
    if (r.step < 1) continue;
    for (let b = 0; b < buckets; b++) {
      const n = num(r, `eos_grad/value_bucket_${b}_prompts`);
      if (!(n > 0)) continue;
      abs[b] += n * num(r, `eos_grad_abs/value_bucket_${b}`);
      signed[b] += n * num(r, `eos_grad/value_bucket_${b}`);
      count[b] += n;
    }
  }
  return {
    abs: abs.map((s, b) => (count[b] ? s / count[b] : Number.NaN)),
    signed: signed.map((s, b) => (count[b] ? s / count[b] : Number.NaN)),
    firstStep,
  };
}

/** Where two runs' step logs first differ, and how far apart they are. */
export interface TraceComparison {
  steps: number;
  /** Steps whose every traced statistic (reward aside) is bit-identical. */
  identicalSteps: number;
  /** First step where any traced statistic differs (null: none). */
  firstDifference: number | null;
  /** Steps whose sampled behaviour (mean score and mean length of the rollouts) is identical. */
  sameBehaviourSteps: number;
  /** First step whose rollouts differ in score or length (null: none). */
  firstBehaviourDifference: number | null;
  /**
   * Steps whose sampled token sequences are identical (equal rollout hashes), and the steps both
   * traces carry a hash for (0 when either record predates the hash).
   */
  sameTokenSteps: number;
  hashedSteps: number;
  /** First step whose sampled tokens differ (null: none, or no hashes). */
  firstTokenDifference: number | null;
  /** Largest |difference| of the per-step mean score and mean length over all steps. */
  maxScoreDiff: number;
  maxLengthDiff: number;
  /** Largest relative difference of the policy loss and the gradient norm, magnitudes floored at 1e-6 (rounding shows here first). */
  maxLossRelDiff: number;
}

/**
 * |x − y| relative to the larger magnitude, floored at 1e-6: a policy loss whose advantages cancel
 * to ~0 (1e-11 against 0) is rounding, not a relative difference of 100%.
 */
const relDiff = (x: number, y: number) =>
  x === y ? 0 : Math.abs(x - y) / Math.max(Math.abs(x), Math.abs(y), 1e-6);

export function compareTraces(a: readonly TracePoint[], b: readonly TracePoint[]): TraceComparison {
  const steps = Math.min(a.length, b.length);
  const out: TraceComparison = {
    steps,
    identicalSteps: 0,
    firstDifference: null,
    sameBehaviourSteps: 0,
    firstBehaviourDifference: null,
    sameTokenSteps: 0,
    hashedSteps: 0,
    firstTokenDifference: null,
    maxScoreDiff: 0,
    maxLengthDiff: 0,
    maxLossRelDiff: 0,
  };
  // The reward differs by design (s(x)·c vs c); the policy's trajectory is what must match.
  const keys: Array<keyof TracePoint> = ["score", "length", "pgLoss", "gradNorm", "entropy", "kl"];
  for (let i = 0; i < steps; i++) {
    const x = a[i];
    const y = b[i];
    if (keys.every((k) => Object.is(x[k], y[k]))) out.identicalSteps++;
    else out.firstDifference ??= x.step;
    if (Object.is(x.score, y.score) && Object.is(x.length, y.length)) out.sameBehaviourSteps++;
    else out.firstBehaviourDifference ??= x.step;
    if (x.tokensHash !== undefined && y.tokensHash !== undefined) {
      out.hashedSteps++;
      if (x.tokensHash === y.tokensHash) out.sameTokenSteps++;
      else out.firstTokenDifference ??= x.step;
    }
    out.maxScoreDiff = Math.max(out.maxScoreDiff, Math.abs(x.score - y.score));
    out.maxLengthDiff = Math.max(out.maxLengthDiff, Math.abs(x.length - y.length));
    out.maxLossRelDiff = Math.max(
      out.maxLossRelDiff,
      relDiff(x.pgLoss, y.pgLoss),
      relDiff(x.gradNorm, y.gradNorm),
    );
  }
  // A run that stopped early differs from the step after its last one.
  if (a.length !== b.length) {
    const next = (a[steps - 1]?.step ?? 0) + 1;
    out.firstDifference ??= next;
    out.firstBehaviourDifference ??= next;
  }
  return out;
}

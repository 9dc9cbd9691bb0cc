import { maskedMeanVar, type Numbers } from "./masked.js";

/** Per-step rollout statistics, named as docs/method.md#step-statistics names them (verl's names). */
export interface RolloutStats {
  "critic/score/mean": number;
  "critic/score/max": number;
  "critic/score/min": number;
  "critic/rewards/mean": number;
  "critic/rewards/max": number;
  "critic/rewards/min": number;
  "critic/advantages/mean": number;
  "critic/advantages/max": number;
  "critic/advantages/min": number;
  "response_length/mean": number;
  "response_length/max": number;
  "response_length/min": number;
  /** Share of responses that hit the length cap (cut off, no EOS). */
  "response_length/clip_ratio": number;
}

export interface RolloutStatsInput {
  /** Per-sequence 0–1 correctness scores (B). */
  scores: Numbers;
  /** Per-sequence rewards that drove the advantages (B). */
  rewards: Numbers;
  /** B×T per-token advantages. */
  advantages: Numbers;
  /** B×T response mask. */
  mask: Numbers;
  /** Response lengths in tokens (B). */
  lengths: Numbers;
  /** The response-length cap of the sampler. */
  maxResponseLength: number;
}

function summary(values: Numbers): { mean: number; max: number; min: number } {
  if (values.length === 0) return { mean: 0, max: 0, min: 0 };
  let sum = 0;
  let max = Number.NEGATIVE_INFINITY;
  let min = Number.POSITIVE_INFINITY;
  for (let i = 0; i < values.length; i++) {
    sum += values[i];
    if (values[i] > max) max = values[i];
    if (values[i] < min) min = values[i];
  }
  return { mean: sum / values.length, max, min };
}

/**
 * The rollout statistics of one step: score and reward summaries per sequence, advantages over
 * valid tokens only (as verl), response length and the share of responses at the cap.
 */
export function rolloutStats(input: RolloutStatsInput): RolloutStats {
  const score = summary(input.scores);
  const reward = summary(input.rewards);
  const length = summary(input.lengths);
  const { mean: advMean, count } = maskedMeanVar(input.advantages, input.mask);
  let advMax = Number.NEGATIVE_INFINITY;
  let advMin = Number.POSITIVE_INFINITY;
  for (let i = 0; i < input.mask.length; i++) {
    if (!(input.mask[i] > 0)) continue;
    if (input.advantages[i] > advMax) advMax = input.advantages[i];
    if (input.advantages[i] < advMin) advMin = input.advantages[i];
  }
  let capped = 0;
  for (let i = 0; i < input.lengths.length; i++) if (input.lengths[i] >= input.maxResponseLength) capped++;
  return {
    "critic/score/mean": score.mean,
    "critic/score/max": score.max,
    "critic/score/min": score.min,
    "critic/rewards/mean": reward.mean,
    "critic/rewards/max": reward.max,
    "critic/rewards/min": reward.min,
    "critic/advantages/mean": advMean,
    "critic/advantages/max": count === 0 ? 0 : advMax,
    "critic/advantages/min": count === 0 ? 0 : advMin,
    "response_length/mean": length.mean,
    "response_length/max": length.max,
    "response_length/min": length.min,
    "response_length/clip_ratio": input.lengths.length === 0 ? 0 : capped / input.lengths.length,
  };
}

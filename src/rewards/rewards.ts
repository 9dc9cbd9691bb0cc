import type { RewardConfig, RewardKind } from "../config/reward.js";
import { meanScale, meanScaleByDifficulty, multiplicativeScale, rlevScale } from "./scale.js";
import { shuffleValues, shuffleValuesWithin, type ValuedItem } from "./shuffle.js";

/** One graded sample, as a reward function sees it. */
export interface RewardInput {
  itemId: string;
  /** Which of the prompt's sampled responses this is. */
  sample: number;
  /** The item's human value v(x). */
  value: number;
  /** Correctness in [0, 1]: 0/1, or a fraction for partial credit. */
  score: number;
  /** Response length in tokens. */
  length: number;
  /** The item's difficulty: uniform-by-difficulty scales by its difficulty's mean s(x). */
  difficulty?: number;
}

/**
 * A scored sample: `reward` drives learning, `score` is the 0–1 correctness (as OpenRLHF separates
 * them), `value` the item's true v(x), `scale` the s(x) that multiplied the score.
 */
export interface Scored {
  itemId: string;
  sample: number;
  reward: number;
  score: number;
  value: number;
  scale: number;
  length: number;
}

/** What a reward kind may need beyond the sample, resolved once per train set by {@link makeRewardFn}. */
export interface RewardContext {
  cfg: RewardConfig;
  /** s̄ for the uniform kind (cfg.uniformScale, or the train-set mean of s(x)); null when not resolved. */
  uniformScale: number | null;
  /** Item id → shuffled value for the shuffled and shuffled-within kinds; null when not resolved. */
  shuffled: ReadonlyMap<string, number> | null;
  /** Difficulty → train-set mean s(x) for uniform-by-difficulty; null when not resolved. */
  scaleByDifficulty: ReadonlyMap<number, number> | null;
}

export type RewardKindFn = (input: RewardInput, ctx: RewardContext) => Scored;

/** Correctness only (docs/method.md#baselines-and-ablations): `r = 1_correct` (the score itself under partial credit). */
export function correctnessReward(score: number): number {
  return score;
}

/** RLEV (docs/method.md#rlev-reward): `r = s(x)·1_correct`, `s(x) = 1 + min(α·v, clip)`. */
export function rlevReward(value: number, score: number, alpha = 10, clip = 1): number {
  return rlevScale(value, alpha, clip) * score;
}

/** Uniform scaling (docs/method.md#baselines-and-ablations): `r = s̄·1_correct`. */
export function uniformReward(score: number, scale: number): number {
  return scale * score;
}

/** Purely multiplicative (docs/method.md#baselines-and-ablations): `r = (1 + α·v)·1_correct`. */
export function multiplicativeReward(value: number, score: number, alpha = 10): number {
  return multiplicativeScale(value, alpha) * score;
}

/** The optional per-token length cost ("exam time"), subtracted from every sample's reward. */
export function lengthPenalty(length: number, lengthCost: number): number {
  return lengthCost * length;
}

function scored(input: RewardInput, scale: number, cfg: RewardConfig): Scored {
  return {
    itemId: input.itemId,
    sample: input.sample,
    reward: scale * input.score - lengthPenalty(input.length, cfg.lengthCost),
    score: input.score,
    value: input.value,
    scale,
    length: input.length,
  };
}

/** The reward variants by kind (docs/method.md#baselines-and-ablations); `reward.kind` picks one. */
export const rewards: Record<RewardKind, RewardKindFn> = {
  correctness: (input, ctx) => scored(input, 1, ctx.cfg),
  rlev: (input, ctx) => scored(input, rlevScale(input.value, ctx.cfg.alpha, ctx.cfg.clip), ctx.cfg),
  uniform: (input, ctx) => {
    if (ctx.uniformScale === null)
      throw new RangeError("the uniform reward needs s̄: set reward.uniformScale or give the train set");
    return scored(input, ctx.uniformScale, ctx.cfg);
  },
  shuffled: (input, ctx) => {
    const v = ctx.shuffled?.get(input.itemId);
    if (v === undefined)
      throw new RangeError(
        `item "${input.itemId}" is not in the train set whose values were shuffled (the shuffled reward covers train items only)`,
      );
    return scored(input, rlevScale(v, ctx.cfg.alpha, ctx.cfg.clip), ctx.cfg);
  },
  multiplicative: (input, ctx) => scored(input, multiplicativeScale(input.value, ctx.cfg.alpha), ctx.cfg),
  "shuffled-within": (input, ctx) => {
    const v = ctx.shuffled?.get(input.itemId);
    if (v === undefined)
      throw new RangeError(
        `item "${input.itemId}" is not in the train set whose values were shuffled within difficulties (shuffled-within covers train items only)`,
      );
    return scored(input, rlevScale(v, ctx.cfg.alpha, ctx.cfg.clip), ctx.cfg);
  },
  "uniform-by-difficulty": (input, ctx) => {
    if (input.difficulty === undefined)
      throw new RangeError(`item "${input.itemId}": uniform-by-difficulty needs the item's difficulty`);
    const s = ctx.scaleByDifficulty?.get(input.difficulty);
    if (s === undefined)
      throw new RangeError(
        `item "${input.itemId}": no train item has difficulty ${input.difficulty} (uniform-by-difficulty knows ${[...(ctx.scaleByDifficulty?.keys() ?? [])].join(", ")})`,
      );
    return scored(input, s, ctx.cfg);
  },
};

function checkInput(input: RewardInput): void {
  if (!(Number.isFinite(input.value) && input.value >= 0))
    throw new RangeError(`item "${input.itemId}": value must be a finite number ≥ 0, got ${input.value}`);
  if (!(input.score >= 0 && input.score <= 1))
    throw new RangeError(`item "${input.itemId}": score must lie in [0, 1], got ${input.score}`);
  if (input.difficulty !== undefined && !Number.isFinite(input.difficulty))
    throw new RangeError(
      `item "${input.itemId}": difficulty must be a finite number, got ${input.difficulty}`,
    );
  if (!(Number.isFinite(input.length) && input.length >= 0))
    throw new RangeError(`item "${input.itemId}": length must be a finite number ≥ 0, got ${input.length}`);
}

/** Resolves what the configured kind needs from the train set (s̄, the value shuffle), once. */
export function makeRewardContext(cfg: RewardConfig, train?: readonly ValuedItem[]): RewardContext {
  let uniformScale: number | null = null;
  let shuffled: Map<string, number> | null = null;
  let scaleByDifficulty: Map<number, number> | null = null;
  if (cfg.kind === "uniform") {
    if (cfg.uniformScale !== undefined) uniformScale = cfg.uniformScale;
    else if (train && train.length > 0)
      uniformScale = meanScale(
        train.map((item) => item.value),
        cfg,
      );
    else throw new RangeError("reward.kind=uniform needs reward.uniformScale or a non-empty train set");
  }
  if (cfg.kind === "shuffled") {
    if (!train || train.length === 0) throw new RangeError("reward.kind=shuffled needs the train set");
    shuffled = shuffleValues(train, cfg.shuffleSeed);
  }
  if (cfg.kind === "shuffled-within") {
    if (!train || train.length === 0) throw new RangeError("reward.kind=shuffled-within needs the train set");
    shuffled = shuffleValuesWithin(train, cfg.shuffleSeed);
  }
  if (cfg.kind === "uniform-by-difficulty") {
    if (!train || train.length === 0)
      throw new RangeError(
        "reward.kind=uniform-by-difficulty needs the train set (with each item's difficulty)",
      );
    scaleByDifficulty = meanScaleByDifficulty(train, cfg);
  }
  return { cfg, uniformScale, shuffled, scaleByDifficulty };
}

export type RewardFn = ((input: RewardInput) => Scored) & { readonly context: RewardContext };

/**
 * The configured reward as one function of a graded sample. The uniform scale and the value
 * shuffle are resolved here, once, from the train set (`{id, value}` records; Items qualify).
 */
export function makeRewardFn(cfg: RewardConfig, trainValues?: readonly ValuedItem[]): RewardFn {
  const context = makeRewardContext(cfg, trainValues);
  const kindFn = rewards[cfg.kind];
  if (!kindFn)
    throw new RangeError(`unknown reward kind "${cfg.kind}" (known: ${Object.keys(rewards).join(", ")})`);
  const fn = (input: RewardInput): Scored => {
    checkInput(input);
    return kindFn(input, context);
  };
  return Object.assign(fn, { context });
}

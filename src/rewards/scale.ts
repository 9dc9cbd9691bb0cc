import type { RewardConfig } from "../config/reward.js";

/**
 * The value scales of docs/method.md#rewards: how much a correct answer to a prompt of value v is worth.
 * Formulas only; rewards.ts turns them into rewards.
 */

/** RLEV's scale (docs/method.md#rlev-reward): `s(x) = 1 + min(α·v(x), clip)`, α = 10 and clip = 1 by default, so s ∈ [1, 2]. */
export function rlevScale(value: number, alpha = 10, clip = 1): number {
  return 1 + Math.min(alpha * value, clip);
}

/** The purely multiplicative ablation's scale (docs/method.md#baselines-and-ablations): `1 + α·v(x)`, no clip. */
export function multiplicativeScale(value: number, alpha = 10): number {
  return 1 + alpha * value;
}

/**
 * Uniform scaling's constant (docs/method.md#baselines-and-ablations): `s̄`, the mean of RLEV's s(x) over the train set, so that
 * the uniform ablation has RLEV's mean reward scale without its per-prompt variation.
 */
export function meanScale(values: ArrayLike<number>, cfg: Pick<RewardConfig, "alpha" | "clip">): number {
  if (values.length === 0) throw new RangeError("meanScale needs at least one train-set value");
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += rlevScale(values[i], cfg.alpha, cfg.clip);
  return sum / values.length;
}

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

/**
 * RLEV's mean scale per difficulty (control `uniform-by-difficulty`): difficulty → mean s(x) of the
 * train items of that difficulty, so the control has RLEV's scale at every difficulty without the
 * values' variation within it.
 */
export function meanScaleByDifficulty(
  train: ReadonlyArray<{ id: string; value: number; difficulty?: number }>,
  cfg: Pick<RewardConfig, "alpha" | "clip">,
): Map<number, number> {
  const sums = new Map<number, { sum: number; n: number }>();
  for (const item of train) {
    if (item.difficulty === undefined || !Number.isFinite(item.difficulty))
      throw new RangeError(`train item "${item.id}" has no difficulty (uniform-by-difficulty needs one)`);
    const g = sums.get(item.difficulty) ?? { sum: 0, n: 0 };
    g.sum += rlevScale(item.value, cfg.alpha, cfg.clip);
    g.n += 1;
    sums.set(item.difficulty, g);
  }
  return new Map([...sums].map(([d, g]) => [d, g.sum / g.n]));
}

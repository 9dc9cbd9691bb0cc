import type { RlConfig } from "../config/rl.js";
import { aggregationWeights } from "./aggregation.js";
import { klEstimators } from "./kl.js";
import { assertTokenShape, type BatchShape, maskedMean, type Numbers } from "./masked.js";

/**
 * The clipped policy loss of docs/method.md#policy-loss: pure-TypeScript reference of what the training step in
 * model/ computes, including the derivative of the total loss with respect to each token's
 * log-prob (so the engine's gradient can be checked against it).
 */

/** Bound of `logp − logp_old` before the exponential (docs/method.md#clipped-surrogate). */
export const LOG_RATIO_CLAMP = 20;

/** Clip settings of the PPO loss (a subset of RlConfig). */
export interface ClipOptions {
  /** ε_low: the ratio is clipped below at 1 − ε_low. */
  clipLow: number;
  /** ε_high: the ratio is clipped above at 1 + ε_high (clip-higher when > ε_low). */
  clipHigh: number;
  /** Dual-clip constant c (> 1) bounding the loss of negative advantages at −c·A; null disables it. */
  dualClip: number | null;
}

/** One token's clipped loss and what it says about clipping. */
export interface TokenPgLoss {
  loss: number;
  /** d loss / d logp (0 where a clamp or clip makes the loss constant). */
  grad: number;
  /** The clipped branch won: `−A·clip(ρ) > −A·ρ` (verl's pg_clipfrac). */
  clipped: boolean;
  /** The dual clip bound won (A < 0 and `max(...) > −c·A`). */
  dualClipped: boolean;
  /** `logp − logp_old` after the ±20 clamp. */
  logRatio: number;
}

/**
 * The PPO clipped surrogate for one token (docs/method.md#clipped-surrogate): `ρ = exp(clamp(logp − old, −20, 20))`,
 * `l = max(−A·ρ, −A·clamp(ρ, 1 − ε_low, 1 + ε_high))`, and with a dual clip c, for A < 0,
 * `l = min(l, −c·A)`.
 */
export function ppoClipTokenLoss(
  logp: number,
  oldLogp: number,
  advantage: number,
  clip: ClipOptions,
): TokenPgLoss {
  const raw = logp - oldLogp;
  const logRatio = Math.min(Math.max(raw, -LOG_RATIO_CLAMP), LOG_RATIO_CLAMP);
  const ratio = Math.exp(logRatio);
  const a = advantage;
  const unclipped = -a * ratio;
  const clippedLoss = -a * Math.min(Math.max(ratio, 1 - clip.clipLow), 1 + clip.clipHigh);
  const clipped = clippedLoss > unclipped;
  let loss = clipped ? clippedLoss : unclipped;
  // The unclipped branch carries the gradient −A·ρ unless the ±20 clamp holds the ratio constant.
  let grad = clipped || raw !== logRatio ? 0 : -a * ratio;
  let dualClipped = false;
  if (clip.dualClip !== null && a < 0) {
    const bound = -a * clip.dualClip;
    if (loss > bound) {
      loss = bound;
      grad = 0;
      dualClipped = true;
    }
  }
  return { loss, grad, clipped, dualClipped, logRatio };
}

/** Per-token losses of a policy loss over a padded batch, with their derivatives. */
export interface PgTokenLosses {
  losses: Float64Array;
  grads: Float64Array;
  /** Share of valid tokens whose clipped branch won. */
  clipfrac: number;
  /** Share of valid tokens where the dual clip bound won. */
  clipfracLower: number;
  /** Mean over valid tokens of `logp_old − logp` (clamped), verl's ppo_kl. */
  ppoKl: number;
}

export type PolicyLossFn = (
  logprobs: Numbers,
  oldLogprobs: Numbers,
  advantages: Numbers,
  mask: Numbers,
  clip: ClipOptions,
) => PgTokenLosses;

/** The vanilla PPO clipped loss (clip-higher and dual clip included) over a batch. */
export function ppoClipLosses(
  logprobs: Numbers,
  oldLogprobs: Numbers,
  advantages: Numbers,
  mask: Numbers,
  clip: ClipOptions,
): PgTokenLosses {
  const n = mask.length;
  const losses = new Float64Array(n);
  const grads = new Float64Array(n);
  const clippedFlags = new Float64Array(n);
  const lowerFlags = new Float64Array(n);
  const negLogRatio = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (!(mask[i] > 0)) continue;
    const r = ppoClipTokenLoss(logprobs[i], oldLogprobs[i], advantages[i], clip);
    losses[i] = r.loss;
    grads[i] = r.grad;
    clippedFlags[i] = r.clipped ? 1 : 0;
    lowerFlags[i] = r.dualClipped ? 1 : 0;
    negLogRatio[i] = -r.logRatio;
  }
  return {
    losses,
    grads,
    clipfrac: maskedMean(clippedFlags, mask),
    clipfracLower: maskedMean(lowerFlags, mask),
    ppoKl: maskedMean(negLogRatio, mask),
  };
}

/** The policy losses by name (verl's "vanilla" = PPO clip with clip-higher and dual clip). */
export const policyLosses: Record<"vanilla", PolicyLossFn> = {
  vanilla: ppoClipLosses,
};

export interface PolicyLossInput extends BatchShape {
  /** B×T log-probs under the policy being trained. */
  logprobs: Numbers;
  /** B×T log-probs under the sampling policy. */
  oldLogprobs: Numbers;
  /** B×T per-token advantages. */
  advantages: Numbers;
  /** B×T response mask. */
  mask: Numbers;
  /** B×T reference log-probs; required when the KL is in the loss. */
  refLogprobs?: Numbers;
  /** B×T per-token entropy of the policy; required when entropyCoef ≠ 0. */
  entropy?: Numbers;
}

/** Statistics of the loss, named as docs/method.md#step-statistics names them. */
export interface PolicyLossStats {
  "actor/pg_loss": number;
  "actor/pg_clipfrac": number;
  "actor/pg_clipfrac_lower": number;
  "actor/ppo_kl": number;
  /** Aggregated entropy; NaN when no entropy was given. */
  "actor/entropy": number;
  /** Aggregated KL to the reference (before the coefficient); 0 when the KL is not in the loss. */
  "actor/kl_loss": number;
}

export interface PolicyLossResult {
  /** `pg_loss − entropyCoef·entropy + klCoef·kl_loss` (the KL term only with klPlacement "loss"). */
  loss: number;
  stats: PolicyLossStats;
  /** B×T derivative of `loss` with respect to `logprobs` (the entropy term excluded: it depends on logits). */
  gradLogprobs: Float64Array;
}

export type PolicyLossConfig = Pick<
  RlConfig,
  | "clipLow"
  | "clipHigh"
  | "dualClip"
  | "aggregation"
  | "klPlacement"
  | "klEstimator"
  | "klCoef"
  | "entropyCoef"
> & { lossNormLength?: number };

/**
 * The full actor loss of docs/method.md#policy-loss for one batch: the vanilla clipped policy-gradient loss, the
 * KL to the reference (when `klPlacement` is "loss") and an entropy bonus, each per token and then
 * aggregated with `cfg.aggregation` (verl's agg_loss applies the same mode to all three).
 */
export function policyLoss(input: PolicyLossInput, cfg: PolicyLossConfig): PolicyLossResult {
  const shape = { batchSize: input.batchSize, seqLen: input.seqLen };
  assertTokenShape(shape, {
    logprobs: input.logprobs,
    oldLogprobs: input.oldLogprobs,
    advantages: input.advantages,
    mask: input.mask,
    refLogprobs: input.refLogprobs,
    entropy: input.entropy,
  });
  const w = aggregationWeights(cfg.aggregation, input.mask, shape, { normLength: cfg.lossNormLength });
  const pg = policyLosses.vanilla(input.logprobs, input.oldLogprobs, input.advantages, input.mask, cfg);
  const grad = new Float64Array(w.length);
  let pgLoss = 0;
  for (let i = 0; i < w.length; i++) {
    if (w[i] === 0) continue;
    pgLoss += w[i] * pg.losses[i];
    grad[i] = w[i] * pg.grads[i];
  }

  let klLoss = 0;
  const klInLoss = cfg.klPlacement === "loss" && cfg.klCoef !== 0;
  if (klInLoss) {
    if (input.refLogprobs === undefined) throw new RangeError('klPlacement "loss" needs refLogprobs');
    const est = klEstimators[cfg.klEstimator];
    for (let i = 0; i < w.length; i++) {
      if (w[i] === 0) continue;
      klLoss += w[i] * est.value(input.logprobs[i], input.refLogprobs[i]);
      grad[i] += cfg.klCoef * w[i] * est.grad(input.logprobs[i], input.refLogprobs[i]);
    }
  }

  let entropy = Number.NaN;
  if (input.entropy !== undefined) {
    entropy = 0;
    for (let i = 0; i < w.length; i++) if (w[i] !== 0) entropy += w[i] * input.entropy[i];
  } else if (cfg.entropyCoef !== 0) {
    throw new RangeError("entropyCoef ≠ 0 needs the per-token entropy");
  }

  const loss =
    pgLoss + (klInLoss ? cfg.klCoef * klLoss : 0) - (cfg.entropyCoef !== 0 ? cfg.entropyCoef * entropy : 0);
  return {
    loss,
    gradLogprobs: grad,
    stats: {
      "actor/pg_loss": pgLoss,
      "actor/pg_clipfrac": pg.clipfrac,
      "actor/pg_clipfrac_lower": pg.clipfracLower,
      "actor/ppo_kl": pg.ppoKl,
      "actor/entropy": entropy,
      "actor/kl_loss": klLoss,
    },
  };
}

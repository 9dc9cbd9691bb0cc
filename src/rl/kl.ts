import type { KlEstimatorName } from "../config/rl.js";
import type { Numbers } from "./masked.js";

/**
 * KL estimators to a frozen reference policy (docs/method.md#kl-estimators), per token, from the policy's log-prob
 * `logp` and the reference's `ref` of the sampled token. Each comes with its derivative with
 * respect to `logp`, so that a training step's gradient can be checked against this reference.
 */

/** k1 (docs/method.md#kl-estimators): `logp − ref`. */
export function k1(logp: number, ref: number): number {
  return logp - ref;
}

/** k2 (docs/method.md#kl-estimators): `½(logp − ref)²`. */
export function k2(logp: number, ref: number): number {
  const d = logp - ref;
  return 0.5 * d * d;
}

/** Bound of k3's result (docs/method.md#kl-estimators: clamped to ±10). */
export const K3_CLAMP = 10;
/** Bound of k3's exponent, as verl's low_var_kl, so that exp never overflows; it never changes a clamped result. */
export const K3_LOG_RATIO_CLAMP = 20;

/**
 * k3 (docs/method.md#kl-estimators): `exp(ref − logp) − (ref − logp) − 1`, clamped to ±10. The value is never negative
 * (e^x ≥ 1 + x), so only the upper bound binds.
 */
export function k3(logp: number, ref: number): number {
  const x = Math.min(Math.max(ref - logp, -K3_LOG_RATIO_CLAMP), K3_LOG_RATIO_CLAMP);
  // expm1 keeps the result from rounding below 0 for tiny log-ratios.
  const kl = Math.expm1(x) - x;
  return Math.min(Math.max(kl, -K3_CLAMP), K3_CLAMP);
}

/** d k1 / d logp = 1. */
export function k1Grad(_logp: number, _ref: number): number {
  return 1;
}

/** d k2 / d logp = logp − ref. */
export function k2Grad(logp: number, ref: number): number {
  return logp - ref;
}

/** d k3 / d logp = 1 − exp(ref − logp), and 0 where a clamp binds. */
export function k3Grad(logp: number, ref: number): number {
  const x = ref - logp;
  if (Math.abs(x) > K3_LOG_RATIO_CLAMP) return 0;
  if (Math.expm1(x) - x > K3_CLAMP) return 0;
  return -Math.expm1(x);
}

export interface KlEstimator {
  /** The per-token estimate. */
  value(logp: number, ref: number): number;
  /** Its derivative with respect to logp. */
  grad(logp: number, ref: number): number;
}

/** The KL estimators by name (docs/method.md#kl-estimators); `rl.klEstimator` picks one. */
export const klEstimators: Record<KlEstimatorName, KlEstimator> = {
  k1: { value: k1, grad: k1Grad },
  k2: { value: k2, grad: k2Grad },
  k3: { value: k3, grad: k3Grad },
};

/** Per-token KL of a padded batch (0 where the mask is 0). */
export function tokenKl(
  name: KlEstimatorName,
  logprobs: Numbers,
  refLogprobs: Numbers,
  mask: Numbers,
): Float64Array {
  const est = klEstimators[name];
  if (!est) throw new RangeError(`unknown KL estimator "${name}" (known: k1, k2, k3)`);
  if (logprobs.length !== refLogprobs.length || logprobs.length !== mask.length)
    throw new RangeError("logprobs, refLogprobs and mask must have the same length");
  const out = new Float64Array(logprobs.length);
  for (let i = 0; i < out.length; i++) if (mask[i] > 0) out[i] = est.value(logprobs[i], refLogprobs[i]);
  return out;
}

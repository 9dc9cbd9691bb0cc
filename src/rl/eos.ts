import type { Numbers } from "./masked.js";

/**
 * The end-of-sequence mechanism of docs/method.md#end-of-sequence-gradient. For a softmax policy, the derivative of
 * `log π(y_t)` with respect to the EOS logit z_eos at position t is `1[y_t = EOS] − π_eos,t`.
 * A policy-gradient step on one sampled sequence with advantage A therefore moves the EOS logit at
 * position t by `A·(1[y_t = EOS] − π_eos,t)`.
 *
 * Relation to the paper's `∂J/∂z_eos = s(x)·π_e(1−π_e)(p_e − p_¬e)`: at one position, stop (y = EOS)
 * with probability π_e and be correct with probability p_e afterwards, or continue and be correct
 * with p_¬e. With `R = s(x)·1_correct`, the expected per-position term is
 * `E[R·(1[y=EOS] − π_e)] = π_e·s·p_e·(1−π_e) + (1−π_e)·s·p_¬e·(−π_e) = s·π_e(1−π_e)(p_e − p_¬e)`;
 * a baseline constant in y adds `b·E[1[y=EOS] − π_e] = 0`. So s(x) scales the push on the EOS
 * logit: value-weighted rewards stop earlier where stopping costs little and later where it costs
 * much, in proportion to the value. Under std-normalized GRPO, A no longer carries s(x) and the
 * scaling disappears (docs/method.md#grpo-cancels-the-value).
 */

/**
 * Per-sequence gradient of `A·log π(y)` with respect to the EOS logit, summed over positions:
 * `Σ_t A·(1[y_t = EOS] − π_eos,t)`, for the generated `tokens` and the EOS probabilities at the
 * same positions (model/policy.ts's `SampleResult.eosProbs`).
 */
export function eosLogitGradient(
  advantage: number,
  eosProbs: Numbers,
  tokens: Numbers,
  eosId: number,
): number {
  if (eosProbs.length !== tokens.length)
    throw new RangeError(`eosProbs has ${eosProbs.length} entries but tokens has ${tokens.length}`);
  let sum = 0;
  for (let t = 0; t < tokens.length; t++) sum += (tokens[t] === eosId ? 1 : 0) - eosProbs[t];
  return advantage * sum;
}

/**
 * The paper's expected EOS-logit gradient at one position (docs/method.md#end-of-sequence-gradient):
 * `s(x)·π_e(1−π_e)(p_e − p_¬e)`, with `pStop` = p_e the chance of a correct answer when stopping
 * here and `pContinue` = p_¬e when continuing.
 */
export function expectedEosLogitGradient(
  scale: number,
  piEos: number,
  pStop: number,
  pContinue: number,
): number {
  return scale * piEos * (1 - piEos) * (pStop - pContinue);
}

import { estimators } from "./estimators.js";

/**
 * Whether the value s(x) reaches the gradient under a given advantage estimator (docs/method.md#grpo-cancels-the-value).
 * s(x) is constant within a group (every sample of a group shares the prompt), so an estimator
 * that divides each group's rewards by that group's own std turns s(x)·c into (c − mean_c)/std_c:
 * the value cancels and RLEV trains exactly like correctness-only. Centering alone, a leave-one-out
 * baseline or a batch-wide std keep s(x) as a per-prompt weight.
 *
 * Names are rlev's own (`rl.estimator`) plus the spellings of the trainers rlev exports to.
 */

/** Estimators that divide each group by its own std: the value has no effect. */
const GROUP_STD: Record<string, string> = {
  grpo: 'rlev and verl (verl: with algorithm.norm_adv_by_std_in_grpo=True, its default); TRL\'s default scale_rewards="group"',
  grpo_vectorized: "verl",
  group_norm: "OpenRLHF (unless --algo.advantage.no_std_norm)",
  "scale_rewards=group": "TRL GRPOConfig",
};

/** Trainer names whose advantages keep s(x) (rlev's own come from src/rl/estimators.ts). */
const KEEPS_VALUE: Record<string, string> = {
  rloo_vectorized: "verl",
  reinforce_plus_plus: "verl",
  reinforce_plus_plus_baseline: "verl",
  remax: "verl",
  gae: "verl, OpenRLHF (critic)",
  reinforce: "OpenRLHF (REINFORCE++)",
  reinforce_baseline: "OpenRLHF",
  dr_grpo: "OpenRLHF",
  "scale_rewards=batch": "TRL GRPOConfig",
  "scale_rewards=none": "TRL GRPOConfig",
};

export type ValueVerdict = "cancels" | "keeps" | "unknown";

export function valueUnderEstimator(name: string): ValueVerdict {
  const key = name.trim().toLowerCase();
  if (key in GROUP_STD) return "cancels";
  if (key in estimators || key in KEEPS_VALUE) return "keeps";
  return "unknown";
}

export const KNOWN_ESTIMATORS: readonly string[] = [
  ...new Set([...Object.keys(estimators), ...Object.keys(GROUP_STD), ...Object.keys(KEEPS_VALUE)]),
];

const ALTERNATIVES =
  'rloo, reinforce_pp (verl reinforce_plus_plus, OpenRLHF reinforce), drgrpo (verl algorithm.norm_adv_by_std_in_grpo=False, OpenRLHF dr_grpo, TRL scale_rewards="none") or grpo_batch_std (TRL scale_rewards="batch")';

/**
 * The one line to print for the estimator a user will train with, or null when the value reaches
 * the gradient. `valueMatters` is false for rewards that carry no per-item value (correctness).
 */
export function estimatorWarning(name: string, valueMatters = true): string | null {
  if (!valueMatters) return null;
  const verdict = valueUnderEstimator(name);
  if (verdict === "keeps") return null;
  if (verdict === "cancels")
    return `warning: estimator "${name}" divides each group's rewards by that group's std, so s(x) (the value) cancels and RLEV trains exactly like correctness-only; use ${ALTERNATIVES}`;
  return `note: rlev does not know estimator "${name}" (known: ${KNOWN_ESTIMATORS.join(", ")}); the value has an effect only if it does not divide each group by its own std`;
}

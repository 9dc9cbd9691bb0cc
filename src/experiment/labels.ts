/** Display names of the estimators, for tables and claims. */
export const ESTIMATOR_LABELS: Record<string, string> = {
  reinforce_pp: "REINFORCE++",
  reinforce_pp_baseline: "REINFORCE++-baseline",
  rloo: "RLOO",
  grpo: "GRPO",
  drgrpo: "Dr. GRPO",
  grpo_batch_std: "GRPO (batch std)",
  grpo_value: "GRPO (value after normalization)",
};

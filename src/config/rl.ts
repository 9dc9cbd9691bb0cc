import { z } from "zod";

export const ESTIMATORS = [
  "grpo",
  "drgrpo",
  "grpo_batch_std",
  "grpo_value",
  "rloo",
  "reinforce_pp",
  "reinforce_pp_baseline",
] as const;
export const KL_ESTIMATORS = ["k1", "k2", "k3"] as const;
export const AGGREGATIONS = ["token-mean", "seq-mean-token-mean", "seq-mean-token-sum-norm"] as const;
export type EstimatorName = (typeof ESTIMATORS)[number];
export type KlEstimatorName = (typeof KL_ESTIMATORS)[number];
export type AggregationName = (typeof AGGREGATIONS)[number];

/** Advantage estimator and policy loss settings (docs/method.md#advantage-estimators, docs/method.md#policy-loss). */
export const RlConfigSchema = z
  .object({
    estimator: z.enum(ESTIMATORS).default("rloo"),
    /** epsilon in GRPO's (R - mean) / (std + eps). */
    grpoEps: z.number().positive().default(1e-6),
    /** Where the KL to the reference policy goes: in the reward (REINFORCE++), in the loss (GRPO), or nowhere. */
    klPlacement: z.enum(["reward", "loss", "none"]).default("loss"),
    klEstimator: z.enum(KL_ESTIMATORS).default("k3"),
    klCoef: z.number().nonnegative().default(0.001),
    clipLow: z.number().positive().default(0.2),
    clipHigh: z.number().positive().default(0.2),
    /** Dual clip constant c (> 1) for negative advantages; null disables it. */
    dualClip: z.number().gt(1).nullable().default(null),
    aggregation: z.enum(AGGREGATIONS).default("token-mean"),
    /**
     * Divisor of seq-mean-token-sum-norm (Dr. GRPO's constant: the max response length); when absent,
     * the padded width T of the batch.
     */
    lossNormLength: z.number().int().positive().optional(),
    entropyCoef: z.number().default(0),
  })
  .strict();
export type RlConfig = z.infer<typeof RlConfigSchema>;

import { z } from "zod";

/** Greedy evaluation of a checkpoint on held-out exams. */
export const EvalConfigSchema = z
  .object({
    /** The checkpoint to evaluate (`rlev eval`). */
    checkpoint: z.string().nullable().default(null),
    split: z.enum(["test", "train"]).default("test"),
    /** Evaluate only the first N questions of the split (null: all of them). */
    limit: z.number().int().min(1).nullable().default(null),
    maxNewTokens: z.number().int().min(1).default(24),
    /** Prompts decoded together. */
    batchSize: z.number().int().min(1).default(256),
    /** EOS trajectories: this many highest- and lowest-value prompts (docs/method.md#metrics uses 200). */
    eosPrompts: z.number().int().min(1).default(200),
    /** Value buckets (quantiles) for length and worked share within each difficulty. */
    valueBuckets: z.number().int().min(1).default(3),
    /** Bootstrap resamples for the confidence intervals of Acc and H-Acc (0: none). */
    bootstrap: z.number().int().nonnegative().default(1000),
  })
  .strict();
export type EvalConfig = z.infer<typeof EvalConfigSchema>;

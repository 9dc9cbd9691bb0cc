import { z } from "zod";

/**
 * The RL loop: sample n responses per prompt, verify, reward, advantages, clipped policy-gradient
 * updates with a KL to the frozen warm-up policy (the loss itself is configured in `rl`).
 */
export const TrainConfigSchema = z
  .object({
    /** The warm-up checkpoint the policy and the frozen reference start from (required for `rlev train`). */
    init: z.string().nullable().default(null),
    steps: z.number().int().min(1).default(60),
    promptsPerStep: z.number().int().min(1).default(16),
    samplesPerPrompt: z.number().int().min(1).default(8),
    /** Response-length cap; a response that reaches it without end-of-sequence is truncated (and wrong). */
    maxNewTokens: z.number().int().min(1).default(24),
    temperature: z.number().positive().default(1),
    topP: z.number().gt(0).lte(1).default(1),
    lr: z.number().positive().default(2e-4),
    /** Linear learning-rate warm-up over this many steps, then constant. */
    warmupSteps: z.number().int().nonnegative().default(0),
    /** PPO epochs over each rollout batch, and mini-batches per epoch (optimizer steps = product). */
    ppoEpochs: z.number().int().min(1).default(1),
    miniBatches: z.number().int().min(1).default(2),
    checkpointEvery: z.number().int().min(1).default(10),
    /** Checkpoints kept on disk (oldest removed first); the latest always survives. */
    keepCheckpoints: z.number().int().min(1).default(2),
    /** Greedy evaluation on held-out questions every this many steps, and at step 0 (0: never during training). */
    evalEvery: z.number().int().nonnegative().default(20),
    evalItems: z.number().int().min(1).default(250),
    /** Abort after this many consecutive steps whose update was skipped for a non-finite loss or gradient. */
    maxNonFiniteSteps: z.number().int().min(1).default(5),
    /** Value buckets (quantiles of the train values) for the EOS-logit gradient summary. */
    valueBuckets: z.number().int().min(1).default(3),
  })
  .strict()
  // Equal mini-batches keep every optimizer step at one padded shape (one jit trace).
  .refine((c) => (c.promptsPerStep * c.samplesPerPrompt) % c.miniBatches === 0, {
    message: "miniBatches must divide promptsPerStep x samplesPerPrompt",
    path: ["miniBatches"],
  });
export type TrainConfig = z.infer<typeof TrainConfigSchema>;

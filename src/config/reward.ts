import { z } from "zod";

/** Reward variants of docs/method.md#baselines-and-ablations (one function each in rewards/). */
export const REWARD_KINDS = [
  "correctness",
  "rlev",
  "uniform",
  "shuffled",
  "multiplicative",
  "shuffled-within",
  "uniform-by-difficulty",
] as const;
export type RewardKind = (typeof REWARD_KINDS)[number];

export const RewardConfigSchema = z
  .object({
    kind: z.enum(REWARD_KINDS).default("rlev"),
    /** RLEV's alpha in s(x) = 1 + min(alpha * v, clip). */
    alpha: z.number().nonnegative().default(10),
    /** The clip on alpha * v (1 in the paper). */
    clip: z.number().positive().default(1),
    /** Uniform scaling: the constant s̄; when absent it is the train-set mean of s(x). */
    uniformScale: z.number().positive().optional(),
    /** Seed of the value shuffle for the "shuffled" and "shuffled-within" ablations. */
    shuffleSeed: z.number().int().default(0),
    /** Per-token length cost ("exam time"), subtracted from every sample's reward. */
    lengthCost: z.number().nonnegative().default(0),
    /** GAOKAO multi-select rule: half credit for a correct strict subset. */
    partialCredit: z.boolean().default(false),
  })
  .strict();
export type RewardConfig = z.infer<typeof RewardConfigSchema>;

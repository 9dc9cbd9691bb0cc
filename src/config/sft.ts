import { z } from "zod";

/**
 * Warm-up (supervised fine-tuning) on generated solutions of the train exams. Defaults reach
 * reliable worked answers in a few minutes on 2 cores (docs/task.md#how-the-task-was-designed, round 2: lr 1.5e-3,
 * batch 64, 50/50 direct/worked, 250–300 steps). Checkpoint retention and the non-finite abort
 * threshold are shared with the RL loop (`train.keepCheckpoints`, `train.maxNonFiniteSteps`).
 */
export const SftConfigSchema = z
  .object({
    steps: z.number().int().min(1).default(300),
    batchSize: z.number().int().min(1).default(64),
    lr: z.number().positive().default(1.5e-3),
    /** Linear learning-rate warm-up over this many steps, then constant. */
    warmupSteps: z.number().int().nonnegative().default(20),
    /** Share of solutions written with worked steps (the rest answer directly). */
    workedShare: z.number().min(0).max(1).default(0.5),
    /**
     * Per chain length ("5": 0.5), the share of worked solutions for questions of that many steps;
     * lengths not listed use `workedShare`. Lets a warm-up start already settled where the decision
     * is the same under every reward and undecided where the value can change it. Absent by
     * default (absent, not empty, so the committed warm-ups' settings stay as they were).
     */
    workedShareBySteps: z
      .record(z.string().regex(/^[1-9]\d*$/, "keys are chain lengths (1, 2, …)"), z.number().min(0).max(1))
      .optional(),
    /**
     * The capacity probe's value-conditioned rule: write a worked solution iff the question's RLEV
     * stake beats the length price, s(x)·(1 − directAcc) > lengthCost·(extra tokens of working),
     * s(x) = 1 + min(alpha·v, clip); otherwise a direct answer. Overrides workedShare(BySteps).
     * Absent by default.
     */
    workedRule: z
      .object({
        lengthCost: z.number().nonnegative(),
        alpha: z.number().nonnegative().default(10),
        clip: z.number().positive().default(1),
        /** Accuracy of a direct answer (a guess among 10 residues: 0.1). */
        directAcc: z.number().min(0).lt(1).default(0.1),
      })
      .strict()
      .optional(),
    /** Initial checkpoint to continue from; null starts from freshly initialized weights. */
    init: z.string().nullable().default(null),
    checkpointEvery: z.number().int().min(1).default(100),
    /** Sampled-accuracy check on held-out questions every this many steps (0: only at the end). */
    evalEvery: z.number().int().nonnegative().default(100),
    /** Held-out questions in each sampled-accuracy check. */
    evalItems: z.number().int().min(1).default(350),
  })
  .strict();
export type SftConfig = z.infer<typeof SftConfigSchema>;

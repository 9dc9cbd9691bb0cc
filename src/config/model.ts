import { z } from "zod";

/**
 * The embedded policy: a small decoder-only transformer (model/transformer.ts). Defaults are the
 * demo's size (docs/task.md#how-the-task-was-designed, round 2: d_model 128, 2 layers, 4 heads, token shift on, ≈ 0.4M
 * parameters), which learns the single-digit-chain warm-up in a few minutes on 2 cores.
 */
export const ModelConfigSchema = z
  .object({
    /** Vocabulary size; normally taken from the task's tokenizer. */
    vocabSize: z.number().int().min(2).default(32),
    dModel: z.number().int().min(2).default(128),
    nLayers: z.number().int().min(1).default(2),
    nHeads: z.number().int().min(1).default(4),
    /** MLP hidden width (GELU); 4 x dModel as in GPT-2. */
    dMlp: z.number().int().min(1).default(512),
    /** Context length: the longest prompt + response the model sees. */
    contextLength: z.number().int().min(2).default(96),
    /** Learned absolute position embeddings, or rotary position encoding in attention. */
    positions: z.enum(["learned", "rotary"]).default("learned"),
    /** Token shift: each position also adds an embedding of the previous token (makes chained steps learnable). */
    tokenShift: z.boolean().default(true),
    /** Base of the rotary frequencies. */
    ropeBase: z.number().positive().default(10000),
    /** Standard deviation of the initial weights (residual projections get 1/sqrt(2 x nLayers) of it). */
    initStd: z.number().positive().default(0.02),
    layerNormEps: z.number().positive().default(1e-5),
    /**
     * MLP activation. "gelu" is the sigmoid form x·σ(1.702x) (one exponential: half the cost of
     * the tanh form in jax-js's wasm kernels, where exp dominates the MLP's elementwise work);
     * "gelu_tanh" is GPT-2's tanh approximation; "relu" costs nothing.
     */
    activation: z.enum(["gelu", "gelu_tanh", "relu"]).default("gelu"),
  })
  .strict()
  .refine((c) => c.dModel % c.nHeads === 0, {
    message: "dModel must be divisible by nHeads",
    path: ["dModel"],
  })
  .refine((c) => c.positions !== "rotary" || (c.dModel / c.nHeads) % 2 === 0, {
    message: "rotary positions need an even head size (dModel / nHeads)",
    path: ["positions"],
  });
export type ModelConfig = z.infer<typeof ModelConfigSchema>;
export type ModelConfigInput = z.input<typeof ModelConfigSchema>;

/** AdamW with global-norm gradient clipping (model/optimizer.ts). The learning rate comes per step. */
export const OptimizerConfigSchema = z
  .object({
    beta1: z.number().min(0).lt(1).default(0.9),
    beta2: z.number().min(0).lt(1).default(0.95),
    eps: z.number().positive().default(1e-8),
    /** Decoupled weight decay, applied to matrices only (not biases, LayerNorm or embeddings). */
    weightDecay: z.number().nonnegative().default(0.01),
    /** Global-norm gradient clip; 0 disables clipping. */
    gradClip: z.number().nonnegative().default(1),
  })
  .strict();
export type OptimizerConfig = z.infer<typeof OptimizerConfigSchema>;

/** The tensor engine (model/engine.ts). */
export const EngineConfigSchema = z
  .object({
    /** Cores for jax-js's wasm kernels; 0 means all available. */
    threads: z.number().int().nonnegative().default(0),
    /**
     * Fused multiply-add in the matmuls (WebAssembly relaxed SIMD): faster; false reproduces
     * records made before it existed bit for bit (model/engine.ts, EngineOptions.fusedMultiplyAdd).
     */
    fusedMultiplyAdd: z.boolean().default(true),
  })
  .strict();
export type EngineConfig = z.infer<typeof EngineConfigSchema>;

import {
  type ModelConfig,
  type ModelConfigInput,
  ModelConfigSchema,
  type OptimizerConfig,
  OptimizerConfigSchema,
} from "../config/model.js";
import type { RlConfig } from "../config/rl.js";
import { aggregationWeights } from "../rl/aggregation.js";
import { UsageError } from "../util/errors.js";
import {
  type Buckets,
  DEFAULT_BUCKETS,
  fromPrediction,
  paddedShape,
  predictionBatch,
  toPrediction,
} from "./batch.js";
import { type CheckpointMeta, type LoadedCheckpoint, readCheckpoint, writeCheckpoint } from "./checkpoint.js";
import { initEngine, jax } from "./engine.js";
import { type AdamState, adamScalars, initAdamState } from "./optimizer.js";
import {
  countParams,
  type HostParams,
  initHostParams,
  type Params,
  paramsToDevice,
  paramsToHost,
} from "./params.js";
import type {
  Policy,
  PolicyBatch,
  PolicyStepStats,
  SampleOptions,
  SampleResult,
  TokenBatch,
} from "./policy.js";
import { Sampler } from "./sampler.js";
import {
  makeStepFunctions,
  POLICY_SCALARS,
  POLICY_STATS,
  type StepFunctions,
  SUPERVISED_STATS,
} from "./steps.js";
import type { Tokenizer } from "./tokenizer.js";

/** A supervised batch: tokens plus a B*T loss mask in token alignment (1 where token t is trained). */
export interface SupervisedBatch extends TokenBatch {
  lossMask: Float32Array;
}

export interface SupervisedStepStats {
  /** Mean token cross-entropy over the masked tokens (before the update). */
  loss: number;
  grad_norm: number;
  lr: number;
  skipped: boolean;
}

export interface EmbeddedPolicyOptions {
  /** AdamW settings (defaults from OptimizerConfigSchema). */
  optimizer?: Partial<OptimizerConfig>;
  /** Padding buckets for batch rows and positions (fewer distinct shapes = fewer jit traces). */
  buckets?: Buckets;
  /** The task's tokenizer, saved with checkpoints. */
  tokenizer?: Tokenizer;
  /** Engine threads (only the first initialization in a process decides). */
  threads?: number;
  /** Fused multiply-add in the matmuls (default true; only the first initialization decides). */
  fusedMultiplyAdd?: boolean;
  /** Rows per engine call for log-probs and sampling (larger batches are split). */
  maxRowsPerCall?: number;
  /**
   * The most rows the engine computes at once for log-probs and sampling (default 64); more run as
   * several passes with an identical result. jax-js's wasm heap never shrinks and reuses a freed
   * buffer only for a request of the same size, so the peak memory of a process is set by its
   * largest batches: passes of the training mini-batch's size keep it near one training step's.
   */
  rowsPerPass?: number;
}

/** Rows per engine pass by default: the demo's PPO mini-batch (128 samples in 2). */
export const DEFAULT_ROWS_PER_PASS = 64;

/** Policy-step stats plus what the embedded engine adds. */
export type EmbeddedStepStats = PolicyStepStats & {
  "actor/pg_clipfrac_lower": number;
  /** The total loss (pg + β·kl − c_H·entropy) before the update. */
  "actor/loss": number;
};

/**
 * The embedded jax-js policy: a transformer with its AdamW state and an optional frozen reference
 * (for the KL term). Implements the Policy contract (sample, logprobs, step) and adds the
 * supervised step used by the warm-up, reference snapshots and checkpoints.
 */
export class EmbeddedPolicy implements Policy {
  readonly model: ModelConfig;
  readonly optimizer: OptimizerConfig;
  readonly buckets: Buckets;
  readonly maxRowsPerCall: number;
  readonly rowsPerPass: number;
  tokenizer: Tokenizer | undefined;
  /** Applied optimizer updates (AdamW's t; a skipped update does not count). */
  updates: number;
  private params: Params;
  private adam: AdamState;
  private reference: Params | null = null;
  private readonly fns: StepFunctions;
  private readonly sampler: Sampler;
  private disposed = false;

  private constructor(
    model: ModelConfig,
    optimizer: OptimizerConfig,
    params: Params,
    adam: AdamState,
    updates: number,
    options: EmbeddedPolicyOptions,
  ) {
    this.model = model;
    this.optimizer = optimizer;
    this.params = params;
    this.adam = adam;
    this.updates = updates;
    this.buckets = options.buckets ?? DEFAULT_BUCKETS;
    this.maxRowsPerCall = options.maxRowsPerCall ?? 256;
    this.rowsPerPass = options.rowsPerPass ?? DEFAULT_ROWS_PER_PASS;
    this.tokenizer = options.tokenizer;
    this.fns = makeStepFunctions(model, optimizer);
    this.sampler = new Sampler(model, this.buckets, this.rowsPerPass);
  }

  /** A freshly initialized policy (deterministic in `seed`). */
  static async create(
    model: ModelConfigInput,
    seed: number,
    options: EmbeddedPolicyOptions = {},
  ): Promise<EmbeddedPolicy> {
    await initEngine({ threads: options.threads, fusedMultiplyAdd: options.fusedMultiplyAdd });
    const cfg = ModelConfigSchema.parse(model);
    if (options.tokenizer && options.tokenizer.vocabSize > cfg.vocabSize)
      throw new UsageError(
        `the tokenizer has ${options.tokenizer.vocabSize} tokens but model.vocabSize is ${cfg.vocabSize}`,
      );
    const optimizer = OptimizerConfigSchema.parse(options.optimizer ?? {});
    return EmbeddedPolicy.fromHost(cfg, optimizer, initHostParams(cfg, seed), null, 0, options);
  }

  /** Loads a checkpoint written by `save` (verifying its checksums). */
  static async fromCheckpoint(dir: string, options: EmbeddedPolicyOptions = {}): Promise<EmbeddedPolicy> {
    await initEngine({ threads: options.threads, fusedMultiplyAdd: options.fusedMultiplyAdd });
    const ckpt = await readCheckpoint(dir);
    const policy = EmbeddedPolicy.fromLoaded(ckpt, options);
    return policy;
  }

  /** Builds a policy from an already-read checkpoint. */
  static fromLoaded(ckpt: LoadedCheckpoint, options: EmbeddedPolicyOptions = {}): EmbeddedPolicy {
    const optimizer = OptimizerConfigSchema.parse({ ...ckpt.optimizer, ...(options.optimizer ?? {}) });
    const policy = EmbeddedPolicy.fromHost(ckpt.model, optimizer, ckpt.params, ckpt.adam, ckpt.updates, {
      ...options,
      tokenizer: options.tokenizer ?? ckpt.tokenizer ?? undefined,
    });
    if (ckpt.reference) policy.reference = paramsToDevice(ckpt.model, ckpt.reference);
    return policy;
  }

  private static fromHost(
    model: ModelConfig,
    optimizer: OptimizerConfig,
    host: HostParams,
    adam: { m: HostParams; v: HostParams } | null,
    updates: number,
    options: EmbeddedPolicyOptions,
  ): EmbeddedPolicy {
    const params = paramsToDevice(model, host);
    const state = adam
      ? { m: paramsToDevice(model, adam.m), v: paramsToDevice(model, adam.v) }
      : initAdamState(model);
    return new EmbeddedPolicy(model, optimizer, params, state, updates, options);
  }

  get parameterCount(): number {
    return countParams(this.model);
  }

  get hasReference(): boolean {
    return this.reference !== null;
  }

  /**
   * Freezes the current weights as the reference policy (for the KL term). Arrays are immutable,
   * so this holds a reference to the current buffers instead of copying them.
   */
  snapshotReference(): void {
    this.assertLive();
    const { tree } = jax();
    if (this.reference) tree.dispose(this.reference);
    this.reference = tree.ref(this.params);
  }

  /** Drops the frozen reference. */
  clearReference(): void {
    if (this.reference) jax().tree.dispose(this.reference);
    this.reference = null;
  }

  /** Resets the AdamW moments and update count (e.g. between warm-up and RL). */
  resetOptimizer(): void {
    this.assertLive();
    jax().tree.dispose(this.adam);
    this.adam = initAdamState(this.model);
    this.updates = 0;
  }

  async sample(prompts: number[][], options: SampleOptions): Promise<SampleResult> {
    this.assertLive();
    const result: SampleResult = { tokens: [], logprobs: [], eosProbs: [], finished: [] };
    for (let start = 0, chunk = 0; start < prompts.length; start += this.maxRowsPerCall, chunk++) {
      const part = await this.sampler.sample(this.params, prompts.slice(start, start + this.maxRowsPerCall), {
        ...options,
        // Each chunk gets its own stream, derived from the seed, so results do not depend on timing.
        seed: chunk === 0 ? options.seed : (options.seed + Math.imul(chunk, 0x9e3779b1)) | 0,
      });
      result.tokens.push(...part.tokens);
      result.logprobs.push(...part.logprobs);
      result.eosProbs.push(...part.eosProbs);
      result.finished.push(...part.finished);
    }
    return result;
  }

  /** B*T per-token log-probs under the current policy (token alignment; index 0 of a row is 0). */
  async logprobs(batch: TokenBatch): Promise<Float32Array> {
    return (await this.logprobsAndEntropy(batch, "policy")).logprobs;
  }

  /** B*T per-token log-probs under the frozen reference policy. */
  async referenceLogprobs(batch: TokenBatch): Promise<Float32Array> {
    return (await this.logprobsAndEntropy(batch, "reference")).logprobs;
  }

  /**
   * Per-token log-probs and entropies (token alignment: entropy[t] is the entropy of the
   * distribution that token t was drawn from) under the policy or the reference.
   */
  async logprobsAndEntropy(
    batch: TokenBatch,
    which: "policy" | "reference" = "policy",
  ): Promise<{ logprobs: Float32Array; entropy: Float32Array }> {
    this.assertLive();
    const weights = which === "policy" ? this.params : this.reference;
    if (!weights) throw new UsageError("no reference policy: call snapshotReference() first");
    checkTokenBatch(batch);
    const { numpy: np, tree } = jax();
    const { batchSize, seqLen } = batch;
    const logprobs = new Float32Array(batchSize * seqLen);
    const entropy = new Float32Array(batchSize * seqLen);
    // Rows are independent in the forward pass, so splitting the batch leaves every value as it is.
    const perPass = Math.min(this.maxRowsPerCall, this.rowsPerPass);
    for (let start = 0; start < batchSize; start += perPass) {
      const rows = Math.min(perPass, batchSize - start);
      const { B, T } = paddedShape(rows, seqLen, this.model.contextLength, this.buckets);
      const part = batch.tokens.subarray(start * seqLen, (start + rows) * seqLen);
      const pb = predictionBatch(part, rows, seqLen, B, T, this.model.vocabSize);
      const [lp, ent] = this.fns.logprobs(
        tree.ref(weights),
        np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
        np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
        np.array(pb.targets, { dtype: np.int32 }),
      );
      const lpHost = (await lp.data()) as Float32Array;
      const entHost = (await ent.data()) as Float32Array;
      logprobs.set(fromPrediction(lpHost, rows, seqLen, T), start * seqLen);
      entropy.set(fromPrediction(entHost, rows, seqLen, T), start * seqLen);
    }
    return { logprobs, entropy };
  }

  /**
   * One clipped policy-gradient update (docs/method.md#policy-loss) on a batch, with the learning rate `lr`. When the
   * KL is in the loss and the batch has no refLogprobs, they are computed from the frozen reference.
   */
  async step(batch: PolicyBatch, loss: RlConfig, lr: number): Promise<EmbeddedStepStats> {
    this.assertLive();
    checkTokenBatch(batch);
    const { batchSize, seqLen } = batch;
    const n = batchSize * seqLen;
    for (const [name, arr] of [
      ["responseMask", batch.responseMask],
      ["advantages", batch.advantages],
      ["oldLogprobs", batch.oldLogprobs],
      ["refLogprobs", batch.refLogprobs],
    ] as const)
      if (arr !== undefined && arr.length !== n)
        throw new RangeError(`${name} has ${arr.length} entries, expected ${batchSize}*${seqLen}`);
    if (!(lr >= 0) || !Number.isFinite(lr))
      throw new RangeError(`learning rate must be finite and >= 0, got ${lr}`);
    const klInLoss = loss.klPlacement === "loss" && loss.klCoef !== 0;
    let ref = batch.refLogprobs;
    if (klInLoss && !ref) {
      if (!this.reference)
        throw new UsageError(
          'rl.klPlacement = "loss" needs refLogprobs or a reference policy (snapshotReference)',
        );
      ref = await this.referenceLogprobs(batch);
    }

    const { B, T } = paddedShape(batchSize, seqLen, this.model.contextLength, this.buckets);
    const pb = predictionBatch(batch.tokens, batchSize, seqLen, B, T, this.model.vocabSize);
    const shape = { batchSize, seqLen };
    // Dr. GRPO's divisor: the batch's own, else rl.lossNormLength, else the padded width T (as rl/ does).
    const normLength = batch.lossNormLength ?? loss.lossNormLength ?? seqLen;
    const w = aggregationWeights(loss.aggregation, batch.responseMask, shape, { normLength });
    const scalars = new Float32Array(POLICY_SCALARS.count);
    scalars.set(adamScalars(lr, this.updates + 1, this.optimizer));
    scalars[POLICY_SCALARS.clipLow] = loss.clipLow;
    scalars[POLICY_SCALARS.clipHigh] = loss.clipHigh;
    scalars[POLICY_SCALARS.dualClip] = loss.dualClip ?? 0;
    scalars[POLICY_SCALARS.klCoef] = klInLoss ? loss.klCoef : 0;
    // The KL statistic is reported only when the KL is in the loss (as rl/policy-loss does).
    if (klInLoss) scalars[POLICY_SCALARS[loss.klEstimator]] = 1;
    scalars[POLICY_SCALARS.entropyCoef] = loss.entropyCoef;

    const { numpy: np } = jax();
    const f32 = (a: ArrayLike<number>) => np.array(toPrediction(a, batchSize, seqLen, B, T));
    const [params, adam, stats] = this.fns.policy(
      this.params,
      this.adam,
      np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
      np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
      np.array(pb.targets, { dtype: np.int32 }),
      f32(w),
      f32(batch.responseMask),
      f32(batch.advantages),
      f32(batch.oldLogprobs),
      f32(ref ?? batch.oldLogprobs),
      np.array(scalars),
    );
    this.params = params;
    this.adam = adam;
    const s = (await stats.data()) as Float32Array;
    const get = (name: (typeof POLICY_STATS)[number]) => s[POLICY_STATS.indexOf(name)];
    const applied = get("applied") > 0.5;
    if (applied) this.updates++;
    return {
      "actor/pg_loss": get("pg_loss"),
      "actor/pg_clipfrac": get("pg_clipfrac"),
      "actor/pg_clipfrac_lower": get("pg_clipfrac_lower"),
      "actor/ppo_kl": get("ppo_kl"),
      "actor/entropy": get("entropy"),
      "actor/kl_loss": get("kl_loss"),
      "actor/grad_norm": get("grad_norm"),
      "actor/lr": lr,
      "actor/loss": get("loss"),
      skipped: !applied,
    };
  }

  /** One supervised update: mean token cross-entropy over `lossMask` (the warm-up / SFT step). */
  async supervisedStep(batch: SupervisedBatch, lr: number): Promise<SupervisedStepStats> {
    this.assertLive();
    checkTokenBatch(batch);
    const { batchSize, seqLen } = batch;
    if (batch.lossMask.length !== batchSize * seqLen)
      throw new RangeError(`lossMask has ${batch.lossMask.length} entries, expected ${batchSize}*${seqLen}`);
    if (!(lr >= 0) || !Number.isFinite(lr))
      throw new RangeError(`learning rate must be finite and >= 0, got ${lr}`);
    const { B, T } = paddedShape(batchSize, seqLen, this.model.contextLength, this.buckets);
    const pb = predictionBatch(batch.tokens, batchSize, seqLen, B, T, this.model.vocabSize);
    const w = toPrediction(batch.lossMask, batchSize, seqLen, B, T);
    let count = 0;
    for (const x of w) if (x > 0) count++;
    for (let i = 0; i < w.length; i++) w[i] = w[i] > 0 ? 1 / count : 0;
    const { numpy: np } = jax();
    const [params, adam, stats] = this.fns.supervised(
      this.params,
      this.adam,
      np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
      np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
      np.array(pb.targets, { dtype: np.int32 }),
      np.array(w),
      np.array(new Float32Array(adamScalars(lr, this.updates + 1, this.optimizer))),
    );
    this.params = params;
    this.adam = adam;
    const s = (await stats.data()) as Float32Array;
    const get = (name: (typeof SUPERVISED_STATS)[number]) => s[SUPERVISED_STATS.indexOf(name)];
    const applied = get("applied") > 0.5;
    if (applied) this.updates++;
    return { loss: get("loss"), grad_norm: get("grad_norm"), lr, skipped: !applied };
  }

  /** Host copies of the current weights by name. */
  async hostParams(): Promise<HostParams> {
    this.assertLive();
    return paramsToHost(this.model, this.params);
  }

  /** Writes a checkpoint directory atomically (weights, config, tokenizer, optimizer state, manifest). */
  async save(
    dir: string,
    options: { optimizerState?: boolean; reference?: boolean; meta?: CheckpointMeta } = {},
  ): Promise<void> {
    this.assertLive();
    const withAdam = options.optimizerState ?? true;
    await writeCheckpoint(dir, {
      model: this.model,
      optimizer: this.optimizer,
      updates: this.updates,
      params: await paramsToHost(this.model, this.params),
      adam: withAdam
        ? { m: await paramsToHost(this.model, this.adam.m), v: await paramsToHost(this.model, this.adam.v) }
        : null,
      reference: options.reference && this.reference ? await paramsToHost(this.model, this.reference) : null,
      tokenizer: this.tokenizer ?? null,
      meta: options.meta ?? {},
    });
  }

  /** Frees the engine memory of this policy. */
  dispose(): void {
    if (this.disposed) return;
    const { tree } = jax();
    tree.dispose(this.params);
    tree.dispose(this.adam);
    if (this.reference) tree.dispose(this.reference);
    this.reference = null;
    this.fns.supervised.dispose();
    this.fns.policy.dispose();
    this.fns.logprobs.dispose();
    this.sampler.dispose();
    this.disposed = true;
  }

  /** The device params (for engine-level code such as benchmarks); not consumed. */
  get deviceParams(): Params {
    return this.params;
  }

  private assertLive(): void {
    if (this.disposed) throw new Error("this policy has been disposed");
  }
}

function checkTokenBatch(batch: TokenBatch): void {
  const { batchSize, seqLen, tokens } = batch;
  if (!Number.isInteger(batchSize) || batchSize < 1 || !Number.isInteger(seqLen) || seqLen < 1)
    throw new RangeError(`batch shape must be positive integers, got ${batchSize}x${seqLen}`);
  if (tokens.length !== batchSize * seqLen)
    throw new RangeError(`tokens has ${tokens.length} entries, expected ${batchSize}*${seqLen}`);
}

import type { RlConfig } from "../config/rl.js";

/**
 * The contract between the RL loop (train/) and whatever generates and learns (model/): the
 * embedded jax-js transformer implements it; a remote OpenAI-compatible generator can implement
 * `sample` only. Plain data in, plain data out.
 *
 * Alignment convention for per-token arrays of a padded batch (B rows x T positions, row-major):
 * index t holds the quantity for token `tokens[t]` predicted from `tokens[<t]`; index 0 of a row is 0.
 */
export interface SampleOptions {
  maxNewTokens: number;
  /** 0 means greedy. */
  temperature: number;
  topP: number;
  seed: number;
}

export interface SampleResult {
  /** Generated tokens per prompt (prompt excluded), ending with EOS when one was emitted. */
  tokens: number[][];
  /** log pi(y_t | prefix) of each generated token under the untempered policy (PPO's old log-probs). */
  logprobs: Float32Array[];
  /** pi(EOS | prefix) at each generated position (for EOS trajectories and the EOS-logit gradient). */
  eosProbs: Float32Array[];
  /** True where the row emitted EOS before the cap. */
  finished: boolean[];
}

export interface TokenBatch {
  batchSize: number;
  seqLen: number;
  /** B*T token ids, right-padded. */
  tokens: Int32Array;
}

export interface PolicyBatch extends TokenBatch {
  /** B*T: 1 where the token is a response token whose log-prob is trained, else 0. */
  responseMask: Float32Array;
  /** B*T per-token advantages (sequence advantages broadcast over the response). */
  advantages: Float32Array;
  /** B*T log-probs under the sampling policy. */
  oldLogprobs: Float32Array;
  /** B*T log-probs under the frozen reference policy (needed when the KL is in the loss). */
  refLogprobs?: Float32Array;
  /**
   * Divisor of the seq-mean-token-sum-norm aggregation (Dr. GRPO's constant, e.g. the generation
   * budget); default: rl.lossNormLength, else the padded width T (as rl/aggregation does).
   */
  lossNormLength?: number;
}

/** Statistics of one optimizer step, named as docs/method.md#step-statistics names them. */
export interface PolicyStepStats {
  "actor/pg_loss": number;
  "actor/pg_clipfrac": number;
  /** Share of valid tokens where the dual-clip bound won (reported by the embedded engine). */
  "actor/pg_clipfrac_lower"?: number;
  "actor/ppo_kl": number;
  "actor/entropy": number;
  "actor/kl_loss": number;
  "actor/grad_norm": number;
  "actor/lr": number;
  /** True when the update was skipped because the loss or gradient was not finite. */
  skipped: boolean;
}

export interface Policy {
  sample(prompts: number[][], options: SampleOptions): Promise<SampleResult>;
  /** B*T per-token log-probs of a batch (alignment as above). */
  logprobs(batch: TokenBatch): Promise<Float32Array>;
  /** One clipped policy-gradient update (docs/method.md#policy-loss) on a batch. */
  step(batch: PolicyBatch, loss: RlConfig, lr: number): Promise<PolicyStepStats>;
}

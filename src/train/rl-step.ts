import type { Config } from "../config/index.js";
import type { Item } from "../data/item.js";
import { type GradedResponse, gradeResponse, type TextCodec } from "../eval/grade.js";
import type { Policy, PolicyBatch, PolicyStepStats, TokenBatch } from "../model/policy.js";
import type { RewardFn } from "../rewards/rewards.js";
import { eosLogitGradient } from "../rl/eos.js";
import { computeAdvantages } from "../rl/estimators.js";
import { k1 } from "../rl/kl.js";
import { rolloutStats } from "../rl/stats.js";
import { deriveSeed, SeedPurpose } from "../task/seeds.js";
import { packSequences, scatterResponseValues, selectRows } from "./batch.js";
import { miniBatchRows } from "./schedule.js";

/** Everything one RL step needs besides the step number. */
export interface RlStepContext {
  config: Config;
  policy: Policy;
  /** Log-probs under the frozen reference policy (the warm-up); null when there is none. */
  referenceLogprobs: ((batch: TokenBatch) => Promise<Float32Array>) | null;
  codec: TextCodec;
  reward: RewardFn;
  /** Fixed width of every training batch: longest prompt + the response cap. */
  seqLen: number;
  padId: number;
  /** Upper edges of the value buckets (quantiles of the train values), ascending; the last is +inf. */
  valueBucketEdges: number[];
}

export interface RlStepOutcome {
  /** Metrics of the step, named as docs/method.md#step-statistics (plus ours); timing_s/* and perf/* vary run to run. */
  metrics: Record<string, number>;
  /** Optimizer steps skipped for a non-finite loss or gradient. */
  skippedUpdates: number;
  graded: GradedResponse[];
}

/**
 * A 48-bit hash (exact in a double, so it survives the JSON log) of a step's sampled token
 * sequences in order: two runs with equal hashes at a step sampled the same tokens there (to
 * within a 2^-48 collision chance). The std-GRPO identity is checked on it.
 */
export function tokenSequencesHash(sequences: readonly (readonly number[])[]): number {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  const mix = (x: number) => {
    a = Math.imul(a ^ x, 0x01000193) >>> 0;
    b = Math.imul(b ^ x, 0x5bd1e995) >>> 0;
    b = (b ^ (b >>> 15)) >>> 0;
  };
  for (const seq of sequences) {
    mix(seq.length);
    for (const t of seq) mix(t);
  }
  return (a >>> 0) * 0x10000 + (b & 0xffff);
}

const ACTOR_KEYS = [
  "actor/pg_loss",
  "actor/pg_clipfrac",
  "actor/ppo_kl",
  "actor/entropy",
  "actor/kl_loss",
  "actor/grad_norm",
  "actor/lr",
] as const;

/** Bucket index of a value: the first edge it does not exceed. */
export function valueBucket(value: number, edges: readonly number[]): number {
  const i = edges.findIndex((e) => value <= e);
  return i < 0 ? edges.length - 1 : i;
}

/** Upper edges of `count` value buckets at the quantiles of `values` (the last edge is +inf). */
export function valueBucketEdges(values: readonly number[], count: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const edges: number[] = [];
  for (let b = 1; b < count; b++)
    edges.push(sorted[Math.min(sorted.length - 1, Math.floor((b * sorted.length) / count))]);
  edges.push(Number.POSITIVE_INFINITY);
  return edges;
}

/**
 * One RL step (1-based `step`): sample n responses for each prompt → verify → reward →
 * advantages → PPO epochs over mini-batches with the clipped loss and the KL to the reference.
 * Every random choice derives from (seed, step), so the step is reproducible on its own.
 */
export async function rlStep(
  ctx: RlStepContext,
  items: readonly Item[],
  step: number,
  lr: number,
): Promise<RlStepOutcome> {
  const { config, codec } = ctx;
  const tc = config.train;
  const n = tc.samplesPerPrompt;
  const t0 = performance.now();

  const encoded = items.map((item) => codec.encode(item.prompt));
  const prompts = encoded.flatMap((p) => Array.from({ length: n }, () => p));
  const sampled = await ctx.policy.sample(prompts, {
    maxNewTokens: tc.maxNewTokens,
    temperature: tc.temperature,
    topP: tc.topP,
    seed: deriveSeed(config.seed, SeedPurpose.rlSample, step),
  });
  const tGen = performance.now();

  const graded = prompts.map((_, i) =>
    gradeResponse(items[Math.floor(i / n)], sampled.tokens[i], sampled.finished[i], codec),
  );
  const scored = graded.map((g, i) =>
    ctx.reward({
      itemId: g.id,
      sample: i % n,
      value: g.value,
      score: g.correct ? 1 : 0,
      length: g.length,
      difficulty: items[Math.floor(i / n)].difficulty,
    }),
  );
  const tReward = performance.now();

  const packed = packSequences(prompts, sampled.tokens, ctx.seqLen, ctx.padId);
  const oldLogprobs = scatterResponseValues(packed, sampled.logprobs);
  const rl = config.rl;
  const useKl = rl.klPlacement !== "none" && rl.klCoef > 0 && ctx.referenceLogprobs !== null;
  const refLogprobs = useKl ? await ctx.referenceLogprobs!(packed) : undefined;
  const tRef = performance.now();

  let klInReward: Float64Array | undefined;
  if (useKl && rl.klPlacement === "reward") {
    // k1 of the sampled tokens: the per-token KL REINFORCE++ puts in the reward (docs/method.md#kl-estimators).
    klInReward = new Float64Array(oldLogprobs.length);
    for (let t = 0; t < klInReward.length; t++)
      if (packed.responseMask[t] > 0) klInReward[t] = k1(oldLogprobs[t], refLogprobs![t]);
  }
  const rewards = scored.map((s) => s.reward);
  const advantages = computeAdvantages(
    rl.estimator,
    {
      rewards,
      groups: prompts.map((_, i) => Math.floor(i / n)),
      scales: scored.map((s) => s.scale),
      seqLen: ctx.seqLen,
      mask: packed.responseMask,
      kl: klInReward,
    },
    { eps: rl.grpoEps, klCoef: rl.klCoef },
  );
  const tokenAdv = advantages.token!;

  const batch: PolicyBatch = {
    batchSize: packed.batchSize,
    seqLen: packed.seqLen,
    tokens: packed.tokens,
    responseMask: packed.responseMask,
    advantages: tokenAdv,
    oldLogprobs,
    refLogprobs: useKl && rl.klPlacement === "loss" ? refLogprobs : undefined,
  };
  const stepStats: PolicyStepStats[] = [];
  for (let epoch = 0; epoch < tc.ppoEpochs; epoch++)
    for (const rows of miniBatchRows(config.seed, step, epoch, packed.batchSize, tc.miniBatches))
      stepStats.push(await ctx.policy.step(selectRows(batch, rows), rl, lr));
  const tUpdate = performance.now();

  const applied = stepStats.filter((s) => !s.skipped);
  const actor: Record<string, number> = {};
  for (const key of ACTOR_KEYS) {
    const pool = applied.length > 0 ? applied : stepStats;
    actor[key] = pool.reduce((sum, s) => sum + s[key], 0) / pool.length;
  }
  actor["actor/lr"] = lr;

  const rollout = rolloutStats({
    scores: scored.map((s) => s.score),
    rewards,
    advantages: tokenAdv,
    mask: packed.responseMask,
    lengths: graded.map((g) => g.length),
    maxResponseLength: tc.maxNewTokens,
  });

  // EOS-logit gradient (docs/method.md#end-of-sequence-gradient) per prompt, averaged over its samples, summarized by value bucket.
  const sequenceAdv = (i: number) =>
    advantages.sequence ? advantages.sequence[i] : tokenAdv[i * ctx.seqLen + packed.promptLengths[i]];
  const bucketSums = new Array(ctx.valueBucketEdges.length).fill(0);
  const bucketAbsSums = new Array(ctx.valueBucketEdges.length).fill(0);
  const bucketCounts = new Array(ctx.valueBucketEdges.length).fill(0);
  for (let p = 0; p < items.length; p++) {
    let g = 0;
    for (let j = 0; j < n; j++) {
      const i = p * n + j;
      g += eosLogitGradient(sequenceAdv(i), sampled.eosProbs[i], sampled.tokens[i], codec.eosId) / n;
    }
    const b = valueBucket(items[p].value, ctx.valueBucketEdges);
    bucketSums[b] += g;
    // The signed push cancels across prompts that should stop earlier and later; its size does not.
    bucketAbsSums[b] += Math.abs(g);
    bucketCounts[b]++;
  }
  const eosMetrics: Record<string, number> = {};
  bucketSums.forEach((s, b) => {
    eosMetrics[`eos_grad/value_bucket_${b}`] = bucketCounts[b] ? s / bucketCounts[b] : 0;
    eosMetrics[`eos_grad/value_bucket_${b}_prompts`] = bucketCounts[b];
    eosMetrics[`eos_grad_abs/value_bucket_${b}`] = bucketCounts[b] ? bucketAbsSums[b] / bucketCounts[b] : 0;
  });

  const workedShare = graded.filter((g) => g.worked).length / graded.length;
  const tokensProcessed =
    packed.promptLengths.reduce((a, b) => a + b, 0) + packed.responseLengths.reduce((a, b) => a + b, 0);
  const tEnd = performance.now();
  return {
    metrics: {
      ...rollout,
      ...actor,
      "rollout/worked_share": workedShare,
      "rollout/tokens_hash": tokenSequencesHash(sampled.tokens),
      "rollout/truncated_share": graded.filter((g) => !g.finished).length / graded.length,
      ...eosMetrics,
      "train/skipped_updates": stepStats.length - applied.length,
      "timing_s/gen": (tGen - t0) / 1000,
      "timing_s/reward": (tReward - tGen) / 1000,
      "timing_s/ref": (tRef - tReward) / 1000,
      "timing_s/update_actor": (tUpdate - tRef) / 1000,
      "timing_s/step": (tEnd - t0) / 1000,
      "perf/throughput": tokensProcessed / ((tEnd - t0) / 1000),
    },
    skippedUpdates: stepStats.length - applied.length,
    graded,
  };
}

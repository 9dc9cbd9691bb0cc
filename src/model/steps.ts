import type { Array as JArray, OwnedFunction } from "@jax-js/jax";
import type { ModelConfig, OptimizerConfig } from "../config/model.js";
import { K3_CLAMP, K3_LOG_RATIO_CLAMP } from "../rl/kl.js";
import { LOG_RATIO_CLAMP } from "../rl/policy-loss.js";
import { jax } from "./engine.js";
import { ADAM_SCALARS, type AdamState, adamwUpdate } from "./optimizer.js";
import type { Params } from "./params.js";
import { forwardSequence } from "./transformer.js";

/**
 * The jitted computations of the embedded policy: a supervised step, a clipped policy-gradient
 * step (docs/method.md#policy-loss) and per-token log-probs. Each is one `jit` over fixed shapes, so it compiles once
 * per padded shape, and each optimizer step is a single fused call: forward, backward, AdamW.
 *
 * All per-token inputs are in *prediction alignment*: row position t holds the quantity of the
 * token at t + 1 predicted from tokens ≤ t (`targets[t] = tokens[t + 1]`); the host converts from
 * the Policy contract's token alignment (see batch.ts).
 */

/** Per-step scalars of the policy step after the AdamW scalars (hyper array layout). */
export const POLICY_SCALARS = {
  clipLow: ADAM_SCALARS,
  clipHigh: ADAM_SCALARS + 1,
  /** Dual-clip constant c; 0 disables the dual clip. */
  dualClip: ADAM_SCALARS + 2,
  /** Coefficient of the KL term in the loss (0 unless klPlacement = "loss"). */
  klCoef: ADAM_SCALARS + 3,
  /** One-hot choice of the KL estimator: k1, k2, k3. */
  k1: ADAM_SCALARS + 4,
  k2: ADAM_SCALARS + 5,
  k3: ADAM_SCALARS + 6,
  entropyCoef: ADAM_SCALARS + 7,
  count: ADAM_SCALARS + 8,
} as const;

/** Layout of the policy step's stats output. */
export const POLICY_STATS = [
  "pg_loss",
  "pg_clipfrac",
  "pg_clipfrac_lower",
  "ppo_kl",
  "entropy",
  "kl_loss",
  "loss",
  "grad_norm",
  "applied",
] as const;

/** Layout of the supervised step's stats output. */
export const SUPERVISED_STATS = ["loss", "grad_norm", "applied"] as const;

export interface PredictionInputs {
  /** [B, T] int32 input tokens. */
  tokens: JArray;
  /** [B, T] int32 previous tokens (token shift). */
  prevTokens: JArray;
  /** [B·T] int32 next tokens (the prediction targets). */
  targets: JArray;
}

/** Per-row log-softmax over the vocabulary and the log-prob of each target: ([N, V], [N]). */
function targetLogprobs(
  params: Params,
  inp: PredictionInputs,
  model: ModelConfig,
): { logSoftmax: JArray; logp: JArray } {
  const { numpy: np, nn } = jax();
  const [B, T] = inp.tokens.shape;
  const { logits } = forwardSequence(params, inp, B, T, model);
  const lsm = nn.logSoftmax(logits, -1);
  const picked = lsm.ref.mul(nn.oneHot(inp.targets, model.vocabSize).astype(np.float32)).sum(-1);
  return { logSoftmax: lsm, logp: picked };
}

/** Per-position entropy −Σ p log p from a log-softmax [N, V] (consumed): [N]. */
function entropyOf(logSoftmax: JArray): JArray {
  const { numpy: np } = jax();
  return np.exp(logSoftmax.ref).mul(logSoftmax).sum(-1).mul(-1);
}

/**
 * A fused optimizer step: (params, adam, ...inputs, scalars) → [params, adam, stats], with the
 * AdamW scalars first in `scalars` and stats = [...aux stats, loss, grad_norm, applied].
 */
export type UpdateStep<Inputs extends JArray[]> = OwnedFunction<
  (params: Params, state: AdamState, ...args: [...Inputs, scalars: JArray]) => [Params, AdamState, JArray]
>;

export interface StepFunctions {
  /** Supervised step; all per-token arrays [N] in prediction alignment (weights: [N]). */
  supervised: UpdateStep<[tokens: JArray, prevTokens: JArray, targets: JArray, weights: JArray]>;
  /** Clipped policy-gradient step (docs/method.md#policy-loss); per-token arrays [N] in prediction alignment. */
  policy: UpdateStep<
    [
      tokens: JArray,
      prevTokens: JArray,
      targets: JArray,
      weights: JArray,
      mask: JArray,
      advantages: JArray,
      oldLogp: JArray,
      refLogp: JArray,
    ]
  >;
  /** (params, tokens, prevTokens, targets) → [logp [N], entropy [N]]. */
  logprobs: OwnedFunction<
    (params: Params, tokens: JArray, prevTokens: JArray, targets: JArray) => [JArray, JArray]
  >;
}

export interface LossFunctions {
  /** (params, tokens, prevTokens, targets, weights) → Σ w·(−log p(target)). Consumes its arguments. */
  supervised: (
    params: Params,
    tokens: JArray,
    prevTokens: JArray,
    targets: JArray,
    weights: JArray,
  ) => JArray;
  /**
   * (params, tokens, prevTokens, targets, weights, mask, advantages, oldLogp, refLogp, scalars)
   * → [loss, stats[6]]. Consumes its arguments.
   */
  policy: (
    params: Params,
    tokens: JArray,
    prevTokens: JArray,
    targets: JArray,
    weights: JArray,
    mask: JArray,
    adv: JArray,
    oldLogp: JArray,
    refLogp: JArray,
    scalars: JArray,
  ) => [JArray, JArray];
}

/** The differentiable losses (un-jitted, so tests can take their gradients and finite differences). */
export function makeLossFunctions(model: ModelConfig): LossFunctions {
  const { numpy: np } = jax();

  /** Token cross-entropy Σ w·(−log p(target)); weights carry the loss mask and the mean's 1/count. */
  const supervisedLoss = (
    params: Params,
    tokens: JArray,
    prevTokens: JArray,
    targets: JArray,
    weights: JArray,
  ): JArray => {
    const { logSoftmax, logp } = targetLogprobs(params, { tokens, prevTokens, targets }, model);
    logSoftmax.dispose();
    return logp.mul(weights).sum().mul(-1);
  };

  /**
   * The actor loss of docs/method.md#policy-loss over per-token arrays [N] (prediction alignment):
   * ρ = exp(clamp(logp − old, ±LOG_RATIO_CLAMP)); pg = max(−A·ρ, −A·clamp(ρ, 1 − ε_low, 1 + ε_high)),
   * and with a dual clip c for A < 0, min(pg, −c·A); KL k1/k2/k3 to the reference (k3 clamped to
   * ±K3_CLAMP); the constants are rl/'s, so this and the reference in rl/policy-loss.ts agree;
   * each aggregated as Σ w·x with the aggregation's weights; loss = pg + β·kl − c_H·entropy.
   * Returns [loss, stats[6]] (pg_loss, clipfrac, clipfrac_lower, ppo_kl, entropy, kl_loss).
   */
  const policyLoss = (
    params: Params,
    tokens: JArray,
    prevTokens: JArray,
    targets: JArray,
    weights: JArray,
    mask: JArray,
    adv: JArray,
    oldLogp: JArray,
    refLogp: JArray,
    scalars: JArray,
  ): [JArray, JArray] => {
    const S = POLICY_SCALARS;
    const scalar = (i: number) => scalars.ref.slice(i);
    const { logSoftmax, logp } = targetLogprobs(params, { tokens, prevTokens, targets }, model);
    const entropy = entropyOf(logSoftmax);

    const logRatio = np.clip(logp.ref.sub(oldLogp), -LOG_RATIO_CLAMP, LOG_RATIO_CLAMP);
    const ratio = np.exp(logRatio.ref);
    const negAdv = adv.ref.mul(-1);
    const pgUnclipped = negAdv.ref.mul(ratio.ref);
    const lo = np.ones([]).sub(scalar(S.clipLow));
    const hi = np.ones([]).add(scalar(S.clipHigh));
    const pgClipped = negAdv.ref.mul(np.minimum(np.maximum(ratio, lo), hi));
    const clippedFlag = np.greater(pgClipped.ref, pgUnclipped.ref).astype(np.float32);
    const pgMax = np.maximum(pgUnclipped, pgClipped);
    const dualC = scalar(S.dualClip);
    const dualOn = np.logicalAnd(np.less(adv, 0), np.greater(dualC.ref, 0));
    const dualBound = negAdv.mul(dualC);
    const lowerFlag = np.logicalAnd(dualOn.ref, np.greater(pgMax.ref, dualBound.ref)).astype(np.float32);
    const pgLoss = np.where(dualOn, np.minimum(pgMax.ref, dualBound), pgMax);

    const diff = logp.ref.sub(refLogp.ref);
    const k1 = diff.ref;
    const k2 = np.square(diff).mul(0.5);
    const x = np.clip(refLogp.sub(logp), -K3_LOG_RATIO_CLAMP, K3_LOG_RATIO_CLAMP);
    const k3 = np.clip(np.exp(x.ref).sub(x).sub(1), -K3_CLAMP, K3_CLAMP);
    const kl = k1
      .mul(scalar(S.k1))
      .add(k2.mul(scalar(S.k2)))
      .add(k3.mul(scalar(S.k3)));

    const agg = (v: JArray) => v.mul(weights.ref).sum();
    const count = np.maximum(mask.ref.sum(), 1);
    const maskedMean = (v: JArray) => v.mul(mask.ref).sum().div(count.ref);

    const pgAgg = agg(pgLoss);
    const klAgg = agg(kl);
    const entAgg = agg(entropy);
    const loss = pgAgg.ref.add(klAgg.ref.mul(scalar(S.klCoef))).sub(entAgg.ref.mul(scalar(S.entropyCoef)));
    const stats = np.stack([
      pgAgg,
      maskedMean(clippedFlag),
      maskedMean(lowerFlag),
      maskedMean(logRatio.mul(-1)),
      entAgg,
      klAgg,
    ]);
    weights.dispose();
    mask.dispose();
    count.dispose();
    scalars.dispose();
    return [loss, stats];
  };

  return { supervised: supervisedLoss, policy: policyLoss };
}

/** Builds the jitted step functions for one model and optimizer configuration. */
export function makeStepFunctions(model: ModelConfig, optim: OptimizerConfig): StepFunctions {
  const { numpy: np, jit, valueAndGrad, tree } = jax();
  const { supervised: supervisedLoss, policy: policyLoss } = makeLossFunctions(model);

  const supervised: StepFunctions["supervised"] = updateStep(model, optim, (params, inputs) => {
    const [loss, grads] = valueAndGrad(supervisedLoss)(tree.ref(params), ...inputs);
    return [loss, np.zeros([0]), grads as Params];
  });

  // The policy loss reads its clip, KL and entropy settings from the scalars too.
  const policy: StepFunctions["policy"] = updateStep(model, optim, (params, inputs, scalars) => {
    const [[loss, aux], grads] = valueAndGrad(policyLoss, { hasAux: true })(
      tree.ref(params),
      ...inputs,
      scalars.ref,
    );
    return [loss, aux, grads as Params];
  });

  const logprobs = jit(
    (params: Params, tokens: JArray, prevTokens: JArray, targets: JArray): [JArray, JArray] => {
      const { logSoftmax, logp } = targetLogprobs(params, { tokens, prevTokens, targets }, model);
      return [logp, entropyOf(logSoftmax)];
    },
  );

  return { supervised, policy, logprobs: logprobs as never };
}

/**
 * One jitted update around a loss: `valueAndGradOf` gives the loss, its aux stats and the
 * gradient with respect to the params (the inputs are not differentiated); AdamW then updates
 * params and moments (`finishUpdate`). The last argument is the scalars array.
 */
function updateStep<Inputs extends JArray[]>(
  model: ModelConfig,
  optim: OptimizerConfig,
  valueAndGradOf: (params: Params, inputs: Inputs, scalars: JArray) => [JArray, JArray, Params],
): UpdateStep<Inputs> {
  const { jit } = jax();
  return jit((params: Params, state: AdamState, ...args: JArray[]): [Params, AdamState, JArray] => {
    const scalars = args[args.length - 1];
    const [loss, aux, grads] = valueAndGradOf(params, args.slice(0, -1) as Inputs, scalars);
    return finishUpdate(params, grads, state, loss, scalars, aux, model, optim);
  }) as never;
}

/** AdamW update and the stats vector [...aux, loss, grad_norm, applied]. */
function finishUpdate(
  params: Params,
  grads: Params,
  state: AdamState,
  loss: JArray,
  scalars: JArray,
  aux: JArray,
  model: ModelConfig,
  optim: OptimizerConfig,
): [Params, AdamState, JArray] {
  const { numpy: np } = jax();
  const adamScalars = scalars.slice([0, ADAM_SCALARS]);
  const upd = adamwUpdate(params, grads, state, loss.ref, adamScalars, model, optim);
  const tail = np.stack([loss, upd.gradNorm, upd.applied]);
  if (aux.shape[0] === 0) {
    aux.dispose();
    return [upd.params, upd.state, tail];
  }
  const stats = np.concatenate([aux, tail]);
  return [upd.params, upd.state, stats];
}

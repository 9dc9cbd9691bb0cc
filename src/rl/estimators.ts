import type { EstimatorName } from "../config/rl.js";
import {
  assertLength,
  assertTokenShape,
  type BatchShape,
  broadcastRows,
  lastValidIndex,
  type Numbers,
  whiten,
} from "./masked.js";

/**
 * Advantage estimators of docs/method.md#advantage-estimators, one function each, and the registry `estimators` (verl's
 * style: one table from name to function).
 *
 * Input conventions:
 * - one entry per sequence for `rewards`, `groups` and `scales`;
 * - a group is one prompt with its n sampled responses; group ids are any integers and a group's
 *   members need not be contiguous;
 * - per-token arrays are padded B×T row-major (`seqLen` = T), aligned with `mask` as in
 *   model/policy.ts (1 = a trained response token).
 */
export interface AdvantageInput {
  /** R_i, the sequence reward (B). */
  rewards: Numbers;
  /** Group (prompt) index of each sequence (B). */
  groups: Numbers;
  /** s(x) of each sequence's prompt (B); required by grpo_value, ignored by the others. */
  scales?: Numbers;
  /** Padded width T of the per-token arrays; required with `mask`. */
  seqLen?: number;
  /** B×T response mask. Required by the token-level estimators; when present, sequence advantages are also broadcast over it. */
  mask?: Numbers;
  /**
   * B×T per-token KL to the reference policy (k1 in the spec), given only when the KL goes into the
   * reward: token-level estimators add −β·KL_t on every token; sequence-level estimators subtract
   * β·Σ_t KL_t from R_i (verl sums the token-level rewards the same way).
   */
  kl?: Numbers;
}

export interface EstimatorOptions {
  /** ε in GRPO's (R − mean)/(std + ε). */
  eps: number;
  /** β, the coefficient of the KL in the reward (used only when `input.kl` is given). */
  klCoef: number;
}

export const DEFAULT_ESTIMATOR_OPTIONS: EstimatorOptions = { eps: 1e-6, klCoef: 0.001 };

export interface AdvantageOutput {
  /** B×T per-token advantages, 0 at masked positions; null when no mask was given. */
  token: Float32Array | null;
  /** One advantage per sequence for the sequence-level estimators; null for the token-level ones. */
  sequence: Float64Array | null;
}

/** Members of each group, in order of first appearance. */
export function groupMembers(groups: Numbers): number[][] {
  const byId = new Map<number, number[]>();
  for (let i = 0; i < groups.length; i++) {
    const g = groups[i];
    if (!Number.isFinite(g)) throw new RangeError(`groups[${i}] is not a finite number`);
    let members = byId.get(g);
    if (!members) {
      members = [];
      byId.set(g, members);
    }
    members.push(i);
  }
  return [...byId.values()];
}

function meanOf(values: Numbers, idx: readonly number[]): number {
  let s = 0;
  for (const i of idx) s += values[i];
  return s / idx.length;
}

/** Unbiased (n−1) standard deviation over `idx`; 0 for fewer than two members. */
function stdOf(values: Numbers, idx: readonly number[], mean: number): number {
  if (idx.length < 2) return 0;
  let ss = 0;
  for (const i of idx) ss += (values[i] - mean) ** 2;
  return Math.sqrt(ss / (idx.length - 1));
}

/** Per-sequence reward R_i − β·Σ_t KL_t when the KL is in the reward, else R_i. */
export function sequenceRewards(input: AdvantageInput, klCoef: number): Float64Array {
  const n = input.rewards.length;
  const out = Float64Array.from(input.rewards as ArrayLike<number>);
  if (input.kl === undefined || klCoef === 0) return out;
  const { mask, seqLen } = tokenShape(input, "a KL in the reward");
  for (let b = 0; b < n; b++) {
    let sum = 0;
    const base = b * seqLen;
    for (let t = 0; t < seqLen; t++) if (mask[base + t] > 0) sum += input.kl[base + t];
    out[b] -= klCoef * sum;
  }
  return out;
}

function tokenShape(
  input: AdvantageInput,
  who: string,
): { mask: Numbers; seqLen: number; shape: BatchShape } {
  if (input.mask === undefined || input.seqLen === undefined)
    throw new RangeError(`${who} needs the per-token mask and seqLen`);
  const shape = { batchSize: input.rewards.length, seqLen: input.seqLen };
  assertTokenShape(shape, { mask: input.mask, kl: input.kl });
  return { mask: input.mask, seqLen: input.seqLen, shape };
}

function validate(input: AdvantageInput): void {
  assertLength(input.rewards.length, { groups: input.groups, scales: input.scales });
  for (let i = 0; i < input.rewards.length; i++)
    if (!Number.isFinite(input.rewards[i])) throw new RangeError(`rewards[${i}] is not finite`);
}

/**
 * GRPO (docs/method.md#grpo): `A_i = (R_i − mean_g) / (std_g + ε)`, std unbiased (n−1); a singleton group gets 0.
 * Warning (docs/method.md#grpo-cancels-the-value): a positive per-group factor s(x) on the rewards cancels exactly.
 */
export function grpoAdvantages(rewards: Numbers, groups: Numbers, eps: number): Float64Array {
  const out = new Float64Array(rewards.length);
  for (const idx of groupMembers(groups)) {
    if (idx.length < 2) continue;
    const mean = meanOf(rewards, idx);
    const std = stdOf(rewards, idx, mean);
    for (const i of idx) out[i] = (rewards[i] - mean) / (std + eps);
  }
  return out;
}

/** Dr. GRPO (docs/method.md#dr-grpo): `A_i = R_i − mean_g` (no std division, so s(x) survives). */
export function drGrpoAdvantages(rewards: Numbers, groups: Numbers): Float64Array {
  const out = new Float64Array(rewards.length);
  for (const idx of groupMembers(groups)) {
    const mean = meanOf(rewards, idx);
    for (const i of idx) out[i] = rewards[i] - mean;
  }
  return out;
}

/**
 * Batch-std GRPO (docs/method.md#batch-std-grpo, a variant where the value survives): `A_i = (R_i − mean_g) / (std_B + ε)`,
 * with the group mean and the unbiased std of the raw rewards over the whole batch (as LitePPO).
 */
export function grpoBatchStdAdvantages(rewards: Numbers, groups: Numbers, eps: number): Float64Array {
  const all = Array.from({ length: rewards.length }, (_, i) => i);
  const std = all.length < 2 ? 0 : stdOf(rewards, all, meanOf(rewards, all));
  const centered = drGrpoAdvantages(rewards, groups);
  for (let i = 0; i < centered.length; i++) centered[i] /= std + eps;
  return centered;
}

/**
 * "Value after normalization" (docs/method.md#value-after-normalization): `A_i = s(x)·(c_i − mean_g)/(std_g + ε)`, where c = R/s(x) is
 * the unscaled reward (correctness when R = s(x)·c), normalized by GRPO within the group and then
 * multiplied back by s(x).
 */
export function grpoValueAdvantages(
  rewards: Numbers,
  groups: Numbers,
  scales: Numbers,
  eps: number,
): Float64Array {
  const unscaled = new Float64Array(rewards.length);
  for (let i = 0; i < rewards.length; i++) {
    const s = scales[i];
    if (!(s > 0) || !Number.isFinite(s)) throw new RangeError(`scales[${i}] must be a positive finite s(x)`);
    unscaled[i] = rewards[i] / s;
  }
  const out = grpoAdvantages(unscaled, groups, eps);
  for (let i = 0; i < out.length; i++) out[i] *= scales[i];
  return out;
}

/** RLOO (docs/method.md#rloo): `A_i = R_i − mean(R_j, j ≠ i)` over the group; a singleton group gets 0. */
export function rlooAdvantages(rewards: Numbers, groups: Numbers): Float64Array {
  const out = new Float64Array(rewards.length);
  for (const idx of groupMembers(groups)) {
    const n = idx.length;
    if (n < 2) continue;
    let sum = 0;
    for (const i of idx) sum += rewards[i];
    for (const i of idx) out[i] = rewards[i] - (sum - rewards[i]) / (n - 1);
  }
  return out;
}

/**
 * Token-level returns of REINFORCE++ (docs/method.md#reinforce-and-its-baseline-variant) before whitening: the per-token reward is
 * `−β·KL_t` on every valid token plus the sequence reward on the row's last valid token; the
 * return is its reverse cumulative sum over the row's valid tokens (γ = 1). Masked positions hold
 * 0 and neither add to nor interrupt the sum.
 */
export function reinforcePpReturns(
  finalRewards: Numbers,
  mask: Numbers,
  shape: BatchShape,
  kl: Numbers | undefined,
  beta: number,
): Float64Array {
  const { batchSize, seqLen } = shape;
  const returns = new Float64Array(batchSize * seqLen);
  const last = lastValidIndex(mask, shape);
  for (let b = 0; b < batchSize; b++) {
    if (last[b] < 0) continue;
    const base = b * seqLen;
    let running = 0;
    for (let t = last[b]; t >= 0; t--) {
      if (!(mask[base + t] > 0)) continue;
      let r = kl !== undefined ? -beta * kl[base + t] : 0;
      if (t === last[b]) r += finalRewards[b];
      running += r;
      returns[base + t] = running;
    }
  }
  return returns;
}

/**
 * REINFORCE++ (docs/method.md#reinforce-and-its-baseline-variant): returns of {@link reinforcePpReturns} whitened over all valid tokens of
 * the batch, `(G − mean)/sqrt(var + 1e-8)`, var unbiased.
 */
export function reinforcePpAdvantages(
  rewards: Numbers,
  mask: Numbers,
  shape: BatchShape,
  kl: Numbers | undefined,
  beta: number,
): Float64Array {
  return whiten(reinforcePpReturns(rewards, mask, shape, kl, beta), mask);
}

/**
 * REINFORCE++-baseline (docs/method.md#reinforce-and-its-baseline-variant): the group mean is subtracted from each sequence reward first
 * (a singleton group's reward becomes 0), then REINFORCE++ with its global whitening.
 */
export function reinforcePpBaselineAdvantages(
  rewards: Numbers,
  groups: Numbers,
  mask: Numbers,
  shape: BatchShape,
  kl: Numbers | undefined,
  beta: number,
): Float64Array {
  return reinforcePpAdvantages(drGrpoAdvantages(rewards, groups), mask, shape, kl, beta);
}

export type EstimatorFn = (input: AdvantageInput, options: EstimatorOptions) => AdvantageOutput;

function sequenceLevel(
  compute: (rewards: Float64Array, input: AdvantageInput, o: EstimatorOptions) => Float64Array,
) {
  return (input: AdvantageInput, options: EstimatorOptions): AdvantageOutput => {
    validate(input);
    const sequence = compute(sequenceRewards(input, options.klCoef), input, options);
    if (input.mask === undefined) return { sequence, token: null };
    const { mask, shape } = tokenShape(input, "broadcasting advantages");
    return { sequence, token: broadcastRows(sequence, mask, shape) };
  };
}

function tokenLevel(
  compute: (input: AdvantageInput, o: EstimatorOptions, shape: BatchShape) => Float64Array,
) {
  return (input: AdvantageInput, options: EstimatorOptions): AdvantageOutput => {
    validate(input);
    const { shape } = tokenShape(input, "a token-level estimator");
    return { sequence: null, token: Float32Array.from(compute(input, options, shape)) };
  };
}

/** The advantage estimators by name (docs/method.md#advantage-estimators); `rl.estimator` picks one. */
export const estimators: Record<EstimatorName, EstimatorFn> = {
  grpo: sequenceLevel((r, input, o) => grpoAdvantages(r, input.groups, o.eps)),
  drgrpo: sequenceLevel((r, input) => drGrpoAdvantages(r, input.groups)),
  grpo_batch_std: sequenceLevel((r, input, o) => grpoBatchStdAdvantages(r, input.groups, o.eps)),
  grpo_value: sequenceLevel((r, input, o) => {
    if (input.scales === undefined) throw new RangeError("grpo_value needs the per-sequence scales s(x)");
    return grpoValueAdvantages(r, input.groups, input.scales, o.eps);
  }),
  rloo: sequenceLevel((r, input) => rlooAdvantages(r, input.groups)),
  reinforce_pp: tokenLevel((input, o, shape) =>
    reinforcePpAdvantages(input.rewards, input.mask!, shape, input.kl, o.klCoef),
  ),
  reinforce_pp_baseline: tokenLevel((input, o, shape) =>
    reinforcePpBaselineAdvantages(input.rewards, input.groups, input.mask!, shape, input.kl, o.klCoef),
  ),
};

/** Whether an estimator produces one advantage per sequence (else per token). */
export function isSequenceLevel(name: EstimatorName): boolean {
  return name !== "reinforce_pp" && name !== "reinforce_pp_baseline";
}

/** Runs the named estimator (`options` default to ε = 1e-6, β = 0.001). */
export function computeAdvantages(
  name: EstimatorName,
  input: AdvantageInput,
  options: Partial<EstimatorOptions> = {},
): AdvantageOutput {
  const fn = estimators[name];
  if (!fn) throw new RangeError(`unknown estimator "${name}" (known: ${Object.keys(estimators).join(", ")})`);
  return fn(input, { ...DEFAULT_ESTIMATOR_OPTIONS, ...options });
}

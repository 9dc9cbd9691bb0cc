import type { AggregationName } from "../config/rl.js";
import { assertTokenShape, type BatchShape, type Numbers, rowCounts } from "./masked.js";

/**
 * Loss aggregations of docs/method.md#aggregation. Each is linear in the per-token losses, so each is written as the
 * weights w_bt with `loss = Σ w_bt · l_bt` (0 at masked positions): the same weights give the
 * aggregated loss and its gradient. A "seq-mean" averages over rows with at least one valid
 * token, so rows added only to pad a batch to a fixed shape change nothing.
 */
export interface AggregationOptions {
  /** Divisor of seq-mean-token-sum-norm: the max response length (default: the padded width T). */
  normLength?: number;
}

export type AggregationWeights = (
  mask: Numbers,
  shape: BatchShape,
  options?: AggregationOptions,
) => Float64Array;

/** token-mean (docs/method.md#aggregation, the default): the sum over all valid tokens divided by their count. */
export function tokenMeanWeights(mask: Numbers, shape: BatchShape): Float64Array {
  const w = new Float64Array(shape.batchSize * shape.seqLen);
  let count = 0;
  for (let i = 0; i < w.length; i++) if (mask[i] > 0) count++;
  if (count === 0) return w;
  for (let i = 0; i < w.length; i++) if (mask[i] > 0) w[i] = 1 / count;
  return w;
}

/** seq-mean-token-mean (docs/method.md#aggregation, the original GRPO): each row's token mean, then the mean over rows. */
export function seqMeanTokenMeanWeights(mask: Numbers, shape: BatchShape): Float64Array {
  const w = new Float64Array(shape.batchSize * shape.seqLen);
  const counts = rowCounts(mask, shape);
  let rows = 0;
  for (const c of counts) if (c > 0) rows++;
  for (let b = 0; b < shape.batchSize; b++) {
    if (counts[b] === 0) continue;
    const base = b * shape.seqLen;
    for (let t = 0; t < shape.seqLen; t++) if (mask[base + t] > 0) w[base + t] = 1 / (counts[b] * rows);
  }
  return w;
}

/**
 * seq-mean-token-sum-norm (docs/method.md#aggregation, Dr. GRPO): each row's token sum divided by the constant max
 * response length, then the mean over rows — no per-row length normalization, so long and short
 * responses weigh each token alike.
 */
export function seqMeanTokenSumNormWeights(
  mask: Numbers,
  shape: BatchShape,
  options: AggregationOptions = {},
): Float64Array {
  const norm = options.normLength ?? shape.seqLen;
  if (!(norm > 0)) throw new RangeError(`normLength must be positive, got ${norm}`);
  const w = new Float64Array(shape.batchSize * shape.seqLen);
  const counts = rowCounts(mask, shape);
  let rows = 0;
  for (const c of counts) if (c > 0) rows++;
  if (rows === 0) return w;
  for (let i = 0; i < w.length; i++) if (mask[i] > 0) w[i] = 1 / (rows * norm);
  return w;
}

/** The aggregations by name (docs/method.md#aggregation); `rl.aggregation` picks one. */
export const aggregations: Record<AggregationName, AggregationWeights> = {
  "token-mean": tokenMeanWeights,
  "seq-mean-token-mean": seqMeanTokenMeanWeights,
  "seq-mean-token-sum-norm": seqMeanTokenSumNormWeights,
};

/** The weights of a named aggregation. */
export function aggregationWeights(
  name: AggregationName,
  mask: Numbers,
  shape: BatchShape,
  options: AggregationOptions = {},
): Float64Array {
  const fn = aggregations[name];
  if (!fn)
    throw new RangeError(`unknown aggregation "${name}" (known: ${Object.keys(aggregations).join(", ")})`);
  assertTokenShape(shape, { mask });
  return fn(mask, shape, options);
}

/** Aggregates per-token values (a loss, a KL, an entropy) with a named aggregation; 0 when nothing is valid. */
export function aggregate(
  name: AggregationName,
  values: Numbers,
  mask: Numbers,
  shape: BatchShape,
  options: AggregationOptions = {},
): number {
  assertTokenShape(shape, { values });
  const w = aggregationWeights(name, mask, shape, options);
  let sum = 0;
  for (let i = 0; i < w.length; i++) if (w[i] !== 0) sum += w[i] * values[i];
  return sum;
}

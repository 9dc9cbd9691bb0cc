/**
 * Masked reductions over padded B×T batches (row-major), shared by the estimators, losses and
 * statistics. A position counts as valid when its mask entry is > 0 (masks are 0/1 in practice).
 */

/** Numbers read by index: typed arrays and plain arrays alike. */
export type Numbers = ArrayLike<number>;

/** The shape of a padded per-token batch: `batchSize` rows of `seqLen` positions, row-major. */
export interface BatchShape {
  batchSize: number;
  seqLen: number;
}

/** Checks that every per-token array has B*T entries; throws RangeError naming the array. */
export function assertTokenShape(shape: BatchShape, arrays: Record<string, Numbers | undefined>): void {
  const { batchSize, seqLen } = shape;
  if (!Number.isInteger(batchSize) || batchSize < 0 || !Number.isInteger(seqLen) || seqLen < 0)
    throw new RangeError(`batch shape must be non-negative integers, got ${batchSize}x${seqLen}`);
  const want = batchSize * seqLen;
  for (const [name, arr] of Object.entries(arrays))
    if (arr !== undefined && arr.length !== want)
      throw new RangeError(
        `${name} has ${arr.length} entries, expected B*T = ${batchSize}*${seqLen} = ${want}`,
      );
}

/** Checks that every per-sequence array has `n` entries. */
export function assertLength(n: number, arrays: Record<string, Numbers | undefined>): void {
  for (const [name, arr] of Object.entries(arrays))
    if (arr !== undefined && arr.length !== n)
      throw new RangeError(`${name} has ${arr.length} entries, expected ${n}`);
}

/** Mean over valid positions (0 when none is valid) and how many positions are valid. */
function maskedMeanCount(values: Numbers, mask: Numbers): { mean: number; count: number } {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask[i] > 0) {
      sum += values[i];
      count++;
    }
  }
  return { mean: count === 0 ? 0 : sum / count, count };
}

/** Mean of `values` over valid positions; 0 when none is valid. */
export function maskedMean(values: Numbers, mask: Numbers): number {
  return maskedMeanCount(values, mask).mean;
}

/**
 * Mean and unbiased (n−1) variance over valid positions, two-pass for accuracy.
 * `variance` is NaN when fewer than two positions are valid.
 */
export function maskedMeanVar(
  values: Numbers,
  mask: Numbers,
): { mean: number; variance: number; count: number } {
  const { mean, count } = maskedMeanCount(values, mask);
  let ss = 0;
  for (let i = 0; i < values.length; i++) {
    if (mask[i] > 0) {
      const d = values[i] - mean;
      ss += d * d;
    }
  }
  return { mean, variance: count < 2 ? Number.NaN : ss / (count - 1), count };
}

/** Epsilon inside the square root of the global whitening (docs/method.md#reinforce-and-its-baseline-variant). */
export const WHITEN_EPS = 1e-8;

/**
 * Whitening over all valid tokens of the batch (docs/method.md#reinforce-and-its-baseline-variant):
 * `(A − mean) / sqrt(var + 1e-8)`, var unbiased; invalid positions are 0. With fewer than two
 * valid tokens the variance is undefined and every advantage is 0 (verl raises instead).
 */
export function whiten(values: Numbers, mask: Numbers): Float64Array {
  const out = new Float64Array(values.length);
  const { mean, variance, count } = maskedMeanVar(values, mask);
  if (count < 2) return out;
  const inv = 1 / Math.sqrt(variance + WHITEN_EPS);
  for (let i = 0; i < values.length; i++) if (mask[i] > 0) out[i] = (values[i] - mean) * inv;
  return out;
}

/** Number of valid positions in each row. */
export function rowCounts(mask: Numbers, shape: BatchShape): Int32Array {
  const counts = new Int32Array(shape.batchSize);
  for (let b = 0; b < shape.batchSize; b++) {
    let n = 0;
    const base = b * shape.seqLen;
    for (let t = 0; t < shape.seqLen; t++) if (mask[base + t] > 0) n++;
    counts[b] = n;
  }
  return counts;
}

/** Index within its row of the last valid position of each row, or −1 for an empty row. */
export function lastValidIndex(mask: Numbers, shape: BatchShape): Int32Array {
  const last = new Int32Array(shape.batchSize).fill(-1);
  for (let b = 0; b < shape.batchSize; b++) {
    const base = b * shape.seqLen;
    for (let t = shape.seqLen - 1; t >= 0; t--) {
      if (mask[base + t] > 0) {
        last[b] = t;
        break;
      }
    }
  }
  return last;
}

/** Broadcasts one value per row over that row's valid positions (0 elsewhere). */
export function broadcastRows(perRow: Numbers, mask: Numbers, shape: BatchShape): Float32Array {
  const out = new Float32Array(shape.batchSize * shape.seqLen);
  for (let b = 0; b < shape.batchSize; b++) {
    const base = b * shape.seqLen;
    for (let t = 0; t < shape.seqLen; t++) if (mask[base + t] > 0) out[base + t] = perRow[b];
  }
  return out;
}

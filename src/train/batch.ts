import type { PolicyBatch, TokenBatch } from "../model/policy.js";

/** A padded batch of prompt + response sequences with the positions of the response tokens. */
export interface PackedBatch extends TokenBatch {
  /** B*T: 1 at response tokens (end-of-sequence included), else 0. */
  responseMask: Float32Array;
  promptLengths: Int32Array;
  responseLengths: Int32Array;
}

/**
 * Packs prompt + response pairs right-padded into one fixed B x T shape (a fixed shape is one jit
 * trace; a new shape costs seconds of re-tracing). Responses longer than fit are an error, not a
 * silent cut, because every trained token must be in the batch.
 */
export function packSequences(
  prompts: readonly (readonly number[])[],
  responses: readonly (readonly number[])[],
  seqLen: number,
  padId: number,
): PackedBatch {
  if (prompts.length !== responses.length) throw new RangeError("one response per prompt is needed");
  const batchSize = prompts.length;
  const tokens = new Int32Array(batchSize * seqLen).fill(padId);
  const responseMask = new Float32Array(batchSize * seqLen);
  const promptLengths = new Int32Array(batchSize);
  const responseLengths = new Int32Array(batchSize);
  for (let b = 0; b < batchSize; b++) {
    const p = prompts[b];
    const r = responses[b];
    if (p.length + r.length > seqLen)
      throw new RangeError(
        `sequence ${b} has ${p.length + r.length} tokens, more than the batch width ${seqLen}`,
      );
    if (p.length === 0) throw new RangeError(`sequence ${b} has an empty prompt`);
    const base = b * seqLen;
    tokens.set(p, base);
    tokens.set(r, base + p.length);
    responseMask.fill(1, base + p.length, base + p.length + r.length);
    promptLengths[b] = p.length;
    responseLengths[b] = r.length;
  }
  return { batchSize, seqLen, tokens, responseMask, promptLengths, responseLengths };
}

/** Scatters per-response values (one per generated token) to their B*T positions. */
export function scatterResponseValues(
  packed: PackedBatch,
  perResponse: readonly ArrayLike<number>[],
): Float32Array {
  const out = new Float32Array(packed.batchSize * packed.seqLen);
  for (let b = 0; b < packed.batchSize; b++) {
    const values = perResponse[b];
    if (values.length < packed.responseLengths[b])
      throw new RangeError(
        `row ${b}: ${values.length} values for ${packed.responseLengths[b]} response tokens`,
      );
    const start = b * packed.seqLen + packed.promptLengths[b];
    for (let j = 0; j < packed.responseLengths[b]; j++) out[start + j] = values[j];
  }
  return out;
}

/** The rows `rows` of a rollout batch, as a smaller batch of the same width (a PPO mini-batch). */
export function selectRows(batch: PolicyBatch, rows: readonly number[]): PolicyBatch {
  const T = batch.seqLen;
  const take = <A extends Int32Array | Float32Array>(src: A, make: (n: number) => A): A => {
    const out = make(rows.length * T);
    for (const [i, r] of rows.entries()) out.set(src.subarray(r * T, (r + 1) * T), i * T);
    return out;
  };
  return {
    batchSize: rows.length,
    seqLen: T,
    tokens: take(batch.tokens, (n) => new Int32Array(n)),
    responseMask: take(batch.responseMask, (n) => new Float32Array(n)),
    advantages: take(batch.advantages, (n) => new Float32Array(n)),
    oldLogprobs: take(batch.oldLogprobs, (n) => new Float32Array(n)),
    refLogprobs: batch.refLogprobs ? take(batch.refLogprobs, (n) => new Float32Array(n)) : undefined,
  };
}

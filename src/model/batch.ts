import { PAD_ID } from "./tokenizer.js";

/**
 * Host-side batch layout. The Policy contract uses *token alignment* (index t holds the quantity
 * of token t predicted from tokens < t; index 0 is 0); the jitted steps use *prediction alignment*
 * (index t holds the quantity of token t + 1 predicted from tokens ≤ t). Batches are padded to
 * bucket sizes so that the jitted functions see few distinct shapes (each new shape re-traces).
 */

export interface Buckets {
  /** Rows are padded to a multiple of this. */
  batch: number;
  /** Positions are padded to a multiple of this (capped at the context length). */
  seq: number;
}

export const DEFAULT_BUCKETS: Buckets = { batch: 8, seq: 16 };

export function roundUp(n: number, multiple: number): number {
  return Math.max(multiple, Math.ceil(n / multiple) * multiple);
}

/** Padded shape for a B×T batch. */
export function paddedShape(
  batchSize: number,
  seqLen: number,
  context: number,
  buckets: Buckets,
): { B: number; T: number } {
  if (seqLen > context)
    throw new RangeError(`sequence length ${seqLen} exceeds the model's context length ${context}`);
  return { B: roundUp(batchSize, buckets.batch), T: Math.min(context, roundUp(seqLen, buckets.seq)) };
}

export interface PredictionBatch {
  B: number;
  T: number;
  tokens: Int32Array;
  prevTokens: Int32Array;
  targets: Int32Array;
}

/** Pads tokens [batchSize × seqLen] to [B × T] and derives previous tokens and targets. */
export function predictionBatch(
  tokens: ArrayLike<number>,
  batchSize: number,
  seqLen: number,
  B: number,
  T: number,
  vocabSize: number,
): PredictionBatch {
  const tok = new Int32Array(B * T).fill(PAD_ID);
  const prev = new Int32Array(B * T).fill(PAD_ID);
  const tgt = new Int32Array(B * T).fill(PAD_ID);
  for (let b = 0; b < batchSize; b++) {
    for (let t = 0; t < seqLen; t++) {
      const id = tokens[b * seqLen + t];
      if (!Number.isInteger(id) || id < 0 || id >= vocabSize)
        throw new RangeError(
          `token ${id} at row ${b}, position ${t} is outside the vocabulary (size ${vocabSize})`,
        );
      tok[b * T + t] = id;
      if (t + 1 < T) prev[b * T + t + 1] = id;
      if (t > 0) tgt[b * T + t - 1] = id;
    }
  }
  return { B, T, tokens: tok, prevTokens: prev, targets: tgt };
}

/** Moves a token-aligned [batchSize × seqLen] array into prediction alignment, padded to [B × T]. */
export function toPrediction(
  values: ArrayLike<number>,
  batchSize: number,
  seqLen: number,
  B: number,
  T: number,
): Float32Array {
  const out = new Float32Array(B * T);
  for (let b = 0; b < batchSize; b++)
    for (let t = 1; t < seqLen; t++) out[b * T + t - 1] = values[b * seqLen + t];
  return out;
}

/** Moves a prediction-aligned [B × T] array back to token alignment [batchSize × seqLen]. */
export function fromPrediction(
  values: ArrayLike<number>,
  batchSize: number,
  seqLen: number,
  T: number,
): Float32Array {
  const out = new Float32Array(batchSize * seqLen);
  for (let b = 0; b < batchSize; b++)
    for (let t = 1; t < seqLen; t++) out[b * seqLen + t] = values[b * T + t - 1];
  return out;
}

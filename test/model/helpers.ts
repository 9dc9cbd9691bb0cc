import type { ModelConfigInput } from "../../src/config/model.js";
import type { TokenBatch } from "../../src/model/policy.js";

/** A tiny model: compiles in about a second and runs a step in milliseconds. */
export const TINY: ModelConfigInput = {
  vocabSize: 12,
  dModel: 16,
  nLayers: 2,
  nHeads: 2,
  dMlp: 32,
  contextLength: 24,
};

/** Right-pads variable-length sequences into a TokenBatch (PAD = 0). */
export function packSequences(seqs: number[][], seqLen = Math.max(...seqs.map((s) => s.length))): TokenBatch {
  const tokens = new Int32Array(seqs.length * seqLen);
  seqs.forEach((s, b) => {
    s.forEach((t, j) => {
      tokens[b * seqLen + j] = t;
    });
  });
  return { batchSize: seqs.length, seqLen, tokens };
}

/** Deterministic pseudo-random token sequences over ids 2..vocab-1 (no PAD, no EOS). */
export function randomSequences(n: number, len: number, vocab: number, seed: number): number[][] {
  let s = seed >>> 0;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
  return Array.from({ length: n }, () =>
    Array.from({ length: len }, () => 2 + Math.floor(next() * (vocab - 2))),
  );
}

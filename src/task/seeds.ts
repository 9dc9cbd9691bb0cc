/**
 * Derives a 32-bit seed from a tuple of integers (murmur3-style finalizer over each part), so that
 * every random choice is a pure function of (seed, what, index): exam i of a split, the batch of
 * RL step s. Nothing but the tuple is needed to reproduce a draw, which is what makes resume exact.
 */
export function deriveSeed(...parts: readonly number[]): number {
  let h = 0x811c9dc5;
  for (const part of parts) {
    let k = Math.floor(part) >>> 0;
    // Parts beyond 32 bits (rare: large seeds) fold their high word in too.
    const high = Math.floor(part / 4294967296) >>> 0;
    k = (k ^ Math.imul(high, 0x9e3779b1)) >>> 0;
    k = Math.imul(k, 0xcc9e2d51);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, 0x1b873593);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) >>> 0;
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Salts naming what a derived seed is for, so streams never collide. */
export const SeedPurpose = {
  trainExam: 1,
  testExam: 2,
  sftBatch: 3,
  sftMode: 4,
  rlBatch: 5,
  rlSample: 6,
  rlMinibatch: 7,
  evalSample: 8,
  epochOrder: 9,
} as const;

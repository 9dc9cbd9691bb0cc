import { describe, expect, it } from "vitest";
import { packSequences, scatterResponseValues, selectRows } from "../../src/train/batch.js";

describe("packSequences", () => {
  it("right-pads prompt + response and marks the response tokens", () => {
    // Row 0: prompt [5,6], response [7,1] -> 5 6 7 1 0 0, mask 0 0 1 1 0 0.
    // Row 1: prompt [5], response [8,8,1] -> 5 8 8 1 0 0, mask 0 1 1 1 0 0.
    const p = packSequences(
      [[5, 6], [5]],
      [
        [7, 1],
        [8, 8, 1],
      ],
      6,
      0,
    );
    expect(Array.from(p.tokens)).toEqual([5, 6, 7, 1, 0, 0, 5, 8, 8, 1, 0, 0]);
    expect(Array.from(p.responseMask)).toEqual([0, 0, 1, 1, 0, 0, 0, 1, 1, 1, 0, 0]);
    expect(Array.from(p.promptLengths)).toEqual([2, 1]);
    expect(Array.from(p.responseLengths)).toEqual([2, 3]);
    const lp = scatterResponseValues(p, [Float32Array.of(-1, -2), Float32Array.of(-3, -4, -5)]);
    expect(Array.from(lp)).toEqual([0, 0, -1, -2, 0, 0, 0, -3, -4, -5, 0, 0]);
  });

  it("refuses sequences wider than the batch", () => {
    expect(() => packSequences([[1, 2, 3]], [[4, 5]], 4, 0)).toThrow(/more than the batch width/);
  });

  it("selects rows into a mini-batch of the same width", () => {
    const p = packSequences([[1], [2], [3]], [[4], [5], [6]], 2, 0);
    const batch = { ...p, advantages: Float32Array.of(0, 1, 0, 2, 0, 3), oldLogprobs: new Float32Array(6) };
    const mb = selectRows(batch, [2, 0]);
    expect(Array.from(mb.tokens)).toEqual([3, 6, 1, 4]);
    expect(Array.from(mb.advantages)).toEqual([0, 3, 0, 1]);
    expect(mb.refLogprobs).toBeUndefined();
  });
});

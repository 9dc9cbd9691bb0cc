import { describe, expect, it } from "vitest";
import { firstDifference } from "../../src/util/json.js";

describe("firstDifference", () => {
  it("is null for equal values, whatever the key order", () => {
    expect(firstDifference({ a: 1, b: { c: [1, 2] } }, { b: { c: [1, 2] }, a: 1 })).toBeNull();
  });

  it("names the first differing field in sorted key order, arrays compared whole", () => {
    expect(firstDifference({ b: { y: 1, x: 2 }, a: 0 }, { b: { y: 2, x: 3 }, a: 0 })).toBe("b.x");
    expect(firstDifference({ list: [1, 2, 3] }, { list: [1, 2, 4] })).toBe("list");
    expect(firstDifference({ a: 1 }, { a: 1, extra: null })).toBe("extra");
    expect(firstDifference(1, 2)).toBe("(root)");
  });

  it("skips ignored paths with everything below them", () => {
    const ignore = (path: string) => path === "train.steps" || path === "eval";
    const a = { train: { steps: 10, lr: 1 }, eval: { every: 5 } };
    expect(firstDifference(a, { train: { steps: 20, lr: 1 }, eval: { every: 9 } }, ignore)).toBeNull();
    expect(firstDifference(a, { train: { steps: 20, lr: 2 }, eval: { every: 9 } }, ignore)).toBe("train.lr");
  });
});

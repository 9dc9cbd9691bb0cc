import type { Item } from "../data/item.js";
import { Rng } from "../util/rng.js";

export interface ShuffleOptions {
  seed: number;
  /** Only items of this split exchange values (the paper shuffles across the train set); null: all items. */
  split?: string | null;
}

/**
 * The "random weights" ablation (docs/method.md#baselines-and-ablations, [paper]): the values of the selected items are permuted
 * among them with a seeded Fisher–Yates shuffle, so the marginal distribution of values is exactly
 * the same but each value lands on a random item. Points and exam totals stay as they were; the
 * value no longer equals points/examTotal, so `meta.valueSource = "shuffled"` and the original
 * value is kept in `meta.originalValue`.
 */
export function shuffleItemValues(items: readonly Item[], options: ShuffleOptions): Item[] {
  const split = options.split === undefined ? "train" : options.split;
  const chosen: number[] = [];
  items.forEach((it, i) => {
    if (split === null || it.split === split) chosen.push(i);
  });
  const permuted = new Rng(options.seed).shuffle(chosen.map((i) => items[i].value));
  const out = items.slice();
  chosen.forEach((index, k) => {
    const it = items[index];
    const originalValue = typeof it.meta.originalValue === "number" ? it.meta.originalValue : it.value;
    out[index] = {
      ...it,
      value: permuted[k],
      meta: { ...it.meta, valueSource: "shuffled", originalValue, shuffleSeed: options.seed },
    };
  });
  return out;
}

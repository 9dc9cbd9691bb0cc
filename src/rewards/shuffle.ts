import { Rng } from "../util/rng.js";

/** An item's id and its human value v(x). */
export interface ValuedItem {
  id: string;
  value: number;
}

/**
 * The random-weights ablation (docs/method.md#baselines-and-ablations): the train set's values permuted across its items by a
 * seeded Fisher–Yates shuffle, so the marginal distribution of values is unchanged while each
 * item's value is unrelated to its own points. Returns item id → shuffled value.
 */
export function shuffleValues(train: readonly ValuedItem[], seed: number): Map<string, number> {
  const ids = new Set<string>();
  for (const item of train) {
    if (ids.has(item.id)) throw new RangeError(`duplicate train item id "${item.id}" in the value shuffle`);
    ids.add(item.id);
  }
  const permuted = new Rng(seed).shuffle(train.map((item) => item.value));
  return new Map(train.map((item, i) => [item.id, permuted[i]]));
}

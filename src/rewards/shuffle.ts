import { Rng } from "../util/rng.js";

/** An item's id and its human value v(x). */
export interface ValuedItem {
  id: string;
  value: number;
  /** The item's difficulty (chain steps on the embedded task); the within-difficulty controls need it. */
  difficulty?: number;
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

/**
 * The within-difficulty shuffle (control `shuffled-within`): values permuted only among train items
 * of the same difficulty, so each difficulty keeps its own multiset of values (and its mean s(x))
 * while a question's value no longer belongs to it. Items without a difficulty are an error.
 */
export function shuffleValuesWithin(train: readonly ValuedItem[], seed: number): Map<string, number> {
  const groups = new Map<number, ValuedItem[]>();
  for (const item of train) {
    if (item.difficulty === undefined || !Number.isFinite(item.difficulty))
      throw new RangeError(
        `train item "${item.id}" has no difficulty (the within-difficulty shuffle needs one)`,
      );
    const g = groups.get(item.difficulty) ?? [];
    g.push(item);
    groups.set(item.difficulty, g);
  }
  const out = new Map<string, number>();
  // Difficulties in ascending order, each with its own derived seed: the result does not depend on item order across groups.
  for (const d of [...groups.keys()].sort((a, b) => a - b))
    for (const [id, v] of shuffleValues(groups.get(d)!, seed * 1000003 + d)) out.set(id, v);
  if (out.size !== train.length)
    throw new RangeError("duplicate train item id in the within-difficulty shuffle");
  return out;
}

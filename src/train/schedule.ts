import { deriveSeed, SeedPurpose } from "../task/seeds.js";
import { Rng } from "../util/rng.js";

/**
 * Which items a step trains on, as a pure function of (seed, step): the train set is walked in
 * epochs, each epoch in its own seeded order. A resumed run therefore needs no RNG state but the
 * step number to draw exactly the batches an uninterrupted run would.
 */
export class EpochSchedule {
  private readonly cache = new Map<number, number[]>();

  constructor(
    private readonly seed: number,
    private readonly purpose: number,
    private readonly itemCount: number,
  ) {
    if (itemCount < 1) throw new RangeError("EpochSchedule needs at least one item");
  }

  /** Item indices of batch `step` (batches of `size` consecutive positions of the epoch walk). */
  batch(step: number, size: number): number[] {
    const out: number[] = [];
    for (let i = 0; i < size; i++) {
      const position = step * size + i;
      const epoch = Math.floor(position / this.itemCount);
      out.push(this.order(epoch)[position % this.itemCount]);
    }
    return out;
  }

  private order(epoch: number): number[] {
    let order = this.cache.get(epoch);
    if (!order) {
      const rng = new Rng(deriveSeed(this.seed, this.purpose, SeedPurpose.epochOrder, epoch));
      order = rng.shuffle(Array.from({ length: this.itemCount }, (_, i) => i));
      // Only the current and next epoch are ever needed again.
      if (this.cache.size > 2) this.cache.delete(Math.min(...this.cache.keys()));
      this.cache.set(epoch, order);
    }
    return order;
  }
}

/** Learning rate at a (0-based) step: linear warm-up over `warmupSteps`, then constant. */
export function learningRateAt(step: number, baseLr: number, warmupSteps: number): number {
  if (warmupSteps <= 0 || step >= warmupSteps) return baseLr;
  return (baseLr * (step + 1)) / warmupSteps;
}

/** Row order of PPO epoch `epoch` of RL step `step`, split into `count` equal mini-batches. */
export function miniBatchRows(
  seed: number,
  step: number,
  epoch: number,
  rows: number,
  count: number,
): number[][] {
  if (rows % count !== 0) throw new RangeError(`${count} mini-batches do not divide ${rows} rows`);
  const order = new Rng(deriveSeed(seed, SeedPurpose.rlMinibatch, step, epoch)).shuffle(
    Array.from({ length: rows }, (_, i) => i),
  );
  const size = rows / count;
  return Array.from({ length: count }, (_, m) => order.slice(m * size, (m + 1) * size));
}

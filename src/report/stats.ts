import { type Interval, pairedDifference, seedCi } from "../metrics/intervals.js";
import type { Estimate, SeriesPoint } from "./types.js";

/**
 * Adapters from the metrics layer's intervals to the report's `Estimate`; the statistics themselves
 * live in metrics/intervals.ts (one function per formula).
 */

/** An interval (NaN bounds = none, e.g. one seed) as a report estimate. */
export function toEstimate(ci: Interval & { n?: number }): Estimate {
  const e: Estimate = { mean: ci.estimate };
  if (Number.isFinite(ci.lo) && Number.isFinite(ci.hi)) {
    e.lo = ci.lo;
    e.hi = ci.hi;
  }
  if (ci.n !== undefined) e.n = ci.n;
  return e;
}

/**
 * Mean over seeds with its 95% Student-t interval (`seedCi`): `mean ± t(0.975, n−1)·s/√n`.
 * One seed gives no interval; non-finite values are dropped.
 */
export function seedEstimate(values: readonly number[]): Estimate {
  const xs = values.filter(Number.isFinite);
  if (xs.length === 0) throw new RangeError("seedEstimate needs at least one finite value");
  return toEstimate(seedCi(xs));
}

/** Paired difference a − b over the same seeds (e.g. high- minus low-value length), 95% t interval. */
export function pairedEstimate(a: readonly number[], b: readonly number[]): Estimate {
  return toEstimate(pairedDifference(a, b));
}

/**
 * Turns one curve per seed (x → y) into the mean curve with a 95% CI band: points are matched
 * by x, each x averages the seeds that logged it, and the result is sorted by x.
 */
export function aggregateSeeds(
  perSeed: ReadonlyArray<ReadonlyArray<{ x: number; y: number }>>,
): SeriesPoint[] {
  const byX = new Map<number, number[]>();
  for (const run of perSeed)
    for (const p of run) {
      if (!Number.isFinite(p.x) || !Number.isFinite(p.y)) continue;
      const list = byX.get(p.x);
      if (list) list.push(p.y);
      else byX.set(p.x, [p.y]);
    }
  return [...byX.entries()].sort((a, b) => a[0] - b[0]).map(([x, ys]) => ({ x, ...seedEstimate(ys) }));
}

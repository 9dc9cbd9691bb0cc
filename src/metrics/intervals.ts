import { Rng } from "../util/rng.js";
import { studentTQuantile } from "./student-t.js";

/** A point estimate with a two-sided confidence interval (bounds NaN when undefined). */
export interface Interval {
  estimate: number;
  lo: number;
  hi: number;
  level: number;
}

export interface BootstrapOptions {
  /** Number of resamples (default 1000). */
  resamples?: number;
  /** Confidence level (default 0.95). */
  level?: number;
  /** Seed of the resampling (default 0). */
  seed?: number;
}

function resolved(o: BootstrapOptions): Required<BootstrapOptions> {
  const r = { resamples: o.resamples ?? 1000, level: o.level ?? 0.95, seed: o.seed ?? 0 };
  if (!(Number.isInteger(r.resamples) && r.resamples >= 1))
    throw new RangeError(`resamples must be a positive integer, got ${r.resamples}`);
  if (!(r.level > 0 && r.level < 1)) throw new RangeError(`level must lie in (0, 1), got ${r.level}`);
  return r;
}

/** Linear-interpolation quantile (type 7, as numpy's default) of sorted finite values. */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) return Number.NaN;
  const pos = (n - 1) * q;
  const i = Math.floor(pos);
  const frac = pos - i;
  return i + 1 < n ? sorted[i] + frac * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/**
 * Percentile bootstrap of several statistics at once over `n` resampling units (items or seeds):
 * each resample draws n units with replacement, given to `statistics` as a multiplicity per unit
 * (weights summing to n), so a statistic written over weights serves the estimate (all weights 1)
 * and every resample alike. Resamples where a statistic is not finite are dropped for it.
 */
export function bootstrapWeighted<K extends string>(
  n: number,
  statistics: (weights: Float64Array) => Record<K, number>,
  options: BootstrapOptions = {},
): Record<K, Interval> {
  const { resamples, level, seed } = resolved(options);
  const ones = new Float64Array(n).fill(1);
  const estimate = statistics(ones);
  const keys = Object.keys(estimate) as K[];
  const draws = new Map<K, number[]>(keys.map((k) => [k, []]));
  const rng = new Rng(seed);
  const weights = new Float64Array(n);
  for (let r = 0; r < resamples && n > 0; r++) {
    weights.fill(0);
    for (let i = 0; i < n; i++) weights[rng.int(n)]++;
    const stats = statistics(weights);
    for (const k of keys) if (Number.isFinite(stats[k])) draws.get(k)!.push(stats[k]);
  }
  const out = {} as Record<K, Interval>;
  for (const k of keys) {
    const sorted = draws.get(k)!.sort((a, b) => a - b);
    out[k] = {
      estimate: estimate[k],
      lo: quantileSorted(sorted, (1 - level) / 2),
      hi: quantileSorted(sorted, (1 + level) / 2),
      level,
    };
  }
  return out;
}

/** Percentile bootstrap CI of one statistic of a list of units (seeded). */
export function bootstrapCi<T>(
  units: readonly T[],
  statistic: (sample: T[]) => number,
  options: BootstrapOptions = {},
): Interval {
  const { resamples, level, seed } = resolved(options);
  const rng = new Rng(seed);
  const draws: number[] = [];
  const sample: T[] = new Array(units.length);
  for (let r = 0; r < resamples && units.length > 0; r++) {
    for (let i = 0; i < units.length; i++) sample[i] = units[rng.int(units.length)];
    const s = statistic(sample);
    if (Number.isFinite(s)) draws.push(s);
  }
  draws.sort((a, b) => a - b);
  return {
    estimate: statistic(units.slice()),
    lo: quantileSorted(draws, (1 - level) / 2),
    hi: quantileSorted(draws, (1 + level) / 2),
    level,
  };
}

/** Mean and sample standard deviation (n−1; NaN for fewer than two values). */
export function meanSd(values: readonly number[]): { n: number; mean: number; sd: number } {
  const n = values.length;
  const mean = n === 0 ? Number.NaN : values.reduce((a, b) => a + b, 0) / n;
  const sd = n < 2 ? Number.NaN : Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  return { n, mean, sd };
}

/** A CI over seeds: the mean of per-seed results with its spread. */
export interface SeedInterval extends Interval {
  n: number;
  sd: number;
  method: "t" | "bootstrap";
}

/**
 * Confidence interval of the mean of per-seed results. "t": `mean ± t_{(1+level)/2, n−1}·sd/√n`
 * (bounds NaN for fewer than two seeds); "bootstrap": percentile bootstrap of the mean over seeds
 * (with few seeds it is too narrow; prefer t).
 */
export function seedCi(
  values: readonly number[],
  options: BootstrapOptions & { method?: "t" | "bootstrap" } = {},
): SeedInterval {
  const method = options.method ?? "t";
  const { n, mean, sd } = meanSd(values);
  if (method === "bootstrap") {
    const ci = bootstrapCi(values, (s) => s.reduce((a, b) => a + b, 0) / s.length, options);
    return { ...ci, n, sd, method };
  }
  const level = resolved(options).level;
  if (n < 2) return { estimate: mean, lo: Number.NaN, hi: Number.NaN, level, n, sd, method };
  const half = (studentTQuantile((1 + level) / 2, n - 1) * sd) / Math.sqrt(n);
  return { estimate: mean, lo: mean - half, hi: mean + half, level, n, sd, method };
}

/** Paired difference `a_i − b_i` of two arms measured on the same seeds or items (aligned by index). */
export interface PairedDifference extends SeedInterval {
  /** Pairs where a > b, a < b, a = b. */
  wins: number;
  losses: number;
  ties: number;
}

/**
 * Paired differences between two arms over the same seeds (or items): the mean of `a_i − b_i`
 * with a t-based (default) or bootstrap CI. Pairing removes the seed-to-seed (item-to-item)
 * variation shared by both arms.
 */
export function pairedDifference(
  a: readonly number[],
  b: readonly number[],
  options: BootstrapOptions & { method?: "t" | "bootstrap" } = {},
): PairedDifference {
  if (a.length !== b.length)
    throw new RangeError(`paired arms need the same length, got ${a.length} and ${b.length}`);
  const diffs = a.map((x, i) => x - b[i]);
  let wins = 0;
  let losses = 0;
  for (const d of diffs) {
    if (d > 0) wins++;
    else if (d < 0) losses++;
  }
  return { ...seedCi(diffs, options), wins, losses, ties: diffs.length - wins - losses };
}

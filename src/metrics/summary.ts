import {
  accuracy,
  hAcc,
  meanAtN,
  meanResponseLength,
  passAtK,
  sliceOfOrdered,
  valueDensity,
} from "./core.js";
import type { ItemResult } from "./graded.js";
import {
  type BootstrapOptions,
  bootstrapWeighted,
  type Interval,
  type PairedDifference,
  pairedDifference,
  type SeedInterval,
  seedCi,
} from "./intervals.js";

export interface SummaryOptions {
  /** k values of pass@k (each needs n ≥ k samples per prompt; prompts with fewer are left out). */
  k?: readonly number[];
  /** Share of prompts in the top/bottom value slices (default 0.2). */
  sliceFraction?: number;
  /** Number of value buckets for length by value (default 5). */
  buckets?: number;
  /** Bootstrap over prompts; resamples 0 turns the CIs off. */
  bootstrap?: BootstrapOptions;
}

/** A metric of one run: its estimate and (when bootstrapped) a CI over prompts. */
export type Metric = Interval;

export interface GroupRow {
  items: number;
  responses: number;
  acc: number;
  hAcc: number;
  meanLength: number;
}

export interface DifficultyRow extends GroupRow {
  difficulty: number | string | null;
}

export interface ValueBucketRow extends GroupRow {
  bucket: number;
  /** Lowest and highest value in the bucket. */
  lo: number;
  hi: number;
}

export interface RunSummary {
  responses: number;
  items: number;
  /** Samples per prompt: min and max. */
  samplesPerItem: { min: number; max: number };
  /** Fractions in [0, 1] (Acc, H-Acc, slices, pass@k, mean@n); tokens (meanLength); density in %/token. */
  metrics: Record<string, Metric>;
  /** Prompts that entered each pass@k. */
  passAtKItems: Record<string, number>;
  byDifficulty: DifficultyRow[];
  lengthByValue: ValueBucketRow[];
  sliceFraction: number;
  bootstrap: { resamples: number; seed: number; level: number } | null;
}

/** Response-weighted per-prompt columns for the metric functions, under prompt multiplicities `w`. */
function runMetrics(
  items: readonly ItemResult[],
  order: { top: number[]; bottom: number[] },
  o: Required<Pick<SummaryOptions, "k" | "sliceFraction">>,
) {
  const values = items.map((it) => it.value);
  const meanScores = items.map((it) => it.scoreSum / it.n);
  const meanLengths = items.map((it) => it.lengthSum / it.n);
  const passes = o.k.map((k) =>
    items.map((it) => (it.n >= k ? passAtK(it.n, it.fullCorrect, k) : Number.NaN)),
  );
  return (w: Float64Array): Record<string, number> => {
    // A prompt with n responses weighs n in response-level metrics.
    const rw = items.map((it, i) => w[i] * it.n);
    const acc = accuracy(meanScores, rw);
    const h = hAcc(values, meanScores, rw);
    const len = meanResponseLength(meanLengths, rw);
    const out: Record<string, number> = {
      acc,
      hAcc: h,
      meanLength: len,
      valueDensity: valueDensity(h, len),
      topAcc: sliceOfOrdered(order.top, values, meanScores, o.sliceFraction, w),
      bottomAcc: sliceOfOrdered(order.bottom, values, meanScores, o.sliceFraction, w),
      meanAtN: meanAtN(meanScores, w),
    };
    o.k.forEach((k, j) => {
      const pw = items.map((it, i) => (it.n >= k ? w[i] : 0));
      const pv = passes[j].map((p) => (Number.isNaN(p) ? 0 : p));
      out[`pass@${k}`] = accuracy(pv, pw);
    });
    return out;
  };
}

function groupRow(items: readonly ItemResult[]): GroupRow {
  const rw = items.map((it) => it.n);
  const meanScores = items.map((it) => it.scoreSum / it.n);
  return {
    items: items.length,
    responses: rw.reduce((a, b) => a + b, 0),
    acc: accuracy(meanScores, rw),
    hAcc: hAcc(
      items.map((it) => it.value),
      meanScores,
      rw,
    ),
    meanLength: meanResponseLength(
      items.map((it) => it.lengthSum / it.n),
      rw,
    ),
  };
}

/** Accuracy, H-Acc and length per difficulty (ours, docs/method.md#metrics); numeric difficulties ascending, then the rest. */
export function accuracyByDifficulty(items: readonly ItemResult[]): DifficultyRow[] {
  const groups = new Map<number | string | null, ItemResult[]>();
  for (const it of items) {
    const key = it.difficulty ?? null;
    const list = groups.get(key) ?? [];
    list.push(it);
    groups.set(key, list);
  }
  const keys = [...groups.keys()].sort((a, b) => {
    if (typeof a === "number" && typeof b === "number") return a - b;
    if (typeof a === "number") return -1;
    if (typeof b === "number") return 1;
    return String(a).localeCompare(String(b));
  });
  return keys.map((difficulty) => ({ difficulty, ...groupRow(groups.get(difficulty)!) }));
}

/**
 * Length by value bucket (ours, docs/method.md#metrics): prompts sorted by value split into `buckets` equal-count
 * slices by rank; prompts tied in value all go to the bucket of the first of them, so a value
 * never straddles two buckets (buckets may then be uneven, and empty ones are omitted).
 */
export function lengthByValueBucket(items: readonly ItemResult[], buckets = 5): ValueBucketRow[] {
  if (!(Number.isInteger(buckets) && buckets >= 1))
    throw new RangeError(`buckets must be a positive integer, got ${buckets}`);
  const sorted = items.slice().sort((a, b) => a.value - b.value);
  const members: ItemResult[][] = Array.from({ length: buckets }, () => []);
  let bucket = 0;
  sorted.forEach((it, rank) => {
    if (rank === 0 || it.value !== sorted[rank - 1].value)
      bucket = Math.min(buckets - 1, Math.floor((buckets * rank) / sorted.length));
    members[bucket].push(it);
  });
  return members.flatMap((list, b) =>
    list.length === 0
      ? []
      : [{ bucket: b + 1, lo: list[0].value, hi: list[list.length - 1].value, ...groupRow(list) }],
  );
}

/** All metrics of one run from its prompts, with percentile-bootstrap CIs over prompts. */
export function summarizeRun(items: readonly ItemResult[], options: SummaryOptions = {}): RunSummary {
  if (items.length === 0) throw new RangeError("no graded prompts to summarize");
  const k = options.k ?? [1];
  for (const x of k)
    if (!(Number.isInteger(x) && x >= 1)) throw new RangeError(`k must be a positive integer, got ${x}`);
  const sliceFraction = options.sliceFraction ?? 0.2;
  const byValueDesc = items.map((_, i) => i).sort((a, b) => items[b].value - items[a].value);
  const order = { top: byValueDesc, bottom: byValueDesc.slice().reverse() };
  const stat = runMetrics(items, order, { k, sliceFraction });
  const resamples = options.bootstrap?.resamples ?? 1000;
  let metrics: Record<string, Metric>;
  let bootstrap: RunSummary["bootstrap"] = null;
  if (resamples > 0) {
    metrics = bootstrapWeighted(items.length, stat, { ...options.bootstrap, resamples });
    bootstrap = { resamples, seed: options.bootstrap?.seed ?? 0, level: options.bootstrap?.level ?? 0.95 };
  } else {
    const est = stat(new Float64Array(items.length).fill(1));
    metrics = Object.fromEntries(
      Object.entries(est).map(([name, estimate]) => [
        name,
        { estimate, lo: Number.NaN, hi: Number.NaN, level: Number.NaN },
      ]),
    );
  }
  const ns = items.map((it) => it.n);
  return {
    responses: ns.reduce((a, b) => a + b, 0),
    items: items.length,
    samplesPerItem: { min: Math.min(...ns), max: Math.max(...ns) },
    metrics,
    passAtKItems: Object.fromEntries(k.map((x) => [`pass@${x}`, items.filter((it) => it.n >= x).length])),
    byDifficulty: accuracyByDifficulty(items),
    lengthByValue: lengthByValueBucket(items, options.buckets ?? 5),
    sliceFraction,
    bootstrap,
  };
}

/** Metrics of several runs (seeds): each seed's estimate and a CI of their mean. */
export interface SeedsSummary {
  seeds: number;
  metrics: Record<string, SeedInterval & { perSeed: number[] }>;
}

/** Across-seed summary of per-seed runs: mean with a t-based (default) or bootstrap CI over seeds. */
export function summarizeSeeds(
  runs: readonly RunSummary[],
  options: BootstrapOptions & { method?: "t" | "bootstrap" } = {},
): SeedsSummary {
  const names = Object.keys(runs[0]?.metrics ?? {}).filter((name) => runs.every((r) => name in r.metrics));
  const metrics: SeedsSummary["metrics"] = {};
  for (const name of names) {
    const perSeed = runs.map((r) => r.metrics[name].estimate);
    metrics[name] = { ...seedCi(perSeed, options), perSeed };
  }
  return { seeds: runs.length, metrics };
}

/** Paired comparison of two arms: per metric, the difference A − B with its CI. */
export interface Comparison {
  /** "items": one run per arm, paired bootstrap over shared prompts; "seeds": paired over seeds (t). */
  pairing: "items" | "seeds";
  pairs: number;
  metrics: Record<string, Interval | PairedDifference>;
}

/**
 * Paired item bootstrap of two arms graded on the same prompts: each resample draws prompts once
 * and computes every metric on both arms, so the CI of A − B excludes prompt-to-prompt variation
 * shared by the arms. The prompt sets must match.
 */
export function compareRuns(
  a: readonly ItemResult[],
  b: readonly ItemResult[],
  options: SummaryOptions = {},
): Comparison {
  const bById = new Map(b.map((it) => [it.id, it]));
  if (a.length !== b.length || a.some((it) => !bById.has(it.id)))
    throw new RangeError(
      `paired comparison needs the same prompts in both arms (${a.length} vs ${b.length} prompts, or different ids)`,
    );
  const bAligned = a.map((it) => bById.get(it.id)!);
  const k = (options.k ?? [1]).filter((x) => a.every((it) => it.n >= x) && bAligned.every((it) => it.n >= x));
  const sliceFraction = options.sliceFraction ?? 0.2;
  const orderOf = (items: readonly ItemResult[]) => {
    const desc = items.map((_, i) => i).sort((x, y) => items[y].value - items[x].value);
    return { top: desc, bottom: desc.slice().reverse() };
  };
  const sa = runMetrics(a, orderOf(a), { k, sliceFraction });
  const sb = runMetrics(bAligned, orderOf(bAligned), { k, sliceFraction });
  const stat = (w: Float64Array) => {
    const x = sa(w);
    const y = sb(w);
    return Object.fromEntries(Object.keys(x).map((name) => [name, x[name] - y[name]]));
  };
  const resamples = options.bootstrap?.resamples ?? 1000;
  const metrics =
    resamples > 0
      ? bootstrapWeighted(a.length, stat, { ...options.bootstrap, resamples })
      : Object.fromEntries(
          Object.entries(stat(new Float64Array(a.length).fill(1))).map(([n, e]) => [
            n,
            { estimate: e, lo: Number.NaN, hi: Number.NaN, level: Number.NaN },
          ]),
        );
  return { pairing: "items", pairs: a.length, metrics };
}

/** Paired comparison over seeds: the i-th run of each arm shares seed i. */
export function compareSeeds(
  a: readonly RunSummary[],
  b: readonly RunSummary[],
  options: BootstrapOptions & { method?: "t" | "bootstrap" } = {},
): Comparison {
  if (a.length !== b.length)
    throw new RangeError(`paired seeds need as many runs in each arm (${a.length} vs ${b.length})`);
  const names = Object.keys(a[0].metrics).filter(
    (n) => a.every((r) => n in r.metrics) && b.every((r) => n in r.metrics),
  );
  const metrics: Comparison["metrics"] = {};
  for (const name of names)
    metrics[name] = pairedDifference(
      a.map((r) => r.metrics[name].estimate),
      b.map((r) => r.metrics[name].estimate),
      options,
    );
  return { pairing: "seeds", pairs: a.length, metrics };
}

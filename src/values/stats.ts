import { type Item, VALUE_SOURCES, type ValueSource, valueSourceOf } from "../data/item.js";
import { countsTowardExam } from "./value.js";

/** Histogram edges of the value distribution (the bins of the GAOKAO data README), half-open [lo, hi). */
export const VALUE_BIN_EDGES = [0, 0.01, 0.02, 0.03, 0.04, 0.06, 0.08, 0.1, 0.15, 0.25, 1] as const;

export interface Summary {
  min: number;
  median: number;
  max: number;
}

export interface ValueStats {
  count: number;
  exams: number;
  alpha: number;
  valueSources: Partial<Record<ValueSource, number>>;
  mean: number;
  min: number;
  median: number;
  max: number;
  distinctValues: number;
  /** The most frequent values, most frequent first (ties: smaller value first). */
  commonValues: { value: number; count: number }[];
  /** Bins are [lo, hi); the last bin also holds v = 1. */
  histogram: { lo: number; hi: number; count: number }[];
  /** Items where alpha * v > 1, i.e. where RLEV's clip min(alpha * v, 1) binds (docs/method.md#rlev-reward). */
  clipped: { count: number; share: number };
  /** Per exam, the sum of its items' values (within-exam duplicates excluded): the share of the exam the data covers. */
  examCoverage: Summary;
  /** Items flagged as within-exam duplicates (`meta.duplicateOf`). */
  duplicates: number;
}

/** Median of sorted numbers: the middle one, or the mean of the two middle ones. */
export function medianOfSorted(xs: ArrayLike<number>): number {
  const n = xs.length;
  if (n === 0) return Number.NaN;
  const mid = n >> 1;
  return n % 2 ? xs[mid] : (xs[mid - 1] + xs[mid]) / 2;
}

function summary(values: number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  return {
    min: sorted[0] ?? Number.NaN,
    median: medianOfSorted(sorted),
    max: sorted[sorted.length - 1] ?? Number.NaN,
  };
}

/** Incremental statistics, so a large file can be summarized while it streams. */
export class ValueStatsAccumulator {
  private readonly values: number[] = [];
  private readonly examSums = new Map<string, number>();
  private readonly sources: Partial<Record<ValueSource, number>> = {};
  private duplicates = 0;
  private sum = 0;

  add(item: Pick<Item, "value" | "examId" | "meta">): void {
    this.values.push(item.value);
    this.sum += item.value;
    const src = valueSourceOf(item);
    this.sources[src] = (this.sources[src] ?? 0) + 1;
    if (countsTowardExam(item))
      this.examSums.set(item.examId, (this.examSums.get(item.examId) ?? 0) + item.value);
    else {
      this.duplicates++;
      if (!this.examSums.has(item.examId)) this.examSums.set(item.examId, 0);
    }
  }

  result(alpha: number): ValueStats {
    const n = this.values.length;
    const sorted = Float64Array.from(this.values).sort();
    const histogram = VALUE_BIN_EDGES.slice(0, -1).map((lo, i) => ({
      lo,
      hi: VALUE_BIN_EDGES[i + 1],
      count: 0,
    }));
    const counts = new Map<number, number>();
    let clipped = 0;
    for (const v of sorted) {
      let b = histogram.findIndex((bin) => v >= bin.lo && v < bin.hi);
      if (b < 0) b = histogram.length - 1; // v = 1
      histogram[b].count++;
      counts.set(v, (counts.get(v) ?? 0) + 1);
      if (alpha * v > 1) clipped++;
    }
    const commonValues = [...counts.entries()]
      .map(([value, count]) => ({ value, count }))
      .sort((a, b) => b.count - a.count || a.value - b.value)
      .slice(0, 8);
    const valueSources: Partial<Record<ValueSource, number>> = {};
    for (const s of VALUE_SOURCES) if (this.sources[s]) valueSources[s] = this.sources[s];
    return {
      count: n,
      exams: this.examSums.size,
      alpha,
      valueSources,
      mean: n ? this.sum / n : Number.NaN,
      min: sorted[0] ?? Number.NaN,
      median: medianOfSorted(sorted),
      max: sorted[n - 1] ?? Number.NaN,
      distinctValues: counts.size,
      commonValues,
      histogram,
      clipped: { count: clipped, share: n ? clipped / n : 0 },
      examCoverage: summary([...this.examSums.values()]),
      duplicates: this.duplicates,
    };
  }
}

/** Statistics of a set of values (docs/method.md#rlev-reward: the share where alpha * v > 1 is where the clip binds). */
export function valueStats(
  items: Iterable<Pick<Item, "value" | "examId" | "meta">>,
  options: { alpha?: number } = {},
): ValueStats {
  const acc = new ValueStatsAccumulator();
  for (const it of items) acc.add(it);
  return acc.result(options.alpha ?? 10);
}

const f4 = (x: number) => x.toFixed(4);

/** A human-readable report of `valueStats`. */
export function formatValueStats(s: ValueStats): string {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  const sources = Object.entries(s.valueSources)
    .map(([k, v]) => `${k} ${v}`)
    .join(", ");
  const width = Math.max(...s.histogram.map((b) => b.count), 1);
  const lines = [
    `items          ${s.count}`,
    `exams          ${s.exams}`,
    `value sources  ${sources || "-"}`,
    `value          mean ${f4(s.mean)}  min ${f4(s.min)}  median ${f4(s.median)}  max ${f4(s.max)}  (${s.distinctValues} distinct)`,
    `alpha*v > 1    ${s.clipped.count} items (${pct(s.clipped.share)}) at alpha = ${s.alpha}`,
    `exam coverage  min ${f4(s.examCoverage.min)}  median ${f4(s.examCoverage.median)}  max ${f4(s.examCoverage.max)}  (sum of values per exam)`,
    `duplicates     ${s.duplicates} within-exam duplicates (not counted in exam coverage)`,
    `common values  ${s.commonValues.map((c) => `${f4(c.value)} x${c.count}`).join(", ")}`,
    "histogram",
    ...s.histogram.map(
      (b) =>
        `  [${b.lo.toFixed(2)}, ${b.hi.toFixed(2)}${b.hi === 1 ? "]" : ")"}  ${String(b.count).padStart(6)}  ${"#".repeat(Math.round((40 * b.count) / width))}`,
    ),
  ];
  return `${lines.join("\n")}\n`;
}

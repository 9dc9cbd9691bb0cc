import type { RunSummary, SeedsSummary, ValueBucketRow } from "../metrics/summary.js";
import { seedEstimate, toEstimate } from "./stats.js";
import type { BucketChart, Estimate, MetricColumn, ResultRow, ResultsTable, ValueBucket } from "./types.js";

/**
 * Builders from the metrics layer's summaries (metrics/summary.ts) to report sections, so that the
 * demo, the experiment grid and the endpoint evaluation fill a report the same way.
 */

/** Display of the metric names `summarizeRun` produces (fractions as percent, length in tokens). */
export const METRIC_COLUMNS: Readonly<Record<string, MetricColumn>> = {
  acc: {
    key: "acc",
    label: "Acc",
    format: "percent",
    better: "higher",
    description: "share of correct responses",
  },
  hAcc: {
    key: "hAcc",
    label: "H-Acc",
    format: "percent",
    better: "higher",
    description: "human-aligned accuracy: Σ_correct v(x) / Σ v(x)",
  },
  meanLength: {
    key: "meanLength",
    label: "Length",
    unit: "tokens",
    digits: 1,
    description: "mean response length",
  },
  valueDensity: {
    key: "valueDensity",
    label: "Density",
    digits: 2,
    better: "higher",
    description: "value density: H-Acc in percent / mean length",
  },
  topAcc: {
    key: "topAcc",
    label: "Top 20%",
    format: "percent",
    description: "accuracy on the highest-value 20%",
  },
  bottomAcc: {
    key: "bottomAcc",
    label: "Bottom 20%",
    format: "percent",
    description: "accuracy on the lowest-value 20%",
  },
  meanAtN: {
    key: "meanAtN",
    label: "mean@n",
    format: "percent",
    description: "mean over prompts of per-prompt accuracy",
  },
};

/** The paper's table columns, in its order. */
export const DEFAULT_RESULT_METRICS: readonly string[] = [
  "acc",
  "hAcc",
  "meanLength",
  "valueDensity",
  "topAcc",
  "bottomAcc",
];

function columnFor(name: string): MetricColumn {
  const known = METRIC_COLUMNS[name];
  if (known) return known;
  // pass@k and anything new: fractions by the metrics layer's convention.
  return { key: name, label: name, format: name.startsWith("pass@") ? "percent" : "number" };
}

export interface RowSource {
  arm?: string;
  label?: string;
  group?: string;
  note?: string;
}

/** Results over seeds: one row per arm (or grid cell), mean and Student-t 95% CI from `summarizeSeeds`. */
export function resultsFromSeeds(
  rows: ReadonlyArray<RowSource & { seeds: SeedsSummary }>,
  opts: { metrics?: readonly string[]; caption?: string } = {},
): ResultsTable {
  const metrics = opts.metrics ?? DEFAULT_RESULT_METRICS;
  const seedCounts = [...new Set(rows.map((r) => r.seeds.seeds))];
  const methods = new Set(rows.flatMap((r) => Object.values(r.seeds.metrics).map((m) => m.method)));
  const how = methods.size === 1 && methods.has("bootstrap") ? "percentile-bootstrap" : "Student-t";
  return {
    caption: opts.caption,
    ciMethod: `the ${how} 95% CI over ${seedCounts.length === 1 ? seedCounts[0] : seedCounts.join("/")} seeds`,
    columns: metrics.map(columnFor),
    rows: rows.map((r): ResultRow => {
      const cells: Record<string, Estimate | null> = {};
      for (const name of metrics) {
        const m = r.seeds.metrics[name];
        cells[name] = m ? toEstimate(m) : null;
      }
      return { arm: r.arm, label: r.label, group: r.group, note: r.note, cells };
    }),
  };
}

/**
 * Results of single runs (e.g. an endpoint evaluation): the estimate with its percentile-bootstrap
 * CI over prompts from `summarizeRun`; n is 1 (one run).
 */
export function resultsFromRuns(
  rows: ReadonlyArray<RowSource & { run: RunSummary }>,
  opts: { metrics?: readonly string[]; caption?: string } = {},
): ResultsTable {
  const metrics = opts.metrics ?? DEFAULT_RESULT_METRICS;
  const boot = rows.find((r) => r.run.bootstrap)?.run.bootstrap;
  return {
    caption: opts.caption,
    ciMethod: boot
      ? `the percentile-bootstrap ${Math.round(boot.level * 100)}% CI over prompts (${boot.resamples} resamples); one run, so n = 1`
      : "no interval (bootstrap off); one run, so n = 1",
    columns: metrics.map(columnFor),
    rows: rows.map((r): ResultRow => {
      const cells: Record<string, Estimate | null> = {};
      for (const name of metrics) {
        const m = r.run.metrics[name];
        cells[name] = m ? { ...toEstimate(m), n: 1 } : null;
      }
      return { arm: r.arm, label: r.label, group: r.group, note: r.note, cells };
    }),
  };
}

/** Labels with one precision for all buckets: three decimals when any bound is below 0.1 (typical v ≈ 0.02). */
function bucketLabels(rows: readonly ValueBucketRow[]): string[] {
  const digits = rows.some((b) => b.lo < 0.1) ? 3 : 2;
  return rows.map((b) =>
    b.lo === b.hi ? b.lo.toFixed(digits) : `${b.lo.toFixed(digits)}–${b.hi.toFixed(digits)}`,
  );
}

/**
 * Mean response length (or another per-bucket measure) by value bucket, per arm, over seeds, from
 * `RunSummary.lengthByValue`. Buckets are rank-based per run, so they line up only when every run
 * was evaluated on the same prompts; that is checked (same value range per bucket).
 */
export function lengthByValueFromRuns(
  arms: ReadonlyArray<{ arm: string; runs: readonly RunSummary[] }>,
  opts: { field?: "meanLength" | "acc" | "hAcc"; yLabel?: string; caption?: string } = {},
): BucketChart {
  const field = opts.field ?? "meanLength";
  const first = arms[0]?.runs[0];
  if (!first) throw new RangeError("lengthByValueFromRuns needs at least one arm with one run");
  const reference = first.lengthByValue;
  for (const a of arms)
    for (const [s, run] of a.runs.entries()) {
      const rows = run.lengthByValue;
      const same =
        rows.length === reference.length &&
        rows.every(
          (b, i) => b.bucket === reference[i].bucket && b.lo === reference[i].lo && b.hi === reference[i].hi,
        );
      if (!same)
        throw new RangeError(
          `value buckets of arm "${a.arm}" run ${s} differ from the first run's: evaluate every run on the same prompts`,
        );
    }
  const labels = bucketLabels(reference);
  const buckets: ValueBucket[] = reference.map((b, i) => ({
    label: labels[i],
    lo: b.lo,
    hi: b.hi,
    items: b.items,
  }));
  return {
    buckets,
    yLabel:
      opts.yLabel ?? (field === "meanLength" ? "mean length (tokens)" : field === "acc" ? "Acc" : "H-Acc"),
    format: field === "meanLength" ? undefined : "percent",
    digits: field === "meanLength" ? 1 : undefined,
    caption: opts.caption,
    series: arms.map((a) => ({
      arm: a.arm,
      values: reference.map((_, i) => seedEstimate(a.runs.map((r) => r.lengthByValue[i][field]))),
    })),
  };
}

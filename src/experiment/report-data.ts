import { METRIC_COLUMNS } from "../report/from-metrics.js";
import { aggregateSeeds, pairedEstimate, seedEstimate } from "../report/stats.js";
import type {
  BucketChart,
  CurveChart,
  EosTrajectories,
  Estimate,
  MetricColumn,
  ResultRow,
  ResultsTable,
  WithinDifficulty,
  WithinDifficultyRow,
} from "../report/types.js";
import type { JobRecord } from "./record.js";

/**
 * Report sections from per-seed result records, shared by the demo and the experiment grid. An
 * "arm" here is anything with runs over seeds: a demo arm or a grid cell.
 */
export interface ArmRuns {
  id: string;
  label: string;
  group?: string;
  note?: string;
  records: readonly JobRecord[];
}

/** The columns of every results table: the paper's, plus the worked-answer share. */
export const RESULT_COLUMNS: MetricColumn[] = [
  METRIC_COLUMNS.acc,
  METRIC_COLUMNS.hAcc,
  { ...METRIC_COLUMNS.meanLength, digits: 2 },
  METRIC_COLUMNS.valueDensity,
  METRIC_COLUMNS.topAcc,
  METRIC_COLUMNS.bottomAcc,
  {
    key: "workedShare",
    label: "Worked",
    format: "percent",
    description: "share of responses with worked steps",
  },
];

const FINAL_FIELDS = [
  "acc",
  "hAcc",
  "meanLength",
  "valueDensity",
  "topAcc",
  "bottomAcc",
  "workedShare",
] as const;

/** Columns that are shares: their t-interval over few seeds is clipped to [0, 1]. */
const SHARES = new Set<string>(["acc", "hAcc", "topAcc", "bottomAcc", "workedShare"]);

/** Columns that cannot be negative (token counts, value per token): their interval is clipped at 0. */
const NON_NEGATIVE = new Set<string>(["meanLength", "valueDensity"]);

function clipShare(e: Estimate | null): Estimate | null {
  if (!e || e.lo === undefined || e.hi === undefined) return e;
  return { ...e, lo: Math.max(0, e.lo), hi: Math.min(1, e.hi) };
}

function clipNonNegative(e: Estimate | null): Estimate | null {
  if (!e || e.lo === undefined) return e;
  return { ...e, lo: Math.max(0, e.lo) };
}

const estimateOrNull = (xs: readonly number[]): Estimate | null => {
  const finite = xs.filter(Number.isFinite);
  return finite.length ? seedEstimate(finite) : null;
};

export function resultsTable(arms: readonly ArmRuns[], caption?: string): ResultsTable {
  const counts = [...new Set(arms.filter((a) => a.records.length).map((a) => a.records.length))].sort(
    (a, b) => a - b,
  );
  return {
    caption,
    columns: RESULT_COLUMNS,
    ciMethod: `the Student-t 95% CI over seeds (${counts.length ? counts.join("/") : 0} seeds per row; none with 1 seed; shares clipped to 0–100%, lengths and densities at 0)`,
    rows: arms.map(
      (a): ResultRow => ({
        arm: a.id,
        label: a.label,
        group: a.group,
        note: a.records.length === 0 ? "not run yet" : a.note,
        cells: Object.fromEntries(
          FINAL_FIELDS.map((f) => {
            const e = estimateOrNull(a.records.map((r) => r.final[f] ?? Number.NaN));
            return [f, SHARES.has(f) ? clipShare(e) : NON_NEGATIVE.has(f) ? clipNonNegative(e) : e];
          }),
        ),
      }),
    ),
  };
}

/** Held-out H-Acc, Acc and length over training steps (mean over seeds, 95% CI band). */
export function trainingCurves(arms: readonly ArmRuns[], evalItems: number): CurveChart[] {
  const caption = `Greedy evaluation on ${evalItems} held-out questions every few steps; step 0 is the warm-up policy. Mean over seeds; the band is the Student-t 95% CI over seeds (shares: clipped to 0–100%).`;
  const series = (pick: (p: JobRecord["curve"][number]) => number, share = false) =>
    arms
      .filter((a) => a.records.length)
      .map((a) => ({
        arm: a.id,
        points: aggregateSeeds(a.records.map((r) => r.curve.map((p) => ({ x: p.step, y: pick(p) })))).map(
          (p) =>
            // A t-interval over few seeds can leave [0, 1]; a share cannot.
            share && p.lo !== undefined && p.hi !== undefined
              ? { ...p, lo: Math.max(0, p.lo), hi: Math.min(1, p.hi) }
              : p,
        ),
      }));
  return [
    { metric: "hAcc", label: "H-Acc", format: "percent", series: series((p) => p.hAcc, true), caption },
    { metric: "acc", label: "Acc", format: "percent", series: series((p) => p.acc, true), caption },
    {
      metric: "length",
      label: "mean response length (tokens)",
      digits: 1,
      series: series((p) => p.length),
      caption,
    },
    {
      metric: "worked",
      label: "worked-answer share",
      format: "percent",
      series: series((p) => p.workedShare, true),
      caption,
    },
  ];
}

function bucketLabel(lo: number, hi: number): string {
  const d = lo < 0.1 || hi < 0.1 ? 3 : 2;
  return lo === hi ? lo.toFixed(d) : `${lo.toFixed(d)}–${hi.toFixed(d)}`;
}

/** Mean response length per value bucket (equal-count buckets of the held-out prompts by value). */
export function lengthByValue(arms: readonly ArmRuns[]): BucketChart | undefined {
  const withRuns = arms.filter((a) => a.records.length);
  const ref = withRuns[0]?.records[0]?.final.lengthByValue;
  if (!ref) return undefined;
  return {
    title: "Response length by value",
    buckets: ref.map((b) => ({ label: bucketLabel(b.lo, b.hi), lo: b.lo, hi: b.hi, items: b.items })),
    yLabel: "mean length (tokens)",
    xLabel: "value v(x) of the held-out prompt (equal-count buckets)",
    digits: 1,
    caption:
      "Across buckets value and difficulty move together (points grow with the number of steps), so this chart mixes the two; the within-difficulty table separates them.",
    series: withRuns.map((a) => ({
      arm: a.id,
      values: ref.map((_, i) =>
        estimateOrNull(a.records.map((r) => r.final.lengthByValue[i]?.meanLength ?? Number.NaN)),
      ),
    })),
  };
}

/** High- vs low-value items of the same difficulty: length and worked share, with paired differences. */
export function withinDifficulty(
  arms: readonly ArmRuns[],
  difficultyLabel = "steps",
): WithinDifficulty | undefined {
  const rows: WithinDifficultyRow[] = [];
  for (const a of arms) {
    if (!a.records.length) continue;
    const difficulties = [
      ...new Set(a.records.flatMap((r) => r.final.withinDifficulty.map((d) => d.difficulty))),
    ].sort((x, y) => x - y);
    for (const d of difficulties) {
      const per = a.records
        .map((r) => r.final.withinDifficulty.find((w) => w.difficulty === d))
        .filter((x) => !!x);
      if (per.length === 0) continue;
      const group = (g: "high" | "low") => ({
        length: estimateOrNull(per.map((p) => p[g].length)),
        workedShare: estimateOrNull(per.map((p) => p[g].worked)),
        items: per[0][g].n,
      });
      rows.push({
        arm: a.id,
        difficulty: `${d} ${difficultyLabel}`,
        high: group("high"),
        low: group("low"),
        lengthDiff:
          per.length >= 2
            ? pairedEstimate(
                per.map((p) => p.high.length),
                per.map((p) => p.low.length),
              )
            : undefined,
        workedShareDiff:
          per.length >= 2
            ? pairedEstimate(
                per.map((p) => p.high.worked),
                per.map((p) => p.low.worked),
              )
            : undefined,
      });
    }
  }
  if (!rows.length) return undefined;
  return {
    difficultyLabel: "difficulty",
    caption:
      "Within each difficulty the held-out items are split into value thirds; high = top third, low = bottom third. A value-sensitive policy answers the high-value third at more length (more worked steps) than the low-value third of the same difficulty; Δ = high − low, paired within each seed, 95% CI over seeds.",
    rows,
  };
}

/** p(EOS) by position for the highest- and lowest-value held-out prompts (mean over seeds). */
export function eosTrajectories(arms: readonly ArmRuns[]): EosTrajectories | undefined {
  const withRuns = arms.filter((a) => a.records.length);
  if (!withRuns.length) return undefined;
  const k = withRuns[0].records[0].final.eos.prompts;
  const curve = (rs: readonly JobRecord[], which: "high" | "low") =>
    aggregateSeeds(rs.map((r) => r.final.eos[which].map((y, t) => ({ x: t + 1, y }))));
  return {
    highLabel: `${k} highest-value prompts`,
    lowLabel: `${k} lowest-value prompts`,
    xLabel: "response position (tokens)",
    caption:
      "Greedy decoding of the final policies; at each position the mean over the responses still running. The highest-value prompts are mostly the longest chains, so part of the gap is difficulty.",
    series: withRuns.map((a) => ({
      arm: a.id,
      high: curve(a.records, "high"),
      low: curve(a.records, "low"),
    })),
  };
}

/**
 * |∂/∂z_eos| per prompt by value bucket (quantiles of the train values): at step 1, where the arms
 * of a seed share the policy and the samples (the mechanism), or averaged over training.
 */
export function eosGradient(
  arms: readonly ArmRuns[],
  when: "firstStep" | "training" = "firstStep",
): BucketChart | undefined {
  const withRuns = arms.filter((a) => a.records.length);
  const ref = withRuns[0]?.records[0]?.eosGradient;
  if (!ref) return undefined;
  const edges = [0, ...ref.edges, Number.POSITIVE_INFINITY];
  return {
    title: "EOS-logit gradient by value",
    buckets: ref.abs.map((_, b) => ({
      label:
        b === ref.abs.length - 1
          ? `> ${edges[b].toFixed(3)}`
          : `${edges[b].toFixed(3)}–${edges[b + 1].toFixed(3)}`,
      lo: edges[b],
      hi: Number.isFinite(edges[b + 1]) ? edges[b + 1] : undefined,
    })),
    yLabel: when === "firstStep" ? "|∂J/∂z_eos| per prompt at step 1" : "mean |∂J/∂z_eos| per prompt",
    xLabel: "value v(x) of the training prompt (train-set terciles)",
    digits: 3,
    caption:
      when === "firstStep"
        ? "Per prompt: |Σ over its samples and positions of A·(1[y_t = EOS] − π_eos,t)| / n at the first RL step, where every arm of a seed still has the warm-up policy and the same samples, so the bars differ only by the reward. Under RLEV the advantage carries s(x), so the magnitude rises with value relative to correctness; the uniform control scales every bucket alike."
        : "Per prompt and step: |Σ over its samples and positions of A·(1[y_t = EOS] − π_eos,t)| / n, averaged over training (the policies differ between arms after step 1).",
    series: withRuns.map((a) => ({
      arm: a.id,
      values: ref.abs.map((_, b) =>
        estimateOrNull(
          a.records.map(
            (r) => (when === "firstStep" ? r.eosGradient.firstStep?.[b] : r.eosGradient.abs[b]) ?? Number.NaN,
          ),
        ),
      ),
    })),
  };
}

import { pairedDifference, seedCi } from "../../metrics/intervals.js";
import type { ClaimNumber, ClaimStatus, Estimate } from "../../report/types.js";
import type { JobRecord } from "../record.js";

/**
 * The paper's claims, judged on per-seed results. Every comparison pairs runs by seed (same
 * warm-up, same seed, same batches), and each verdict follows one rule (`judgeDifference`):
 *
 *   fewer than 2 paired seeds                      → inconclusive (no interval)
 *   both arms' levels within 1 point of 100% or 0  → ceiling (no room to differ: says nothing
 *     (when the claim gives levels, e.g. H-Acc)       about the effect either way)
 *   the 95% CI of the paired difference is above 0 → reproduced (the direction holds)
 *   the CI lies below the paper's effect size      → not reproduced (the data exclude an effect as
 *     (below 0 when the paper gives no size)          large as the paper's: a powered negative)
 *   otherwise, the CI wider than the paper's effect → underpowered (more seeds could decide)
 *   otherwise                                      → inconclusive
 *
 * (mirrored for claims of a decrease). The evaluation itself is never tuned to these rules.
 */

/** Per-seed runs of each cell (or arm), keyed by its id. */
export type RunsByCell = ReadonlyMap<string, readonly JobRecord[]>;

export interface Judgement {
  status: ClaimStatus;
  /** Mean paired difference with its 95% CI over seeds (null when no pair exists). */
  estimate: Estimate | null;
  pairs: number;
  reason: string;
}

/** Mean and Student-t 95% CI over seeds of the finite values (mean NaN when there are none). */
const estimateOf = (values: readonly number[]): Estimate => {
  const xs = values.filter(Number.isFinite);
  const ci = seedCi(xs);
  const e: Estimate = { mean: ci.estimate, n: ci.n };
  if (Number.isFinite(ci.lo) && Number.isFinite(ci.hi)) {
    e.lo = ci.lo;
    e.hi = ci.hi;
  }
  return e;
};

/** Judges paired differences `diffs` (a − b per seed) against a claimed direction and the paper's effect. */
export function judgeDifference(
  diffs: readonly number[],
  opts: {
    direction: "higher" | "lower";
    paperEffect?: number | null;
    minPairs?: number;
    /** The two arms' per-seed levels (shares in [0, 1], e.g. H-Acc), for the ceiling state. */
    levels?: { a: readonly number[]; b: readonly number[] };
  },
): Judgement {
  const xs = diffs.filter(Number.isFinite);
  if (xs.length === 0)
    return { status: "inconclusive", estimate: null, pairs: 0, reason: "no paired runs yet" };
  const est = estimateOf(xs);
  const minPairs = Math.max(2, opts.minPairs ?? 2);
  if (xs.length < minPairs || est.lo === undefined || est.hi === undefined)
    return {
      status: "inconclusive",
      estimate: est,
      pairs: xs.length,
      reason: `${xs.length} paired seed${xs.length === 1 ? "" : "s"}: the direction only, no interval`,
    };
  if (opts.levels && atCeiling(opts.levels.a) && atCeiling(opts.levels.b) && sameEnd(opts.levels))
    return {
      status: "ceiling",
      estimate: est,
      pairs: xs.length,
      reason:
        "both arms are within 1 point of the same end of the scale (100% or 0): no room to differ, so this says nothing about the effect",
    };
  const sign = opts.direction === "higher" ? 1 : -1;
  // Work in the claimed direction: positive = as claimed.
  const lo = sign === 1 ? est.lo : -est.hi;
  const hi = sign === 1 ? est.hi : -est.lo;
  const effect = opts.paperEffect === undefined || opts.paperEffect === null ? 0 : sign * opts.paperEffect;
  if (lo > 0)
    return {
      status: "reproduced",
      estimate: est,
      pairs: xs.length,
      reason: "the 95% CI excludes 0 in the claimed direction",
    };
  if (hi < Math.max(effect, 0))
    return {
      status: "not reproduced",
      estimate: est,
      pairs: xs.length,
      reason:
        effect > 0
          ? "the 95% CI excludes an effect as large as the paper's"
          : "the 95% CI excludes 0 against the claimed direction",
    };
  const width = est.hi - est.lo;
  if (opts.paperEffect !== undefined && opts.paperEffect !== null && width > Math.abs(opts.paperEffect))
    return {
      status: "underpowered",
      estimate: est,
      pairs: xs.length,
      reason: `the 95% CI (width ${fmtEffect(width)}) is wider than the paper's effect (${fmtEffect(Math.abs(opts.paperEffect))}) and includes both 0 and it`,
    };
  return {
    status: "inconclusive",
    estimate: est,
    pairs: xs.length,
    reason:
      opts.paperEffect === undefined || opts.paperEffect === null
        ? "the 95% CI includes 0 (the paper gives no effect size to power against)"
        : "the 95% CI includes both 0 and the paper's effect",
  };
}

const fmtEffect = (x: number) => (Math.abs(x) < 2 ? `${(100 * x).toFixed(1)} points` : x.toFixed(2));
const meanOf = (xs: readonly number[]) => {
  const f = xs.filter(Number.isFinite);
  return f.length ? f.reduce((a, b) => a + b, 0) / f.length : Number.NaN;
};
/** A level (share) whose mean over seeds is within 1 point of 100% or of 0. */
export const atCeiling = (xs: readonly number[]) => {
  const m = meanOf(xs);
  return m >= 0.99 || m <= 0.01;
};
const sameEnd = (l: { a: readonly number[]; b: readonly number[] }) =>
  meanOf(l.a) >= 0.99 === meanOf(l.b) >= 0.99;

/** Per-seed differences a − b of a statistic, over the seeds both cells have. */
export function pairedBySeed(
  runs: RunsByCell,
  a: string,
  b: string,
  stat: (r: JobRecord) => number,
): { seeds: number[]; diffs: number[]; a: number[]; b: number[] } {
  const bySeed = new Map((runs.get(b) ?? []).map((r) => [r.seed, r]));
  const out = { seeds: [] as number[], diffs: [] as number[], a: [] as number[], b: [] as number[] };
  for (const ra of [...(runs.get(a) ?? [])].sort((x, y) => x.seed - y.seed)) {
    const rb = bySeed.get(ra.seed);
    if (!rb) continue;
    out.seeds.push(ra.seed);
    out.a.push(stat(ra));
    out.b.push(stat(rb));
    out.diffs.push(stat(ra) - stat(rb));
  }
  return out;
}

/** A level that is a share (H-Acc, Acc): its t-interval over few seeds is clipped to [0, 1]. */
const shareEstimateOf = (values: readonly number[]): Estimate => {
  const e = estimateOf(values);
  return e.lo === undefined || e.hi === undefined
    ? e
    : { ...e, lo: Math.max(0, e.lo), hi: Math.min(1, e.hi) };
};

export function claimNumber(
  label: string,
  value: Estimate | null,
  format?: ClaimNumber["format"],
  digits?: number,
): ClaimNumber {
  return { label, value: value && Number.isFinite(value.mean) ? value : "no data", format, digits };
}

export { estimateOf, pairedDifference, shareEstimateOf };

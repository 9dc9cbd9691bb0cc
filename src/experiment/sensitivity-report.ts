import { seedEstimate } from "../report/stats.js";
import type { DataTable, Estimate, ResultRow, ResultsTable } from "../report/types.js";
import type { JobRecord } from "./record.js";
import type { ArmRuns } from "./report-data.js";
import type { Sensitivity } from "./sensitivity.js";

/**
 * The worked share by value × difficulty of each arm, greedy and sampled (issue 14): on
 * section-valued exams the low and high value are the two sections; the slope column is the change
 * of the sampled P(worked) per +0.1 of value within the difficulty. Mean over seeds, 95% CI.
 */

const est = (xs: number[]): Estimate | null => {
  const f = xs.filter(Number.isFinite);
  return f.length ? seedEstimate(f) : null;
};
/** A share's interval over few seeds, clipped to [0, 1]. */
const shareEst = (xs: number[]): Estimate | null => {
  const e = est(xs);
  return e && e.lo !== undefined && e.hi !== undefined
    ? { ...e, lo: Math.max(0, e.lo), hi: Math.min(1, e.hi) }
    : e;
};

/** P(worked) of the lowest- or highest-value cell at difficulty k (NaN when cells were not kept). */
function endCell(s: Sensitivity | undefined, k: number, end: "low" | "high"): number {
  const cells = (s?.cells ?? []).filter((c) => c.difficulty === k).sort((a, b) => a.value - b.value);
  if (cells.length < 2) return Number.NaN;
  return (end === "low" ? cells[0] : cells[cells.length - 1]).worked;
}

const slopeAt = (s: Sensitivity | undefined, k: number) =>
  0.1 * (s?.slopes.find((d) => d.difficulty === k)?.slope ?? Number.NaN);

export function sensitivityTable(arms: readonly ArmRuns[]): ResultsTable | null {
  const withData = arms.filter((a) => a.records.some((r) => r.sensitivity));
  if (!withData.length) return null;
  const rows: ResultRow[] = [];
  for (const arm of withData) {
    const recs = arm.records.filter(
      (r): r is JobRecord & Required<Pick<JobRecord, "sensitivity">> => !!r.sensitivity,
    );
    const ks = [...new Set(recs.flatMap((r) => r.sensitivity.sampled.slopes.map((d) => d.difficulty)))].sort(
      (a, b) => a - b,
    );
    for (const k of ks)
      rows.push({
        label: `k = ${k}`,
        group: arm.label,
        cells: {
          greedyLow: shareEst(recs.map((r) => endCell(r.sensitivity.greedy, k, "low"))),
          greedyHigh: shareEst(recs.map((r) => endCell(r.sensitivity.greedy, k, "high"))),
          sampledLow: shareEst(recs.map((r) => endCell(r.sensitivity.sampled, k, "low"))),
          sampledHigh: shareEst(recs.map((r) => endCell(r.sensitivity.sampled, k, "high"))),
          slope: est(recs.map((r) => slopeAt(r.sensitivity.sampled, k))),
          greedySlope: est(recs.map((r) => slopeAt(r.sensitivity.greedy, k))),
        },
      });
  }
  return {
    caption:
      "Worked share by value × difficulty (section × chain length on section-valued exams): greedy held-out answers, and 2 responses per held-out question sampled at temperature 1; slope = change of P(worked) per +0.1 of value within the difficulty (least squares over the responses).",
    ciMethod: "the Student-t 95% CI over seeds (one value per seed; shares clipped to 0–100%)",
    columns: [
      { key: "greedyLow", label: "greedy worked, low value", format: "percent" },
      { key: "greedyHigh", label: "greedy worked, high value", format: "percent" },
      { key: "sampledLow", label: "sampled worked, low value", format: "percent" },
      { key: "sampledHigh", label: "sampled worked, high value", format: "percent" },
      { key: "slope", label: "sampled slope per +0.1 value", format: "percent" },
      { key: "greedySlope", label: "greedy slope per +0.1 value", format: "percent" },
    ],
    rows,
  };
}

/** The same table for the HTML report's further-tables section ("mean [lo, hi]" in percent). */
export function sensitivityDataTable(t: ResultsTable): DataTable {
  const f = (e: Estimate | null | undefined) =>
    e && Number.isFinite(e.mean)
      ? `${(100 * e.mean).toFixed(1)}${e.lo !== undefined && e.hi !== undefined ? ` [${(100 * e.lo).toFixed(1)}, ${(100 * e.hi).toFixed(1)}]` : ""}`
      : null;
  return {
    id: "value-sensitivity",
    title: "Value sensitivity: worked share by value × difficulty, greedy and sampled",
    lede: t.caption,
    caption: `In brackets: ${t.ciMethod}.`,
    columns: [
      { key: "arm", label: "arm", kind: "text" },
      { key: "k", label: "difficulty", kind: "text" },
      ...t.columns.map((c) => ({ key: c.key, label: c.label, kind: "text" as const })),
    ],
    rows: t.rows.map((r) => ({
      arm: r.group ?? "",
      k: r.label ?? "",
      ...Object.fromEntries(t.columns.map((c) => [c.key, f(r.cells[c.key])])),
    })),
  };
}

import { axisFormat, estimateCell, type RenderContext, richText } from "./html-context.js";
import { niceDomain } from "./scale.js";
import { barChart, type LineSeries, lineChart } from "./svg.js";
import { escapeXml } from "./text.js";
import type {
  BucketChart,
  CurveChart,
  EosTrajectories,
  Estimate,
  SeriesPoint,
  WithinDifficulty,
} from "./types.js";

/** The report's chart sections: training curves, value buckets, EOS trajectories, within-difficulty panels. */

export function toLine(points: readonly SeriesPoint[]) {
  return points.map((p) => ({ x: p.x, y: p.mean, lo: p.lo, hi: p.hi, n: p.n }));
}

export function renderCurves(curves: CurveChart[] | undefined, ctx: RenderContext): string | null {
  const drawn = (curves ?? []).filter((c) => c.series.some((s) => s.points.length));
  if (!drawn.length) return null;
  const figures = drawn.map((c) => {
    const series: LineSeries[] = c.series.map((s) => ({
      name: ctx.label(s.arm),
      points: toLine(s.points),
      ...ctx.look(s.arm),
    }));
    const svg = lineChart({
      id: ctx.chartId(`curve-${c.metric}`),
      title: c.label,
      series,
      legend: true,
      x: { label: c.xLabel ?? "step" },
      y: { label: c.label, min: c.yMin, max: c.yMax, format: axisFormat(c.format) },
    });
    return ctx.figure(`curve:${c.metric}`, svg, c.caption);
  });
  const hasBand = drawn.some((c) => c.series.some((s) => s.points.some((p) => p.lo !== undefined)));
  return `<p class="lede">Evaluation metrics over training steps, mean over seeds${hasBand ? " with the 95% confidence interval shaded" : ""}.</p><div class="charts">${figures.join("")}</div>`;
}

export const SECTION_LEDES = {
  lengthByValue:
    "Mean response length for prompts grouped by their value. The paper's mechanism predicts shorter answers for low-value prompts under RLEV and longer ones for high-value prompts.",
  eosGradient:
    "Mean magnitude of the policy gradient on the end-of-sequence logit per value bucket. RLEV scales it by s(x) = 1 + min(α·v, 1): the paper's ∂J/∂z_eos = s(x)·π_e(1−π_e)(p_e − p_¬e).",
} as const;

export function renderBucketSection(
  chart: BucketChart | undefined,
  key: "lengthByValue" | "eosGradient",
  ctx: RenderContext,
): string | null {
  if (!chart || chart.series.length === 0) return null;
  const svg = barChart({
    id: ctx.chartId(key),
    title:
      chart.title ??
      (key === "lengthByValue" ? "Response length by value bucket" : "EOS-logit gradient by value bucket"),
    width: 720,
    height: 340,
    legend: true,
    categories: chart.buckets.map((b) => b.label),
    categoryNotes: chart.buckets.some((b) => b.items !== undefined)
      ? chart.buckets.map((b) => (b.items !== undefined ? `${b.items} items` : ""))
      : undefined,
    series: chart.series.map((s) => ({ name: ctx.label(s.arm), values: s.values, ...ctx.look(s.arm) })),
    x: { label: chart.xLabel ?? "value bucket" },
    y: { label: chart.yLabel, format: axisFormat(chart.format) },
  });
  const caption = `${chart.caption ? `${chart.caption} ` : ""}Error bars: 95% confidence interval over seeds.`;
  return `<p class="lede">${escapeXml(SECTION_LEDES[key])}</p>${ctx.figure(key, svg, caption, "wide")}`;
}

export function renderEos(eos: EosTrajectories | undefined, ctx: RenderContext): string | null {
  if (!eos || eos.series.length === 0) return null;
  const highLabel = eos.highLabel ?? "highest-value prompts";
  const lowLabel = eos.lowLabel ?? "lowest-value prompts";
  // One y scale for every panel so arms compare by eye.
  const all = eos.series.flatMap((s) => [...s.high, ...s.low].flatMap((p) => [p.mean, p.hi ?? null]));
  const top = Math.max(0, ...all.filter((v): v is number => v !== null && Number.isFinite(v)));
  const panels = eos.series.map((s) => {
    const look = ctx.look(s.arm);
    return lineChart({
      id: ctx.chartId(`eos-${s.arm}`),
      title: ctx.label(s.arm),
      width: 340,
      height: 270,
      legend: true,
      series: [
        { name: highLabel, points: toLine(s.high), ...look, dash: "solid" },
        { name: lowLabel, points: toLine(s.low), ...look, dash: "dashed" },
      ],
      x: { label: eos.xLabel ?? "position (tokens)", min: 0 },
      y: { label: "p(EOS)", min: 0, max: eos.yMax ?? (top > 0 ? niceTop(top) : 1) },
    });
  });
  const lede = `Probability of emitting end-of-sequence at each position, averaged over the ${escapeXml(highLabel)} (solid) and the ${escapeXml(lowLabel)} (dashed). Earlier mass on the dashed line means the policy stops sooner on low-value prompts.`;
  const figure = ctx.figure(
    "eosTrajectories",
    `<div class="charts small">${panels.join("")}</div>`,
    eos.caption,
  );
  return `<p class="lede">${lede}</p>${figure}`;
}

/** The first nice tick at or above `v` (the shared top of the EOS panels). */
export function niceTop(v: number): number {
  return niceDomain(0, v, 5).max;
}

export function renderWithinDifficulty(w: WithinDifficulty | undefined, ctx: RenderContext): string | null {
  if (!w || w.rows.length === 0) return null;
  const diffLabel = w.difficultyLabel ?? "difficulty";
  // Differences carry a sign; shares differ in percentage points, not percent.
  const signed = (v: number, share: boolean) => {
    const text = share ? `${Math.abs(v * 100).toFixed(0)} pp` : Math.abs(v).toFixed(1);
    return Math.abs(share ? v * 100 : v) < (share ? 0.5 : 0.05)
      ? share
        ? "0 pp"
        : "0.0"
      : `${v > 0 ? "+" : "−"}${text}`;
  };
  const diffCell = (
    hi: Estimate | null,
    lo: Estimate | null,
    paired: Estimate | undefined,
    share: boolean,
  ) => {
    const e = paired ?? (hi && lo ? { mean: hi.mean - lo.mean } : null);
    if (!e) return estimateCell(null);
    const ci =
      e.lo !== undefined && e.hi !== undefined
        ? `<span class="ci">[${escapeXml(signed(e.lo, share))}, ${escapeXml(signed(e.hi, share))}]</span>`
        : "";
    return `<span class="mean">${escapeXml(signed(e.mean, share))}</span>${ci}`;
  };
  const items = (n: number | undefined) => (n !== undefined ? ` title="${n} items"` : "");
  const body: string[] = [];
  let arm: string | undefined;
  for (const r of w.rows) {
    if (r.arm !== arm)
      body.push(
        `<tr class="group"><th colspan="8" scope="rowgroup">${ctx.swatch(r.arm)}${escapeXml(ctx.label(r.arm))}</th></tr>`,
      );
    arm = r.arm;
    body.push(
      `<tr><th class="label" scope="row">${escapeXml(r.difficulty)}</th>` +
        `<td class="sep"${items(r.high.items)}>${estimateCell(r.high.length, "number", 1)}</td>` +
        `<td${items(r.low.items)}>${estimateCell(r.low.length, "number", 1)}</td>` +
        `<td>${diffCell(r.high.length, r.low.length, r.lengthDiff, false)}</td>` +
        `<td class="sep"${items(r.high.items)}>${estimateCell(r.high.workedShare, "percent", 0)}</td>` +
        `<td${items(r.low.items)}>${estimateCell(r.low.workedShare, "percent", 0)}</td>` +
        `<td>${diffCell(r.high.workedShare, r.low.workedShare, r.workedShareDiff, true)}</td></tr>`,
    );
  }
  const head =
    `<tr><th class="label" rowspan="2" scope="col">${escapeXml(diffLabel)}</th><th class="span" colspan="3" scope="colgroup">Response length (tokens)</th><th class="span" colspan="3" scope="colgroup">Worked-answer share</th></tr>` +
    `<tr><th class="sep" scope="col">high value</th><th scope="col">low value</th><th scope="col">Δ high − low</th><th class="sep" scope="col">high value</th><th scope="col">low value</th><th scope="col">Δ high − low</th></tr>`;
  const paired = w.rows.some((r) => r.lengthDiff || r.workedShareDiff);
  const caption = [
    w.caption,
    "Mean over seeds, 95% CI in brackets.",
    paired
      ? "Δ: paired difference over seeds with its own interval; shares differ in percentage points (pp)."
      : "Δ: difference of the means (no interval given); shares differ in percentage points (pp).",
  ]
    .filter(Boolean)
    .join(" ");
  return (
    `<p class="lede">Items of the same ${escapeXml(diffLabel)} split by value. Value-sensitive allocation shows up as longer, more often worked answers for high-value items than for low-value items of equal ${escapeXml(diffLabel)}.</p>` +
    `<div class="table-wrap"><table class="within"><caption>${richText(caption)}</caption><thead>${head}</thead><tbody>${body.join("")}</tbody></table></div>`
  );
}

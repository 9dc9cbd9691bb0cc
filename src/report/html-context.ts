import { chartIds } from "./schema.js";
import type { AxisOptions } from "./svg.js";
import { decimalsFor, escapeXml, formatNumber, type NumberFormat } from "./text.js";
import type { Arm, Estimate, ReportData } from "./types.js";

/** What every section of a report page shares: arm colours and labels, chart ids, number and text formatting. */

/** Arm lookup, colours and unique chart ids shared by every section of one page. */
export class RenderContext {
  private readonly arms = new Map<string, { arm: Arm; index: number }>();
  readonly keyChart: string | undefined;
  private readonly usedIds = new Set<string>();

  constructor(data: ReportData) {
    (data.arms ?? []).forEach((arm, index) => {
      this.arms.set(arm.id, { arm, index });
    });
    const ids = chartIds(data);
    this.keyChart = data.keyChart ?? (ids.includes("lengthByValue") ? "lengthByValue" : ids[0]);
  }

  arm(armId: string): Arm | undefined {
    return this.arms.get(armId)?.arm;
  }

  label(armId: string): string {
    return this.arms.get(armId)?.arm.label ?? armId;
  }

  /** Palette slot and optional fixed colour of an arm, so it looks the same in every chart. */
  look(armId: string): { colorIndex: number; color?: string } {
    const a = this.arms.get(armId);
    return { colorIndex: a?.index ?? 0, color: a?.arm.color };
  }

  swatch(armId: string): string {
    const { colorIndex, color } = this.look(armId);
    const style = color ? ` style="--c:${escapeXml(color)}"` : "";
    return `<span class="swatch rc-s${colorIndex % 8}"${style} aria-hidden="true"></span>`;
  }

  chartId(base: string): string {
    let id = `chart-${base.replace(/[^A-Za-z0-9_-]+/g, "-")}`;
    for (let k = 2; this.usedIds.has(id); k++) id = `chart-${base.replace(/[^A-Za-z0-9_-]+/g, "-")}-${k}`;
    this.usedIds.add(id);
    return id;
  }

  figure(chartKey: string, inner: string, caption: string | undefined, cls = ""): string {
    const key = chartKey === this.keyChart ? " data-key-chart" : "";
    const klass = cls ? ` class="${cls}"` : "";
    return `<figure${klass} data-chart="${escapeXml(chartKey)}"${key}>${inner}${caption ? `<figcaption>${richText(caption)}</figcaption>` : ""}</figure>`;
  }
}

/** Escaped text where `backticks` become code; blank lines are paragraph breaks (handled by callers). */
export function richText(text: string): string {
  return escapeXml(text).replace(/`([^`]+)`/g, "<code>$1</code>");
}

export function paragraphs(text: string): string {
  return text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean)
    .map((p) => `<p>${richText(p)}</p>`)
    .join("");
}

/** Tick labels in the column's unit: fractions as percent with as many decimals as the step needs. */
export function axisFormat(format: NumberFormat | undefined): AxisOptions["format"] {
  if (format === "percent")
    return (v, step) => `${(v * 100).toFixed(decimalsFor(Number((step * 100).toPrecision(12))))}%`;
  return undefined;
}

export function formatEstimate(
  e: Estimate,
  format?: NumberFormat,
  digits?: number,
): { mean: string; ci: string } {
  const f = (v: number) => formatNumber(v, format, digits);
  return {
    mean: f(e.mean),
    ci: e.lo !== undefined && e.hi !== undefined ? `[${f(e.lo)}, ${f(e.hi)}]` : "",
  };
}

export function estimateCell(
  e: Estimate | null | undefined,
  format?: NumberFormat,
  digits?: number,
  extra = "",
): string {
  if (!e) return `<span class="dash" role="img" aria-label="no data">—</span>`;
  const { mean, ci } = formatEstimate(e, format, digits);
  return `<span class="mean">${escapeXml(mean)}</span>${ci ? `<span class="ci">${escapeXml(ci)}</span>` : ""}${extra}`;
}

export function formatDuration(seconds: number): string {
  const s = Math.round(seconds);
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")} min`;
}

/** "0–4, 7 (6 seeds)": consecutive seeds collapse into ranges. */
export function formatSeeds(seeds: readonly number[]): string {
  const sorted = [...new Set(seeds)].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length; ) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === sorted[j] + 1) j++;
    parts.push(j - i >= 2 ? `${sorted[i]}–${sorted[j]}` : sorted.slice(i, j + 1).join(", "));
    i = j + 1;
  }
  return `${parts.join(", ")} (${sorted.length} seed${sorted.length === 1 ? "" : "s"})`;
}

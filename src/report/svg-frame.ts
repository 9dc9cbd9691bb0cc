import { niceDomain, type TickedDomain } from "./scale.js";
import { coord, decimalsFor, escapeXml, textWidth } from "./text.js";

/**
 * What every chart of svg.ts shares: the series palette and dashes, fonts, and the frame around
 * the plot (title, legend, axes, margins) laid out from the data's tick labels.
 */

/** Series colors (light backgrounds): a colour-blind-safe set after Okabe and Ito, darkened for contrast. */
export const SERIES_COLORS: readonly string[] = [
  "#0b6bcb",
  "#d1550f",
  "#0e8a5f",
  "#b8428c",
  "#a87d00",
  "#5a4fcf",
  "#636b78",
  "#8c564b",
];
/** The same hues lightened for dark backgrounds (used by the report's stylesheet). */
export const SERIES_COLORS_DARK: readonly string[] = [
  "#5aa9f2",
  "#f28b4b",
  "#3cc98f",
  "#e586c3",
  "#e3b53c",
  "#9b93f5",
  "#a3aab6",
  "#c9998c",
];

const DASHES = { solid: "", dashed: "6 4", dotted: "1.5 3" } as const;
export type DashStyle = keyof typeof DASHES;

/** Colour for series `i`; after 8 series the colours repeat with a dash pattern (see `seriesDash`). */
export function seriesColor(i: number): string {
  return SERIES_COLORS[((i % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length];
}

export function seriesDash(i: number): DashStyle {
  const round = Math.floor(i / SERIES_COLORS.length) % 3;
  return round === 0 ? "solid" : round === 1 ? "dashed" : "dotted";
}

const FONT_FAMILY = "system-ui, -apple-system, 'Segoe UI', Roboto, 'Helvetica Neue', Arial, sans-serif";
export const FONT = { title: 14, label: 12, tick: 11, legend: 12 } as const;
const PAD = 10;
const LEGEND_ROW = 20;

export interface Margin {
  top: number;
  right: number;
  bottom: number;
  left: number;
}

export interface AxisOptions {
  label?: string;
  /** Fixed ends; a free end is widened to the next nice tick. */
  min?: number;
  max?: number;
  /** Approximate number of ticks (default from the plot size). */
  ticks?: number;
  /** Tick label text; `step` is the tick spacing (default: as many decimals as the step needs). */
  format?: (value: number, step: number) => string;
}

/** What every chart shares: an id (unique in the page), titles, size in SVG units and an optional fixed margin. */
export interface ChartFrame {
  id: string;
  /** Drawn at the top and used as the accessible name. */
  title?: string;
  /** Accessible description; a summary of the data is generated when absent. */
  description?: string;
  width?: number;
  height?: number;
  /** Show the legend (default: when there is more than one series). */
  legend?: boolean;
  /** Replaces the computed margin around the plot area (mainly for exact layouts in tests). */
  margin?: Margin;
}

export const finite = (v: number | null | undefined): v is number =>
  typeof v === "number" && Number.isFinite(v);

export function defaultTickFormat(value: number, step: number): string {
  return value.toFixed(decimalsFor(step));
}

export interface SeriesStyle {
  cls: string;
  color: string;
  style: string;
  dash: DashStyle;
}

export function styleFor(
  s: { color?: string; colorIndex?: number; dash?: DashStyle },
  i: number,
): SeriesStyle {
  const slot = s.colorIndex ?? i;
  const color = s.color ?? seriesColor(slot);
  return {
    cls: `rc-s${((slot % SERIES_COLORS.length) + SERIES_COLORS.length) % SERIES_COLORS.length}`,
    color,
    // An explicit colour must win over the stylesheet's palette variable too.
    style: s.color ? ` style="--c:${escapeXml(s.color)}"` : "",
    dash: s.dash ?? seriesDash(slot),
  };
}

export function dashAttr(dash: DashStyle): string {
  return DASHES[dash] ? ` stroke-dasharray="${DASHES[dash]}"` : "";
}

export interface LegendEntry {
  name: string;
  style: SeriesStyle;
  kind: "line" | "band" | "box";
}

export interface LegendLayout {
  height: number;
  items: Array<{ entry: LegendEntry; x: number; row: number }>;
}

/** Lays legend entries left to right, wrapping into rows that fit `width`. */
export function layoutLegend(entries: readonly LegendEntry[], width: number): LegendLayout {
  const items: LegendLayout["items"] = [];
  let x = 0;
  let row = 0;
  for (const entry of entries) {
    const w = (entry.kind === "box" ? 14 : 26) + textWidth(entry.name, FONT.legend);
    if (x > 0 && x + w > width) {
      x = 0;
      row++;
    }
    items.push({ entry, x, row });
    x += w + 18;
  }
  return { height: entries.length ? (row + 1) * LEGEND_ROW + 4 : 0, items };
}

export function renderLegend(layout: LegendLayout, left: number, top: number): string {
  const out: string[] = [`<g class="rc-legend">`];
  for (const { entry, x, row } of layout.items) {
    const x0 = left + x;
    const cy = top + row * LEGEND_ROW + LEGEND_ROW / 2;
    const { cls, color, style, dash } = entry.style;
    let swatch: string;
    let textX: number;
    if (entry.kind === "box") {
      swatch = `<rect class="rc-bar ${cls}"${style} x="${coord(x0)}" y="${coord(cy - 5)}" width="10" height="10" rx="2" fill="${color}"/>`;
      textX = x0 + 14;
    } else {
      const band =
        entry.kind === "band"
          ? `<rect class="rc-band ${cls}"${style} x="${coord(x0)}" y="${coord(cy - 5)}" width="22" height="10" fill="${color}" fill-opacity="0.16"/>`
          : "";
      swatch = `${band}<line class="rc-line ${cls}"${style} x1="${coord(x0)}" y1="${coord(cy)}" x2="${coord(x0 + 22)}" y2="${coord(cy)}" stroke="${color}" stroke-width="2.5"${dashAttr(dash)}/>`;
      textX = x0 + 26;
    }
    out.push(
      `${swatch}<text class="rc-legend-text" x="${coord(textX)}" y="${coord(cy)}" dominant-baseline="central" font-size="${FONT.legend}" fill="#1a1d23">${escapeXml(entry.name)}</text>`,
    );
  }
  out.push("</g>");
  return out.join("");
}

export interface FrameLayout {
  width: number;
  height: number;
  margin: Margin;
  plotW: number;
  plotH: number;
  legend: LegendLayout | null;
  legendTop: number;
}

/** Computes margins: title and legend above the plot, tick labels and axis titles below and left. */
export function layoutFrame(
  frame: ChartFrame,
  entries: readonly LegendEntry[],
  axes: {
    /** The y tick labels for a given plot height (their width sets the left margin). */
    yTickLabels: (plotH: number) => string[];
    hasXLabel: boolean;
    hasYLabel: boolean;
    /** Room for angled category labels. */
    extraBottom?: number;
  },
): FrameLayout {
  const { yTickLabels, hasXLabel, hasYLabel, extraBottom = 0 } = axes;
  const width = frame.width ?? 480;
  const height = frame.height ?? 300;
  const showLegend = frame.legend ?? entries.length > 1;
  const titleH = frame.title ? FONT.title + 12 : 0;
  if (frame.margin) {
    const m = frame.margin;
    const legend = showLegend ? layoutLegend(entries, width - m.left - m.right) : null;
    return {
      width,
      height,
      margin: m,
      plotW: width - m.left - m.right,
      plotH: height - m.top - m.bottom,
      legend,
      legendTop: PAD + titleH,
    };
  }
  const bottom = PAD + FONT.tick + 8 + (hasXLabel ? FONT.label + 10 : 0) + extraBottom;
  // The y tick labels depend on the plot height only through the tick count, which is stable enough
  // to estimate from the full height first.
  const roughLabels = yTickLabels(height - bottom - titleH - 40);
  const tickW = Math.max(0, ...roughLabels.map((t) => textWidth(t, FONT.tick)));
  const left = PAD + tickW + 10 + (hasYLabel ? FONT.label + 8 : 0);
  const right = 18;
  const legend = showLegend ? layoutLegend(entries, width - left - right) : null;
  const top = PAD + titleH + (legend?.height ?? 0) + 8;
  return {
    width,
    height,
    margin: { top, right, bottom, left },
    plotW: Math.max(10, width - left - right),
    plotH: Math.max(10, height - top - bottom),
    legend,
    legendTop: PAD + titleH,
  };
}

export function svgOpen(frame: ChartFrame, width: number, height: number, summary: string): string {
  const id = escapeXml(frame.id);
  const title = escapeXml(frame.title ?? frame.id);
  const desc = escapeXml(frame.description ?? summary);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="rc-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT_FAMILY}" font-size="${FONT.label}">` +
    `<title id="${id}-title">${title}</title><desc id="${id}-desc">${desc}</desc>`
  );
}

export function renderTitle(frame: ChartFrame, left: number): string {
  if (!frame.title) return "";
  return `<text class="rc-title" x="${coord(left)}" y="${PAD + FONT.title}" font-size="${FONT.title}" font-weight="600" fill="#1a1d23">${escapeXml(frame.title)}</text>`;
}

export function renderYAxis(
  domain: TickedDomain,
  y: (v: number) => number,
  layout: FrameLayout,
  axis: AxisOptions,
): string {
  const { margin, plotW, plotH } = layout;
  const fmt = axis.format ?? defaultTickFormat;
  const out: string[] = [`<g class="rc-y-axis">`];
  for (const t of domain.ticks) {
    const ty = coord(y(t));
    out.push(
      `<line class="rc-grid" x1="${coord(margin.left)}" y1="${ty}" x2="${coord(margin.left + plotW)}" y2="${ty}" stroke="#e6e8ec" stroke-width="1"/>`,
      `<text class="rc-tick" x="${coord(margin.left - 8)}" y="${ty}" text-anchor="end" dominant-baseline="central" font-size="${FONT.tick}" fill="#5b6270">${escapeXml(fmt(t, domain.step))}</text>`,
    );
  }
  if (axis.label) {
    const cx = PAD + FONT.label / 2 + 1;
    const cy = margin.top + plotH / 2;
    out.push(
      `<text class="rc-axis-label" x="${coord(cx)}" y="${coord(cy)}" transform="rotate(-90 ${coord(cx)} ${coord(cy)})" text-anchor="middle" dominant-baseline="central" font-size="${FONT.label}" fill="#5b6270">${escapeXml(axis.label)}</text>`,
    );
  }
  out.push("</g>");
  return out.join("");
}

export function renderXLabel(label: string | undefined, layout: FrameLayout): string {
  if (!label) return "";
  const { margin, plotW, height } = layout;
  return `<text class="rc-axis-label" x="${coord(margin.left + plotW / 2)}" y="${coord(height - PAD)}" text-anchor="middle" font-size="${FONT.label}" fill="#5b6270">${escapeXml(label)}</text>`;
}

export function renderFrameLines(layout: FrameLayout): string {
  const { margin, plotW, plotH } = layout;
  const x0 = coord(margin.left);
  const y0 = coord(margin.top + plotH);
  return `<path class="rc-axis" d="M${x0} ${coord(margin.top)}V${y0}H${coord(margin.left + plotW)}" fill="none" stroke="#9aa0ab" stroke-width="1"/>`;
}

export function yDomainFor(
  values: number[],
  axis: AxisOptions,
  plotHGuess: number,
  includeZero: boolean,
): TickedDomain {
  const vs = includeZero ? [...values, 0] : values;
  const lo = vs.length ? Math.min(...vs) : 0;
  const hi = vs.length ? Math.max(...vs) : 1;
  const count = axis.ticks ?? Math.max(2, Math.min(8, Math.floor(plotHGuess / 45)));
  return niceDomain(lo, hi, count, { min: axis.min, max: axis.max });
}

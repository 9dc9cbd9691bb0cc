import { linearScale, niceDomain, type TickedDomain } from "./scale.js";
import { coord, decimalsFor, escapeXml, textWidth } from "./text.js";

/**
 * Dependency-free inline-SVG charts: data in, one SVG string out, identical bytes for identical
 * input. Every element carries presentation attributes (so a chart stands alone, e.g. as a PNG) and
 * a class (`rc-*`, series `rc-s0`…`rc-s7`) that the report's stylesheet uses to restyle it for dark
 * mode; CSS beats presentation attributes, so the attributes are the light-mode fallback.
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
const FONT = { title: 14, label: 12, tick: 11, legend: 12 } as const;
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

export interface LinePoint {
  x: number;
  /** null (or non-finite) leaves a gap in the line. */
  y: number | null;
  /** Lower and upper ends of the shaded band (e.g. a 95% CI over seeds). */
  lo?: number | null;
  hi?: number | null;
  n?: number;
}

export interface LineSeries {
  name: string;
  points: readonly LinePoint[];
  /** Palette slot (default: the series' position). */
  colorIndex?: number;
  /** An explicit colour overrides the palette (and its dark-mode variant). */
  color?: string;
  dash?: DashStyle;
}

export interface LineChartOptions extends ChartFrame {
  series: readonly LineSeries[];
  x?: AxisOptions;
  y?: AxisOptions;
  /** Dots at the data points with hover tooltips (default: when no series has more than 24 points). */
  markers?: boolean;
}

export interface BarValue {
  mean: number;
  /** Error bar ends (95% CI). */
  lo?: number;
  hi?: number;
  n?: number;
}

export interface BarSeries {
  name: string;
  /** One value per category; null leaves the slot empty. */
  values: ReadonlyArray<BarValue | null>;
  colorIndex?: number;
  color?: string;
}

export interface BarChartOptions extends ChartFrame {
  categories: readonly string[];
  /** A second, smaller line under each category label (e.g. "412 items"). */
  categoryNotes?: readonly string[];
  series: readonly BarSeries[];
  x?: { label?: string };
  y?: AxisOptions;
}

const finite = (v: number | null | undefined): v is number => typeof v === "number" && Number.isFinite(v);

function defaultTickFormat(value: number, step: number): string {
  return value.toFixed(decimalsFor(step));
}

interface SeriesStyle {
  cls: string;
  color: string;
  style: string;
  dash: DashStyle;
}

function styleFor(s: { color?: string; colorIndex?: number; dash?: DashStyle }, i: number): SeriesStyle {
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

function dashAttr(dash: DashStyle): string {
  return DASHES[dash] ? ` stroke-dasharray="${DASHES[dash]}"` : "";
}

interface LegendEntry {
  name: string;
  style: SeriesStyle;
  kind: "line" | "band" | "box";
}

interface LegendLayout {
  height: number;
  items: Array<{ entry: LegendEntry; x: number; row: number }>;
}

/** Lays legend entries left to right, wrapping into rows that fit `width`. */
function layoutLegend(entries: readonly LegendEntry[], width: number): LegendLayout {
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

function renderLegend(layout: LegendLayout, left: number, top: number): string {
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

interface FrameLayout {
  width: number;
  height: number;
  margin: Margin;
  plotW: number;
  plotH: number;
  legend: LegendLayout | null;
  legendTop: number;
}

/** Computes margins: title and legend above the plot, tick labels and axis titles below and left. */
function layoutFrame(
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

function svgOpen(frame: ChartFrame, width: number, height: number, summary: string): string {
  const id = escapeXml(frame.id);
  const title = escapeXml(frame.title ?? frame.id);
  const desc = escapeXml(frame.description ?? summary);
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" id="${id}" class="rc-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-labelledby="${id}-title ${id}-desc" font-family="${FONT_FAMILY}" font-size="${FONT.label}">` +
    `<title id="${id}-title">${title}</title><desc id="${id}-desc">${desc}</desc>`
  );
}

function renderTitle(frame: ChartFrame, left: number): string {
  if (!frame.title) return "";
  return `<text class="rc-title" x="${coord(left)}" y="${PAD + FONT.title}" font-size="${FONT.title}" font-weight="600" fill="#1a1d23">${escapeXml(frame.title)}</text>`;
}

function renderYAxis(
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

function renderXLabel(label: string | undefined, layout: FrameLayout): string {
  if (!label) return "";
  const { margin, plotW, height } = layout;
  return `<text class="rc-axis-label" x="${coord(margin.left + plotW / 2)}" y="${coord(height - PAD)}" text-anchor="middle" font-size="${FONT.label}" fill="#5b6270">${escapeXml(label)}</text>`;
}

function renderFrameLines(layout: FrameLayout): string {
  const { margin, plotW, plotH } = layout;
  const x0 = coord(margin.left);
  const y0 = coord(margin.top + plotH);
  return `<path class="rc-axis" d="M${x0} ${coord(margin.top)}V${y0}H${coord(margin.left + plotW)}" fill="none" stroke="#9aa0ab" stroke-width="1"/>`;
}

function yDomainFor(
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

function pointTooltip(
  name: string,
  p: LinePoint,
  fx: (v: number) => string,
  fy: (v: number) => string,
): string {
  let s = `${name}: ${fx(p.x)} → ${fy(p.y as number)}`;
  if (finite(p.lo) && finite(p.hi)) s += ` [${fy(p.lo)}, ${fy(p.hi)}]`;
  if (p.n !== undefined) s += ` (n=${p.n})`;
  return s;
}

/** A multi-series line chart with optional shaded bands (e.g. 95% CI over seeds). */
export function lineChart(opts: LineChartOptions): string {
  const xAxis = opts.x ?? {};
  const yAxis = opts.y ?? {};
  const series = opts.series;
  const styles = series.map((s, i) => styleFor(s, i));
  const hasBand = series.map((s) => s.points.some((p) => finite(p.lo) && finite(p.hi)));
  const entries: LegendEntry[] = series.map((s, i) => ({
    name: s.name,
    style: styles[i],
    kind: hasBand[i] ? "band" : "line",
  }));

  const xs = series.flatMap((s) => s.points.map((p) => p.x)).filter(finite);
  const ys = series.flatMap((s) => s.points.flatMap((p) => [p.y, p.lo, p.hi])).filter(finite);
  const yDom = (plotH: number) => yDomainFor(ys, yAxis, plotH, false);
  const yFmt = yAxis.format ?? defaultTickFormat;

  const layout = layoutFrame(opts, entries, {
    yTickLabels: (h) => {
      const d = yDom(h);
      return d.ticks.map((t) => yFmt(t, d.step));
    },
    hasXLabel: Boolean(xAxis.label),
    hasYLabel: Boolean(yAxis.label),
  });
  const { margin, plotW, plotH } = layout;

  const yD = yDom(plotH);
  const xCount = xAxis.ticks ?? Math.max(2, Math.min(10, Math.floor(plotW / 70)));
  const xD = niceDomain(xs.length ? Math.min(...xs) : 0, xs.length ? Math.max(...xs) : 1, xCount, {
    min: xAxis.min,
    max: xAxis.max,
  });
  const x = linearScale(xD.min, xD.max, margin.left, margin.left + plotW);
  const y = linearScale(yD.min, yD.max, margin.top + plotH, margin.top);
  const xFmt = xAxis.format ?? defaultTickFormat;
  const fx = (v: number) => xFmt(v, xD.step / 10);
  const fy = (v: number) => yFmt(v, yD.step / 10);

  const summary =
    `Line chart of ${series.length} series (${series.map((s) => s.name).join(", ")}); ` +
    `x${xAxis.label ? ` (${xAxis.label})` : ""} from ${xFmt(xD.min, xD.step)} to ${xFmt(xD.max, xD.step)}, ` +
    `y${yAxis.label ? ` (${yAxis.label})` : ""} from ${yFmt(yD.min, yD.step)} to ${yFmt(yD.max, yD.step)}` +
    (hasBand.some(Boolean) ? "; shaded bands show the interval around each line." : ".");

  const id = escapeXml(opts.id);
  const out: string[] = [svgOpen(opts, layout.width, layout.height, summary)];
  out.push(
    `<defs><clipPath id="${id}-clip"><rect x="${coord(margin.left)}" y="${coord(margin.top - 2)}" width="${coord(plotW)}" height="${coord(plotH + 4)}"/></clipPath></defs>`,
  );
  out.push(renderTitle(opts, margin.left));
  if (layout.legend) out.push(renderLegend(layout.legend, margin.left, layout.legendTop));
  out.push(renderYAxis(yD, y, layout, yAxis));

  // x ticks: short marks below the axis with labels.
  const xt: string[] = [`<g class="rc-x-axis">`];
  for (const t of xD.ticks) {
    const tx = coord(x(t));
    const base = margin.top + plotH;
    xt.push(
      `<line class="rc-axis" x1="${tx}" y1="${coord(base)}" x2="${tx}" y2="${coord(base + 4)}" stroke="#9aa0ab" stroke-width="1"/>`,
      `<text class="rc-tick" x="${tx}" y="${coord(base + 6 + FONT.tick)}" text-anchor="middle" font-size="${FONT.tick}" fill="#5b6270">${escapeXml(xFmt(t, xD.step))}</text>`,
    );
  }
  xt.push("</g>");
  out.push(xt.join(""));
  out.push(renderXLabel(xAxis.label, layout));

  const maxPoints = Math.max(0, ...series.map((s) => s.points.length));
  const markers = opts.markers ?? maxPoints <= 24;
  out.push(`<g class="rc-plot" clip-path="url(#${id}-clip)">`);
  // Bands first so every line stays on top of every band.
  series.forEach((s, i) => {
    if (!hasBand[i]) return;
    const { cls, color, style } = styles[i];
    const runs: LinePoint[][] = [];
    let run: LinePoint[] = [];
    for (const p of s.points) {
      if (finite(p.x) && finite(p.lo) && finite(p.hi)) run.push(p);
      else if (run.length) {
        runs.push(run);
        run = [];
      }
    }
    if (run.length) runs.push(run);
    const d = runs
      .filter((r) => r.length > 1)
      .map((r) => {
        const upper = r
          .map((p, k) => `${k ? "L" : "M"}${coord(x(p.x))} ${coord(y(p.hi as number))}`)
          .join("");
        const lower = [...r]
          .reverse()
          .map((p) => `L${coord(x(p.x))} ${coord(y(p.lo as number))}`)
          .join("");
        return `${upper}${lower}Z`;
      })
      .join("");
    if (d)
      out.push(
        `<path class="rc-band ${cls}"${style} d="${d}" fill="${color}" fill-opacity="0.16" stroke="none"/>`,
      );
  });
  series.forEach((s, i) => {
    const { cls, color, style, dash } = styles[i];
    let d = "";
    let pen = false;
    for (const p of s.points) {
      if (finite(p.x) && finite(p.y)) {
        d += `${pen ? "L" : "M"}${coord(x(p.x))} ${coord(y(p.y))}`;
        pen = true;
      } else pen = false;
    }
    if (d)
      out.push(
        `<path class="rc-line ${cls}"${style} d="${d}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"${dashAttr(dash)}><title>${escapeXml(s.name)}</title></path>`,
      );
    if (markers) {
      for (const p of s.points) {
        if (!finite(p.x) || !finite(p.y)) continue;
        out.push(
          `<circle class="rc-dot ${cls}"${style} cx="${coord(x(p.x))}" cy="${coord(y(p.y))}" r="3" fill="${color}"><title>${escapeXml(pointTooltip(s.name, p, fx, fy))}</title></circle>`,
        );
      }
    }
  });
  out.push("</g>");
  out.push(renderFrameLines(layout));
  out.push("</svg>");
  return out.join("");
}

/** A grouped bar chart: one group per category, one bar per series, with 95% CI error bars. */
export function barChart(opts: BarChartOptions): string {
  const yAxis = opts.y ?? {};
  const { categories, series } = opts;
  const styles = series.map((s, i) => styleFor(s, i));
  const entries: LegendEntry[] = series.map((s, i) => ({ name: s.name, style: styles[i], kind: "box" }));
  const values = series
    .flatMap((s) => s.values.flatMap((v) => (v ? [v.mean, v.lo, v.hi] : [])))
    .filter(finite);
  const yDom = (plotH: number) => yDomainFor(values, yAxis, plotH, true);
  const yFmt = yAxis.format ?? defaultTickFormat;

  // Category labels that do not fit their slot are drawn at an angle, which needs more room below.
  const width = opts.width ?? 480;
  const roughSlot = (width * 0.8) / Math.max(1, categories.length);
  const longest = Math.max(0, ...categories.map((c) => textWidth(c, FONT.tick)));
  const rotate = longest > roughSlot - 6;
  const notes = opts.categoryNotes?.some(Boolean) ? opts.categoryNotes : undefined;
  // Angled labels carry their note inline ("label (note)"); sin 30° of the longest is the room they need.
  const longestAngled = Math.max(
    0,
    ...categories.map((c, k) => textWidth(notes?.[k] ? `${c} (${notes[k]})` : c, FONT.tick)),
  );
  const extraBottom = rotate ? Math.min(120, longestAngled * 0.5) : notes ? FONT.tick + 2 : 0;

  const layout = layoutFrame(opts, entries, {
    yTickLabels: (h) => {
      const d = yDom(h);
      return d.ticks.map((t) => yFmt(t, d.step));
    },
    hasXLabel: Boolean(opts.x?.label),
    hasYLabel: Boolean(yAxis.label),
    extraBottom,
  });
  const { margin, plotW, plotH } = layout;
  const yD = yDom(plotH);
  const y = linearScale(yD.min, yD.max, margin.top + plotH, margin.top);
  const fy = (v: number) => yFmt(v, yD.step / 10);

  const slot = plotW / Math.max(1, categories.length);
  const groupW = slot * 0.78;
  const barW = groupW / Math.max(1, series.length);
  const summary =
    `Grouped bar chart: ${categories.length} groups (${categories.join(", ")}), ` +
    `${series.length} series (${series.map((s) => s.name).join(", ")}); ` +
    `y${yAxis.label ? ` (${yAxis.label})` : ""} from ${yFmt(yD.min, yD.step)} to ${yFmt(yD.max, yD.step)}; ` +
    "error bars show the interval around each mean.";

  const out: string[] = [svgOpen(opts, layout.width, layout.height, summary)];
  out.push(renderTitle(opts, margin.left));
  if (layout.legend) out.push(renderLegend(layout.legend, margin.left, layout.legendTop));
  out.push(renderYAxis(yD, y, layout, yAxis));

  const base = margin.top + plotH;
  const xt: string[] = [`<g class="rc-x-axis">`];
  categories.forEach((c, k) => {
    const cx = margin.left + slot * (k + 0.5);
    const ty = base + 6 + FONT.tick;
    const rot = rotate ? ` transform="rotate(-30 ${coord(cx)} ${coord(ty)})"` : "";
    const note = notes?.[k]
      ? rotate
        ? ` (${escapeXml(notes[k])})`
        : `<tspan class="rc-note" x="${coord(cx)}" dy="${FONT.tick + 2}" font-size="${FONT.tick - 1}" fill-opacity="0.75">${escapeXml(notes[k])}</tspan>`
      : "";
    xt.push(
      `<text class="rc-tick" x="${coord(cx)}" y="${coord(ty)}" text-anchor="${rotate ? "end" : "middle"}"${rot} font-size="${FONT.tick}" fill="#5b6270">${escapeXml(c)}${note}</text>`,
    );
  });
  xt.push("</g>");
  out.push(xt.join(""));
  out.push(renderXLabel(opts.x?.label, layout));

  const zero = y(Math.max(yD.min, Math.min(yD.max, 0)));
  out.push(`<g class="rc-plot">`);
  series.forEach((s, i) => {
    const { cls, color, style } = styles[i];
    s.values.forEach((v, k) => {
      if (!v || !finite(v.mean) || k >= categories.length) return;
      const bx = margin.left + slot * k + (slot - groupW) / 2 + barW * i;
      const inset = Math.min(2, barW * 0.12);
      const top = Math.min(y(v.mean), zero);
      const h = Math.abs(y(v.mean) - zero);
      let tip = `${s.name} · ${categories[k]}: ${fy(v.mean)}`;
      if (finite(v.lo) && finite(v.hi)) tip += ` [${fy(v.lo)}, ${fy(v.hi)}]`;
      if (v.n !== undefined) tip += ` (n=${v.n})`;
      out.push(
        `<rect class="rc-bar ${cls}"${style} x="${coord(bx + inset)}" y="${coord(top)}" width="${coord(barW - 2 * inset)}" height="${coord(h)}" fill="${color}"><title>${escapeXml(tip)}</title></rect>`,
      );
      if (finite(v.lo) && finite(v.hi)) {
        const cx = bx + barW / 2;
        const cap = Math.min(8, (barW - 2 * inset) * 0.5) / 2;
        const ylo = coord(y(v.lo));
        const yhi = coord(y(v.hi));
        out.push(
          `<path class="rc-err" d="M${coord(cx)} ${ylo}V${yhi}M${coord(cx - cap)} ${ylo}H${coord(cx + cap)}M${coord(cx - cap)} ${yhi}H${coord(cx + cap)}" fill="none" stroke="#1a1d23" stroke-width="1.3"/>`,
        );
      }
    });
  });
  out.push("</g>");
  // Bars of negative values hang from zero; mark it unless it is the bottom axis itself.
  if (yD.min < 0 && yD.max >= 0)
    out.push(
      `<line class="rc-axis" x1="${coord(margin.left)}" y1="${coord(zero)}" x2="${coord(margin.left + plotW)}" y2="${coord(zero)}" stroke="#9aa0ab" stroke-width="1"/>`,
    );
  out.push(renderFrameLines(layout));
  out.push("</svg>");
  return out.join("");
}

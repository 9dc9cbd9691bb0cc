import { linearScale, niceDomain } from "./scale.js";
import {
  type AxisOptions,
  type ChartFrame,
  type DashStyle,
  dashAttr,
  defaultTickFormat,
  FONT,
  finite,
  type LegendEntry,
  layoutFrame,
  renderFrameLines,
  renderLegend,
  renderTitle,
  renderXLabel,
  renderYAxis,
  styleFor,
  svgOpen,
  yDomainFor,
} from "./svg-frame.js";
import { coord, escapeXml, textWidth } from "./text.js";

export {
  type AxisOptions,
  type ChartFrame,
  type DashStyle,
  type Margin,
  SERIES_COLORS,
  SERIES_COLORS_DARK,
  seriesColor,
  seriesDash,
} from "./svg-frame.js";

/**
 * Dependency-free inline-SVG charts: data in, one SVG string out, identical bytes for identical
 * input. Every element carries presentation attributes (so a chart stands alone, e.g. as a PNG) and
 * a class (`rc-*`, series `rc-s0`…`rc-s7`) that the report's stylesheet uses to restyle it for dark
 * mode; CSS beats presentation attributes, so the attributes are the light-mode fallback.
 */

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

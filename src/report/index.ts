// The report layer: ReportData in, one self-contained HTML file (inline CSS and SVG) out.
export * from "./browser.js";
export * from "./from-metrics.js";
export * from "./html.js";
export * from "./io.js";
export * from "./scale.js";
export * from "./schema.js";
export * from "./stats.js";
export * from "./svg.js";
export { escapeXml, formatNumber } from "./text.js";
export * from "./types.js";

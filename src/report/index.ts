// The report layer: ReportData in, one self-contained HTML file (inline CSS and SVG) out.
export {
  type BrowserOptions,
  ChromiumMissingError,
  type PngResult,
  renderChartPng,
  renderPagePng,
} from "./browser.js";
export {
  DEFAULT_RESULT_METRICS,
  lengthByValueFromRuns,
  METRIC_COLUMNS,
  type RowSource,
  resultsFromRuns,
  resultsFromSeeds,
} from "./from-metrics.js";
export { renderReport } from "./html.js";
export { readReportData, writeReport } from "./io.js";
export { parseReportData, ReportDataSchema } from "./schema.js";
export { aggregateSeeds, pairedEstimate, seedEstimate, toEstimate } from "./stats.js";
export {
  type BarChartOptions,
  type BarSeries,
  type BarValue,
  barChart,
  type LineChartOptions,
  type LinePoint,
  type LineSeries,
  lineChart,
} from "./svg.js";
export type { AxisOptions, ChartFrame, DashStyle, Margin } from "./svg-frame.js";
export type {
  Arm,
  ArmSeries,
  BucketChart,
  Claim,
  ClaimNumber,
  ClaimStatus,
  CurveChart,
  DataColumn,
  DataTable,
  EosTrajectories,
  Estimate,
  MetricColumn,
  Note,
  ReportData,
  ResultRow,
  ResultsTable,
  RunInfo,
  SeriesPoint,
  ValueBucket,
  ValueGroupStats,
  WithinDifficulty,
  WithinDifficultyRow,
} from "./types.js";

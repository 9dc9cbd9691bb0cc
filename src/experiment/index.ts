// The demo and the experiment grid: orchestration over child processes, results, claims, reports.
export {
  type BreakEvenAnalysis,
  type BreakEvenRow,
  breakEvenByDifficulty,
  breakEvenScale,
  breakEvenTable,
  type MeasuredArm,
} from "./break-even.js";
export { gridClaims } from "./claims/grid.js";
export { compareRunsStepByStep, grpoIdentityClaim } from "./claims/identity.js";
export { type Judgement, judgeDifference, pairedBySeed, type RunsByCell } from "./claims/judge.js";
export { eosGradientClaim, hAccClaim, lengthClaims, valueGainClaim } from "./claims/paper.js";
export { withinDifficultyGap } from "./claims/statistics.js";
export { claimLine, claimsMarkdown } from "./claims/text.js";
export { type DemoConfig, type ExperimentConfig, loadDemoConfig, loadExperimentConfig } from "./config.js";
export { type DemoOptions, type DemoResult, runDemo } from "./demo.js";
export {
  type ExperimentOptions,
  type ExperimentRun,
  finishedRecords,
  planGrid,
  runExperiment,
} from "./experiment.js";
export { buildExperimentReport, type ExperimentReportOptions, gridTable } from "./experiment-report.js";
export { type Cell, type CellSpec, cellId, expandGrid, type Job, makeJob, planJobs } from "./grid.js";
export { runRlJob, weakClassOfSteps, weakTrainItems } from "./job.js";
export {
  compareTraces,
  type FinalMetrics,
  type JobRecord,
  type TraceComparison,
  withinDifficultyValueGain,
} from "./record.js";
export { appendResult, readResults } from "./results-file.js";
export {
  olsSlope,
  type Sensitivity,
  type SensitivityCell,
  type SensitivitySlope,
  valueSensitivity,
} from "./sensitivity.js";
export { formatMarkdownTable, formatTextTable } from "./table.js";
export { checkWarmup, ensureWarmup, type WarmupManifest } from "./warmup.js";

// Evaluation metrics of docs/method.md#metrics: Acc, H-Acc, value density, value slices, pass@k, CIs.
export {
  accuracy,
  hAcc,
  meanAtN,
  meanResponseLength,
  passAtK,
  sliceOfOrdered,
  valueDensity,
  valueSliceAccuracy,
} from "./core.js";
export { formatComparison, formatRun, formatSeeds } from "./format.js";
export {
  type GradedRow,
  GradedRowSchema,
  groupByItem,
  type ItemResult,
  readGraded,
  rowScore,
} from "./graded.js";
export {
  type BootstrapOptions,
  bootstrapCi,
  bootstrapWeighted,
  type Interval,
  meanSd,
  type PairedDifference,
  pairedDifference,
  quantileSorted,
  type SeedInterval,
  seedCi,
} from "./intervals.js";
export { studentTCdf, studentTQuantile } from "./student-t.js";
export {
  accuracyByDifficulty,
  type Comparison,
  compareRuns,
  compareSeeds,
  type DifficultyRow,
  type GroupRow,
  lengthByValueBucket,
  type Metric,
  type RunSummary,
  type SeedsSummary,
  type SummaryOptions,
  summarizeRun,
  summarizeSeeds,
  type ValueBucketRow,
} from "./summary.js";

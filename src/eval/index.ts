// Evaluation of a policy on held-out exams (greedy), its metrics and output files.
export {
  type EosTrajectory,
  eosTrajectories,
  type ValueBucketSummary,
  valueBucketsByDifficulty,
} from "./breakdown.js";
export {
  type EndpointEvalOptions,
  type EndpointEvalResult,
  type EndpointGradedRow,
  runEndpointEval,
} from "./endpoint.js";
export { type EvaluateOptions, type EvaluationResult, evaluatePolicy, writeEvaluation } from "./evaluate.js";
export {
  type BenchmarkPrompt,
  ENDPOINT_PROMPT_STYLES,
  type EndpointPromptStyle,
  gaokaoBenchJobs,
  readGaokaoPrompts,
} from "./gaokao-prompts.js";
export {
  type GradedResponse,
  type GradeOutcome,
  gradeResponse,
  sampleAndGrade,
  type TextCodec,
} from "./grade.js";
export {
  type Agreement,
  type ExamPoints,
  type GradedSavedRow,
  type GradeMetrics,
  type PointsRow,
  summarizeGrades,
} from "./grade-metrics.js";
export {
  type GradeReportInput,
  gradeReportData,
  gradeSummaryMarkdown,
  writeGradeReport,
} from "./grade-report.js";
export { type GradeSavedOptions, type GradeSavedResult, gradeSaved } from "./grade-saved.js";
export { type GradingLabel, type GradingOptions, MULTI_SELECT_RULES } from "./grading.js";
export { type EvalRunResult, runEval } from "./run.js";
export { type GivenVerdict, readSavedResponses, type SavedResponse } from "./saved-responses.js";
export {
  type DifficultySummary,
  type EvalMetrics,
  type EvalSummaryOptions,
  summarizeEvaluation,
} from "./summary.js";

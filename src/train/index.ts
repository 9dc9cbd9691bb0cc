// The embedded trainer: warm-up (SFT) and the RL loop, with their run-directory machinery.
export type { RunHooks, RunStatus } from "./hooks.js";
export { type LogRecord, readMetricsLog } from "./metrics-log.js";
export { type RlResult, runRl } from "./rl.js";
export { type RlStepContext, type RlStepOutcome, rlStep, valueBucket, valueBucketEdges } from "./rl-step.js";
export { runSft, type SftResult, warmupConfigDigest, workedShareFor } from "./sft.js";

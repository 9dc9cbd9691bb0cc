// RL math of docs/method.md#advantage-estimators, docs/method.md#policy-loss and docs/method.md#end-of-sequence-gradient: pure functions over typed arrays (no tensor engine).
export {
  type AggregationOptions,
  type AggregationWeights,
  aggregate,
  aggregations,
  aggregationWeights,
  seqMeanTokenMeanWeights,
  seqMeanTokenSumNormWeights,
  tokenMeanWeights,
} from "./aggregation.js";
export { type ConfigWarning, checkConfig } from "./check.js";
export { eosLogitGradient, expectedEosLogitGradient } from "./eos.js";
export {
  type AdvantageInput,
  type AdvantageOutput,
  computeAdvantages,
  DEFAULT_ESTIMATOR_OPTIONS,
  drGrpoAdvantages,
  type EstimatorFn,
  type EstimatorOptions,
  estimators,
  groupMembers,
  grpoAdvantages,
  grpoBatchStdAdvantages,
  grpoValueAdvantages,
  isSequenceLevel,
  reinforcePpAdvantages,
  reinforcePpBaselineAdvantages,
  reinforcePpReturns,
  rlooAdvantages,
  sequenceRewards,
} from "./estimators.js";
export {
  K3_CLAMP,
  K3_LOG_RATIO_CLAMP,
  type KlEstimator,
  k1,
  k1Grad,
  k2,
  k2Grad,
  k3,
  k3Grad,
  klEstimators,
  tokenKl,
} from "./kl.js";
export { type BatchShape, maskedMean, maskedMeanVar, type Numbers, WHITEN_EPS, whiten } from "./masked.js";
export {
  type ClipOptions,
  LOG_RATIO_CLAMP,
  type PgTokenLosses,
  type PolicyLossConfig,
  type PolicyLossFn,
  type PolicyLossInput,
  type PolicyLossResult,
  type PolicyLossStats,
  policyLoss,
  policyLosses,
  ppoClipLosses,
  ppoClipTokenLoss,
  type TokenPgLoss,
} from "./policy-loss.js";
export { type RolloutStats, type RolloutStatsInput, rolloutStats } from "./stats.js";
export { estimatorWarning, KNOWN_ESTIMATORS, type ValueVerdict, valueUnderEstimator } from "./value-guard.js";

// HTTP servers: the OpenRLHF reward server, the OpenAI-compatible policy server, their HTTP core.
export type { HttpLimits } from "./admission.js";
export type { RunningServer, ServiceListenOptions } from "./http.js";
export { type LoadRequest, type LoadTestOptions, type LoadTestResult, runLoadTest } from "./load-test.js";
export { MetricsRegistry, PROMETHEUS_CONTENT_TYPE } from "./metrics.js";
export {
  type PolicyServerOptions,
  PolicyService,
  type PolicyServiceOptions,
  startPolicyServer,
} from "./policy-server.js";
export {
  type LabelContext,
  parseRewardRequest,
  type ResolvedLabel,
  type RewardRequest,
  resolveLabel,
} from "./reward-request.js";
export {
  type GuardVerifier,
  makeRewardScorer,
  type RewardScorerOptions,
  rewardNeedsValue,
} from "./reward-scorer.js";
export {
  EXTRA_LOG_NAMES,
  type RewardResponse,
  type RewardServerOptions,
  RewardService,
  type RewardServiceOptions,
  type SampleScore,
  type SampleScorer,
  type ScoreInput,
  startRewardServer,
} from "./reward-server.js";

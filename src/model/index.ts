// The embedded jax-js policy. Nothing here imports @jax-js/jax statically: `initEngine()` loads it
// after installing the worker adapter, so importing this module is cheap and side-effect free.
export {
  CHECKPOINT_FORMAT,
  CHECKPOINT_VERSION,
  type CheckpointContents,
  type CheckpointMeta,
  isCheckpoint,
  type LoadedCheckpoint,
  readCheckpoint,
  writeCheckpoint,
} from "./checkpoint.js";
export {
  EmbeddedPolicy,
  type EmbeddedPolicyOptions,
  type EmbeddedStepStats,
  type SupervisedBatch,
  type SupervisedStepStats,
} from "./embedded-policy.js";
export { type EngineInfo, type EngineOptions, engineInfo, initEngine, type Jax, jax } from "./engine.js";
export {
  countParams,
  type HostParams,
  initHostParams,
  type ParamSpec,
  type Params,
  paramSpecs,
} from "./params.js";
export type {
  Policy,
  PolicyBatch,
  PolicyStepStats,
  SampleOptions,
  SampleResult,
  TokenBatch,
} from "./policy.js";
export { EOS_ID, EOS_TOKEN, PAD_ID, PAD_TOKEN, Tokenizer, type TokenizerJson } from "./tokenizer.js";

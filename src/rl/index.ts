// RL math of docs/method.md#advantage-estimators, docs/method.md#policy-loss and docs/method.md#end-of-sequence-gradient: pure functions over typed arrays (no tensor engine).
export * from "./aggregation.js";
export * from "./check.js";
export * from "./eos.js";
export * from "./estimators.js";
export * from "./kl.js";
export * from "./masked.js";
export * from "./policy-loss.js";
export * from "./stats.js";

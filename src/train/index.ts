// The embedded trainer: warm-up (SFT) and the RL loop, with their run-directory machinery.
export * from "./batch.js";
export * from "./hooks.js";
export * from "./lock.js";
export * from "./metrics-log.js";
export * from "./rl.js";
export * from "./rl-step.js";
export * from "./run-dir.js";
export * from "./schedule.js";
export * from "./sft.js";
export * from "./task-setup.js";

// Reward variants of docs/method.md#rewards.
export * from "./rewards.js";
export * from "./scale.js";
export * from "./shuffle.js";

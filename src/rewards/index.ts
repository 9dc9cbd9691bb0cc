// Reward variants of spec §1.
export * from "./rewards.js";
export * from "./scale.js";
export * from "./shuffle.js";

// The values layer's public API: v = points / total, exam-total rules, weak values, shuffles, statistics.
export * from "./shuffle.js";
export * from "./stats.js";
export * from "./value.js";
export { difficultyClassOf, weakValue, withWeakValue } from "./weak.js";

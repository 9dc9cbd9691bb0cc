// Evaluation metrics of docs/method.md#metrics: Acc, H-Acc, value density, value slices, pass@k, CIs.
export * from "./core.js";
export * from "./format.js";
export * from "./graded.js";
export * from "./intervals.js";
export * from "./student-t.js";
export * from "./summary.js";

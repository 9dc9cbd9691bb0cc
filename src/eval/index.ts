// Evaluation of a policy on held-out exams (greedy), its metrics and output files.
export * from "./breakdown.js";
export * from "./evaluate.js";
export * from "./grade.js";
export * from "./run.js";
export * from "./summary.js";

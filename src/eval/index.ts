// Evaluation of a policy on held-out exams (greedy), its metrics and output files.
export * from "./breakdown.js";
export * from "./endpoint.js";
export * from "./evaluate.js";
export * from "./gaokao-prompts.js";
export * from "./grade.js";
export * from "./grade-saved.js";
export * from "./grading.js";
export * from "./run.js";
export * from "./summary.js";

export * from "./exams.js";
export * from "./format.js";
export * from "./seeds.js";
export * from "./verify.js";

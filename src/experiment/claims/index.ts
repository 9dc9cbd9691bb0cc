// The paper's claims, judged on per-seed run records: the rule (judge), per-run statistics, the
// paper's claims, the GRPO identity, issue 14's within-difficulty controls, and their text forms.
export * from "./decisive.js";
export * from "./grid.js";
export * from "./identity.js";
export * from "./judge.js";
export * from "./paper.js";
export * from "./statistics.js";
export * from "./text.js";

// Dataset exports for other RL trainers: verl rows (Parquet/JSONL) and OpenRLHF JSONL.
export * from "./label.js";
export * from "./openrlhf.js";
export * from "./verl.js";

// The data layer's public API (the Item record and JSONL helpers are exported from item.ts / jsonl.ts).
export * from "./difficulty.js";
export * from "./importers/boxed.js";
export * from "./importers/cross-check.js";
export * from "./importers/gaokao.js";
export * from "./importers/gaokao-exams.js";
export * from "./importers/grouping.js";
export * from "./importers/gsm8k.js";
export * from "./importers/math.js";
export * from "./items-io.js";
export * from "./load.js";
export * from "./parquet.js";
export * from "./split.js";
export * from "./text-hash.js";
export * from "./validate.js";

// Public library API: `import { ... } from "rlev"`.
export * from "./client/index.js";
export * from "./config/index.js";
export * from "./data/index.js";
export * from "./data/item.js";
export * from "./data/jsonl.js";
export * from "./export/index.js";
export * from "./metrics/index.js";
export * from "./model/index.js";
export * from "./report/index.js";
export * from "./rewards/index.js";
export * from "./rl/index.js";
export * from "./serve/index.js";
export * from "./task/index.js";
export * from "./util/atomic.js";
export * from "./util/errors.js";
export { Rng } from "./util/rng.js";
export * from "./values/index.js";
export * from "./verify/index.js";

// OpenAI-compatible endpoint client: requests with retries, the response cache, value prediction.
export * from "./cache.js";
export * from "./generate.js";
export * from "./judge.js";
export * from "./openai.js";
export * from "./predict-values.js";

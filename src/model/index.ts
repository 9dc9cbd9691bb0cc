// The embedded jax-js policy. Nothing here imports @jax-js/jax statically: `initEngine()` loads it
// after installing the worker adapter, so importing this module is cheap and side-effect free.
export * from "./batch.js";
export * from "./checkpoint.js";
export * from "./embedded-policy.js";
export { type EngineInfo, type EngineOptions, engineInfo, initEngine, type Jax, jax } from "./engine.js";
export * from "./optimizer.js";
export * from "./params.js";
export * from "./policy.js";
export { Sampler, sampleToken } from "./sampler.js";
export * from "./tokenizer.js";
export * from "./transformer.js";

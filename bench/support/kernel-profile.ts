/**
 * Where the engine's CPU goes, kernel by kernel: runs the reference training step or a sampling
 * case on ONE engine thread (every kernel then runs on the main thread) and times each wasm kernel
 * call on the process CPU clock. Prints CPU per kernel (with its jax-js expression), launches per
 * step or sampling run, and totals by kind. A diagnostic, not a benchmark: `bench/run.ts` does not
 * run it.
 *
 *   nice -n 5 node --import tsx bench/support/kernel-profile.ts train|sample|demo [--top N]
 *
 * train: the 32 × 96 step of bench/engine.ts; sample: 64 prompts × 16 tokens → 64 new tokens;
 * demo: the demo model's 128 × 12 → 20. Figures are per step / per sampling run, averaged over 3
 * runs after one untimed run (jit compilation).
 *
 * It wraps two jax-js internals, for @jax-js/jax 0.1.25 (pinned): the wasm backend's
 * `prepareKernel` (to name each compiled module by its kernel) and `WebAssembly.Instance` (to time
 * the kernel function of each instance).
 */
import { readdirSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { pathToFileURL } from "node:url";
import { ModelConfigSchema } from "../../src/config/model.js";
import { initEngine } from "../../src/model/engine.js";
import { Sampler } from "../../src/model/sampler.js";
import { benchPrompts, REFERENCE_MODEL, referenceTrainStep, runToCapParams } from "./reference.js";

const mode = process.argv[2];
if (mode !== "train" && mode !== "sample" && mode !== "demo") {
  console.error("usage: kernel-profile.ts train|sample|demo [--top N]");
  process.exit(2);
}
const topIndex = process.argv.indexOf("--top");
const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 25;
const RUNS = 3;

interface KernelInfo {
  text: string;
  size: number;
  reduction: number;
}
interface KernelStats extends KernelInfo {
  calls: number;
  micros: number;
}
const infoByModule = new WeakMap<WebAssembly.Module, KernelInfo>();
const stats = new Map<string, KernelStats>();

// Time every kernel function: jax-js instantiates each compiled module once per pool slot.
const OriginalInstance = WebAssembly.Instance;
(WebAssembly as unknown as { Instance: unknown }).Instance = function Instance(
  module: WebAssembly.Module,
  imports?: WebAssembly.Imports,
) {
  const instance = new OriginalInstance(module, imports);
  const info = infoByModule.get(module);
  const kernel = instance.exports.kernel as ((...args: number[]) => void) | undefined;
  if (!info || !kernel) return instance;
  const timed = (...args: number[]) => {
    const t0 = process.cpuUsage();
    kernel(...args);
    const t = process.cpuUsage(t0);
    let s = stats.get(info.text);
    if (!s) {
      s = { ...info, calls: 0, micros: 0 };
      stats.set(info.text, s);
    }
    s.calls++;
    s.micros += t.user + t.system;
  };
  return { exports: { ...instance.exports, kernel: timed } };
};

await initEngine({ threads: 1 });
// The wasm backend object, from jax-js's backend chunk (getBackend is exported there, minified).
const dist = dirname(createRequire(import.meta.url).resolve("@jax-js/jax"));
const chunk = readdirSync(dist).find((f) => /^backend-.*\.js$/.test(f));
if (!chunk) throw new Error(`no backend chunk in ${dist}`);
const backendModule = (await import(pathToFileURL(join(dist, chunk)).href)) as Record<string, unknown>;
type WasmBackend = { type: string; prepareKernel: (k: unknown) => Promise<unknown> };
const getBackend = Object.values(backendModule).find(
  (f): f is (device: string) => WasmBackend => typeof f === "function" && f.name === "getBackend",
);
const backend = getBackend?.("wasm");
if (!backend) throw new Error("the wasm backend of this jax-js version was not found (made for 0.1.25)");
const prepare = backend.prepareKernel.bind(backend);
backend.prepareKernel = async (kernel: unknown) => {
  const exe = (await prepare(kernel)) as { data: { program: { module: WebAssembly.Module } } };
  const k = kernel as { size: number; reduction?: { size: number }; toString(): string };
  const module = exe.data.program.module;
  if (!infoByModule.has(module))
    infoByModule.set(module, {
      text: k.toString().replace(/\s+/g, " "),
      size: k.size,
      reduction: k.reduction?.size ?? 0,
    });
  return exe;
};

/** Runs the case once (untimed, compiles), then RUNS times with kernel timing from zero. */
async function profile(run: () => Promise<void>): Promise<void> {
  await run();
  stats.clear();
  for (let i = 0; i < RUNS; i++) await run();
}

if (mode === "train") {
  // The step bench/engine.ts times.
  const train = referenceTrainStep(ModelConfigSchema.parse(REFERENCE_MODEL), 32, 96);
  let t = 0;
  await profile(() => train.step(++t));
} else {
  const demo = mode === "demo";
  const model = ModelConfigSchema.parse(demo ? { vocabSize: 17, nLayers: 2 } : REFERENCE_MODEL);
  const [rows, promptLen, newTokens] = demo ? [128, 12, 20] : [64, 16, 64];
  // As bench/engine.ts: the EOS logit is pushed far down, so every row runs to the cap.
  const params = runToCapParams(model);
  const sampler = new Sampler(model);
  const prompts = benchPrompts(rows, promptLen, model.vocabSize);
  let seed = 0;
  await profile(async () => {
    await sampler.sample(params, prompts, { maxNewTokens: newTokens, temperature: 1, topP: 1, seed: seed++ });
  });
}

/**
 * A kernel's kind, from its expression: dot products (matmuls; batched ones, such as attention's,
 * read rank-5 views), exponentials, maxima, the rest.
 */
function kind(s: KernelStats): string {
  const dot =
    s.reduction > 0 &&
    /reduction = Add/.test(s.text) &&
    /^\{ exp = \(GV_\d<[^>]+>\{[^}]*\}\[[^\]]*\] \* GV_/.test(s.text);
  if (dot) {
    const rank = (s.text.match(/^\{ exp = \(GV_\d<[^>]+>\{([^:]*):/)?.[1] ?? "").split(",").length;
    return rank >= 5 ? "batched matmuls" : "matmuls";
  }
  if (/Exp\(/.test(s.text)) return "exponentials";
  if (/reduction = Max/.test(s.text)) return "max reductions";
  if (s.reduction > 0) return "other reductions";
  return "elementwise, copies";
}

const rowsOut = [...stats.values()].sort((a, b) => b.micros - a.micros);
const total = rowsOut.reduce((a, s) => a + s.micros, 0);
const unit = mode === "train" ? "step" : "sampling run";
console.log(
  `${mode}: ${(total / RUNS / 1000).toFixed(1)} ms of kernel CPU per ${unit}, ` +
    `${(rowsOut.reduce((a, s) => a + s.calls, 0) / RUNS).toFixed(0)} launches, ${rowsOut.length} kernels`,
);
const byKind = new Map<string, { micros: number; flop: number }>();
for (const s of rowsOut) {
  const k = byKind.get(kind(s)) ?? { micros: 0, flop: 0 };
  k.micros += s.micros;
  if (kind(s).endsWith("matmuls")) k.flop += 2 * s.size * s.reduction * s.calls;
  byKind.set(kind(s), k);
}
for (const [k, v] of [...byKind].sort((a, b) => b[1].micros - a[1].micros)) {
  const rate = v.flop ? `, ${(v.flop / v.micros / 1000).toFixed(1)} GFLOP/s` : "";
  console.log(
    `  ${k.padEnd(20)} ${(v.micros / RUNS / 1000).toFixed(1).padStart(7)} ms ${((100 * v.micros) / total).toFixed(1).padStart(5)}%${rate}`,
  );
}
console.log("\nms per run | share | calls per run | output size × reduction | kernel");
for (const s of rowsOut.slice(0, top)) {
  console.log(
    `${(s.micros / RUNS / 1000).toFixed(2).padStart(8)} | ${((100 * s.micros) / total).toFixed(1).padStart(5)}% | ${(s.calls / RUNS).toFixed(0).padStart(5)} | ${s.size} × ${s.reduction} | ${s.text.slice(0, 300)}`,
  );
}
process.exit(0);

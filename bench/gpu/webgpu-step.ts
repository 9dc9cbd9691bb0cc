/**
 * GPU extra (issue #7): the reference model's training step of bench/engine.ts (vocab 64, d_model 128,
 * 4 layers, 4 heads, MLP 512, context 96; batch 32 × 96; forward, backward and AdamW in one jitted
 * call) on jax-js's WebGPU backend, through Dawn for Node (the `webgpu` npm package).
 *
 *   node --import tsx bench/gpu/webgpu-step.ts [options]
 *
 *   --steps N          timed steps, each awaited (default 20)
 *   --pipelined N,...  steps issued back to back, then one wait; one run per count (default 50;
 *                      0 skips)
 *   --warmup N         untimed steps first; the first one compiles (default 3)
 *   --dawn OPTION      a dawn.node option, repeatable (e.g. backend=vulkan, adapter=NAME)
 *   --compat           ask for a compatibility-mode adapter (Dawn's OpenGL backends offer only
 *                      those, e.g. Mesa's llvmpipe: a CPU-only smoke test of this script)
 *   --check N          first run N steps on the wasm backend from the same weights and batch and
 *                      compare losses and weights with WebGPU's (default 2; 0 skips)
 *   --write-init DIR   write the initial weights and the batch (params.bin, batch.json) for
 *                      bench/gpu/torch_step.py --init DIR, so PyTorch starts from the same state
 *                      (with the wasm losses and gradient norms of the --check steps)
 *   --init-only        stop after --write-init (needs no GPU)
 *   --json FILE        write the results as JSON
 *
 * Timing: "per step" awaits the step's stats each time. Every output of a jitted call carries the
 * whole call's pending kernels, so reading stats submits all of them and the read completes after
 * the GPU queue has run them: params and optimizer state are done too. "Pipelined" issues N steps
 * and waits once, at the end (the host's dispatch of step k+1 is not hidden behind the GPU's work
 * on step k, since jax-js submits lazily, but no per-step read-back is paid). Measured on an H200,
 * the pipelined cost per step grows with N: each jitted call gathers the not-yet-submitted kernels
 * of all its inputs, so a chain of unread steps costs more per step the longer it gets.
 * Per awaited step the script also reports the CPU time (all threads, and the main thread alone)
 * and the queue submissions and compute dispatches, to show whether the step is bound by the host
 * or the GPU.
 * GFLOP/s = 6 · params · tokens / time, as in bench/engine.ts.
 *
 * Exit codes: 0 done; 3 no WebGPU adapter or jax-js could not start its WebGPU backend (the
 * message says what Dawn offered); 1 anything else.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Array as JArray } from "@jax-js/jax";
import { create, globals } from "webgpu";
import { type ModelConfig, ModelConfigSchema, OptimizerConfigSchema } from "../../src/config/model.js";
import { initEngine, type Jax } from "../../src/model/engine.js";
import { type AdamState, adamScalars, initAdamState } from "../../src/model/optimizer.js";
import {
  countParams,
  type HostParams,
  initHostParams,
  type Params,
  paramSpecs,
  paramsToDevice,
  paramsToHost,
} from "../../src/model/params.js";
import { makeStepFunctions } from "../../src/model/steps.js";
import { mainThreadCpu, REFERENCE_MODEL, referenceBatch } from "../support/reference.js";

const B = 32;
const T = 96;
const LR = 1e-4;
const SEED = 1;

class NoAdapterError extends Error {}

/** Calls of GPUQueue.submit and GPUComputePassEncoder.dispatchWorkgroups (counted by wrapping them). */
const gpuCalls = { submits: 0, dispatches: 0, counting: false };

function countGpuCalls(): void {
  const g = globalThis as unknown as Record<string, { prototype: Record<string, unknown> } | undefined>;
  const wrap = (cls: string, method: string, key: "submits" | "dispatches") => {
    const proto = g[cls]?.prototype;
    const original = proto?.[method];
    if (!proto || typeof original !== "function") return false;
    proto[method] = function (this: unknown, ...args: unknown[]) {
      gpuCalls[key]++;
      return original.apply(this, args);
    };
    return true;
  };
  gpuCalls.counting =
    wrap("GPUQueue", "submit", "submits") &&
    wrap("GPUComputePassEncoder", "dispatchWorkgroups", "dispatches");
}

/** Writes the partial results with the error that ended the run (set once --json is known). */
let recordFailure: ((message: string) => void) | null = null;

function intOption(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0)
    throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

interface Trainer {
  params: Params;
  state: AdamState;
  /** Runs one step; resolves with its stats [loss, grad_norm, applied] once read back (or null). */
  step(wait: boolean): Promise<Float32Array | null>;
  /** Waits for every step issued so far. */
  flush(): Promise<void>;
  dispose(): void;
}

/** A training loop on the current default device, from the given weights. */
function makeTrainer(jx: Jax, model: ModelConfig, host: HostParams): Trainer {
  const { numpy: np } = jx;
  const optim = OptimizerConfigSchema.parse({});
  const fns = makeStepFunctions(model, optim);
  const pb = referenceBatch(model, B, T);
  const weights = new Float32Array(B * T).fill(1 / (B * T));
  let t = 0;
  let last: JArray | null = null;
  const trainer: Trainer = {
    params: paramsToDevice(model, host),
    state: initAdamState(model),
    async step(wait) {
      t++;
      const [p, st, stats] = fns.supervised(
        trainer.params,
        trainer.state,
        np.array(pb.tokens, { dtype: np.int32 }).reshape([B, T]),
        np.array(pb.prevTokens, { dtype: np.int32 }).reshape([B, T]),
        np.array(pb.targets, { dtype: np.int32 }),
        np.array(weights),
        np.array(new Float32Array(adamScalars(LR, t, optim))),
      );
      trainer.params = p;
      trainer.state = st;
      last?.dispose();
      last = null;
      if (wait) return new Float32Array((await stats.data()) as Float32Array);
      last = stats;
      return null;
    },
    async flush() {
      if (last) {
        await last.data();
        last = null;
      }
    },
    dispose() {
      last?.dispose();
      jx.tree.dispose(trainer.params);
      jx.tree.dispose(trainer.state);
      fns.supervised.dispose();
      fns.policy.dispose();
      fns.logprobs.dispose();
    },
  };
  return trainer;
}

/** Installs Dawn as `navigator.gpu`; returns the GPU object (kept alive until the end). */
function installWebGpu(dawnOptions: string[], compat: boolean): GPU {
  Object.assign(globalThis, globals);
  countGpuCalls();
  const gpu = create(dawnOptions);
  // jax-js asks for an adapter with only a power preference; Dawn's OpenGL backends offer only
  // compatibility-mode adapters, so --compat adds the feature level to that request.
  const exposed: GPU = compat
    ? ({
        requestAdapter: (o?: GPURequestAdapterOptions) =>
          gpu.requestAdapter({ ...o, featureLevel: "compatibility" }),
        getPreferredCanvasFormat: () => gpu.getPreferredCanvasFormat(),
        wgslLanguageFeatures: gpu.wgslLanguageFeatures,
      } as GPU)
    : gpu;
  const g = globalThis as unknown as { navigator?: object };
  if (!g.navigator) Object.defineProperty(g, "navigator", { value: {}, configurable: true, writable: true });
  Object.defineProperty(g.navigator, "gpu", { value: exposed, configurable: true, writable: true });
  // jax-js's WebGPU module reads navigator.userAgent (a Firefox check); Node 20 has no navigator.
  const nav = g.navigator as { userAgent?: string };
  if (typeof nav.userAgent !== "string")
    Object.defineProperty(nav, "userAgent", { value: `Node.js/${process.version}`, configurable: true });
  return exposed;
}

async function describeAdapter(gpu: GPU, dawnOptions: string[]): Promise<Record<string, string>> {
  const adapter = await gpu.requestAdapter({ powerPreference: "high-performance" });
  if (!adapter)
    throw new NoAdapterError(
      `no WebGPU adapter: Dawn (options ${JSON.stringify(dawnOptions)}) found none; its warnings above say why (no Vulkan loader or driver, an adapter missing a required feature)`,
    );
  const info = adapter.info;
  return {
    vendor: info.vendor,
    architecture: info.architecture,
    device: info.device,
    description: info.description,
    features: [...adapter.features].sort().join(" "),
    maxStorageBuffersPerShaderStage: String(adapter.limits.maxStorageBuffersPerShaderStage),
    maxBufferSize: String(adapter.limits.maxBufferSize),
  };
}

function writeInit(dir: string, model: ModelConfig, host: HostParams, wasmStats: number[][]): void {
  mkdirSync(dir, { recursive: true });
  const specs = paramSpecs(model);
  const total = countParams(model);
  const flat = new Float32Array(total);
  let at = 0;
  for (const spec of specs) {
    const data = host.get(spec.name)!;
    flat.set(data, at);
    at += data.length;
  }
  const pb = referenceBatch(model, B, T);
  writeFileSync(join(dir, "params.bin"), Buffer.from(flat.buffer));
  const manifest = {
    model,
    params: total,
    order: specs.map((s) => ({ name: s.name, shape: s.shape, decay: s.decay })),
    batch: { B, T, tokens: Array.from(pb.tokens), targets: Array.from(pb.targets) },
    lr: LR,
    optimizer: OptimizerConfigSchema.parse({}),
    /** [loss, grad_norm, applied] of the first steps on jax-js's wasm backend (empty without --check). */
    wasmStats,
  };
  writeFileSync(join(dir, "batch.json"), `${JSON.stringify(manifest)}\n`);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      steps: { type: "string" },
      pipelined: { type: "string" },
      warmup: { type: "string" },
      dawn: { type: "string", multiple: true },
      compat: { type: "boolean" },
      check: { type: "string" },
      "write-init": { type: "string" },
      "init-only": { type: "boolean" },
      json: { type: "string" },
    },
    strict: true,
  });
  const steps = Math.max(1, intOption("steps", values.steps, 20));
  const pipelined = (values.pipelined ?? "50")
    .split(",")
    .map((x) => intOption("pipelined", x.trim(), 50))
    .filter((n) => n > 0);
  const warmup = Math.max(1, intOption("warmup", values.warmup, 3));
  const checkSteps = intOption("check", values.check, 2);
  const dawnOptions = values.dawn ?? [];

  const model = ModelConfigSchema.parse(REFERENCE_MODEL);
  const P = countParams(model);
  const flops = 6 * P * B * T;
  const host = initHostParams(model, SEED);
  const result: Record<string, unknown> = {
    name: "jax-js webgpu training step",
    date: new Date().toISOString(),
    node: process.version,
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    dawnOptions,
    compat: values.compat === true,
    model: REFERENCE_MODEL,
    params: P,
    batch: [B, T],
    flopsPerStep: flops,
  };
  const save = () => {
    if (values.json) writeFileSync(values.json, `${JSON.stringify(result, null, 2)}\n`);
  };
  recordFailure = (message) => {
    result.error = message;
    save();
  };
  console.log(
    `reference model: ${P.toLocaleString("en-US")} parameters; step ${B}×${T} = ${(flops / 1e9).toFixed(2)} GFLOP`,
  );

  // jax-js starts on wasm (engine.ts); its WebGPU backend is added below and made the default.
  const gpu = installWebGpu(dawnOptions, values.compat === true);
  const jx = await initEngine({ threads: availableParallelism() });

  // Reference losses and weights on the wasm backend, from the same weights and batch.
  const wasmStats: number[][] = [];
  let wasmAfter: HostParams | null = null;
  if (checkSteps > 0) {
    const cpu = makeTrainer(jx, model, host);
    for (let i = 0; i < checkSteps; i++) wasmStats.push(Array.from((await cpu.step(true))!));
    wasmAfter = await paramsToHost(model, cpu.params);
    cpu.dispose();
    console.log(`wasm reference: loss per step ${wasmStats.map((s) => s[0].toFixed(6)).join(", ")}`);
  }
  if (values["write-init"]) {
    writeInit(values["write-init"], model, host, wasmStats);
    console.log(`wrote initial weights and batch to ${values["write-init"]}`);
  }
  if (values["init-only"]) {
    if (!values["write-init"]) throw new Error("--init-only needs --write-init DIR");
    return 0;
  }

  result.adapter = await describeAdapter(gpu, dawnOptions);
  console.log(`adapter: ${JSON.stringify(result.adapter)}`);
  save();
  const available = await jx.init("webgpu");
  if (!available.includes("webgpu"))
    throw new NoAdapterError(
      "jax-js could not start its WebGPU backend on this adapter (see the messages above)",
    );
  jx.defaultDevice("webgpu");

  // The first WebGPU step traces and compiles every WGSL pipeline; it is timed on its own. With
  // --check it belongs to a separate run of checkSteps steps from the same start as wasm's.
  const firstStepMs: number[] = [];
  if (checkSteps > 0 && wasmAfter) {
    const probe = makeTrainer(jx, model, host);
    const gpuStats: number[][] = [];
    for (let i = 0; i < checkSteps; i++) {
      const t0 = performance.now();
      gpuStats.push(Array.from((await probe.step(true))!));
      firstStepMs.push(performance.now() - t0);
    }
    const gpuAfter = await paramsToHost(model, probe.params);
    probe.dispose();
    let maxAbs = 0;
    for (const [name, ref] of wasmAfter) {
      const got = gpuAfter.get(name)!;
      for (let i = 0; i < ref.length; i++) maxAbs = Math.max(maxAbs, Math.abs(got[i] - ref[i]));
    }
    // Loss checks the forward pass, the gradient norm the backward pass (AdamW's first steps
    // move every weight by about ±lr whatever the gradient, so weights alone would show little).
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(a), 1e-12);
    const lossDiff = Math.max(...wasmStats.map((s, i) => rel(s[0], gpuStats[i][0])));
    const normDiff = Math.max(...wasmStats.map((s, i) => rel(s[1], gpuStats[i][1])));
    const ok = lossDiff < 1e-4 && normDiff < 1e-4;
    result.check = {
      steps: checkSteps,
      wasm: wasmStats.map(([loss, gradNorm]) => ({ loss, gradNorm })),
      webgpu: gpuStats.map(([loss, gradNorm]) => ({ loss, gradNorm })),
      maxRelLossDiff: lossDiff,
      maxRelGradNormDiff: normDiff,
      maxAbsWeightDiff: maxAbs,
      ok,
    };
    console.log(
      `check against wasm (${checkSteps} steps): relative difference of loss ${lossDiff.toExponential(2)}, of gradient norm ${normDiff.toExponential(2)}; weights differ by at most ${maxAbs.toExponential(2)} → ${ok ? "match" : "MISMATCH"}`,
    );
    save();
  }

  const gpuTrainer = makeTrainer(jx, model, host);
  const warmMs: number[] = [];
  for (let i = 0; i < warmup; i++) {
    const t0 = performance.now();
    await gpuTrainer.step(true);
    warmMs.push(performance.now() - t0);
  }
  result.firstStepsMs = firstStepMs;
  result.warmupMs = warmMs;
  console.log(
    `first steps (ms; the first compiles): ${[...firstStepMs, ...warmMs].map((x) => x.toFixed(1)).join(", ")}`,
  );

  const perStep: number[] = [];
  const cpu0 = process.cpuUsage();
  const main0 = mainThreadCpu();
  const calls0 = { ...gpuCalls };
  for (let i = 0; i < steps; i++) {
    const t0 = performance.now();
    await gpuTrainer.step(true);
    perStep.push(performance.now() - t0);
  }
  const cpu = process.cpuUsage(cpu0);
  const stepMs = median(perStep);
  result.perStep = {
    n: steps,
    medianMs: stepMs,
    minMs: Math.min(...perStep),
    meanMs: perStep.reduce((a, b) => a + b, 0) / steps,
    gflops: flops / (stepMs / 1000) / 1e9,
    cpuMsAllThreads: (cpu.user + cpu.system) / 1000 / steps,
    cpuMsMainThread: ((mainThreadCpu() - main0) * 1000) / steps,
    queueSubmits: gpuCalls.counting ? (gpuCalls.submits - calls0.submits) / steps : null,
    computeDispatches: gpuCalls.counting ? (gpuCalls.dispatches - calls0.dispatches) / steps : null,
  };
  const ps = result.perStep as Record<string, number | null>;
  console.log(
    `per step (awaited, median of ${steps}): ${stepMs.toFixed(2)} ms → ${(flops / (stepMs / 1000) / 1e9).toFixed(1)} GFLOP/s; CPU ${ps.cpuMsAllThreads?.toFixed(1)} ms (main thread ${ps.cpuMsMainThread?.toFixed(1)} ms); ${ps.queueSubmits ?? "?"} queue submits, ${ps.computeDispatches ?? "?"} compute dispatches per step`,
  );
  save();

  const runs: Record<string, number>[] = [];
  for (const n of pipelined) {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await gpuTrainer.step(false);
    await gpuTrainer.flush();
    const ms = (performance.now() - t0) / n;
    runs.push({ n, msPerStep: ms, gflops: flops / (ms / 1000) / 1e9 });
    console.log(
      `pipelined (${n} steps, one wait): ${ms.toFixed(2)} ms/step → ${(flops / (ms / 1000) / 1e9).toFixed(1)} GFLOP/s`,
    );
    result.pipelined = runs;
    save();
  }
  const final = await gpuTrainer.step(true);
  result.finalLoss = final?.[0];
  gpuTrainer.dispose();
  save();
  jx.getWebGPUDevice().destroy();
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    const message = err instanceof Error ? err.message : String(err);
    console.error(`webgpu-step: ${message}`);
    recordFailure?.(message);
    if (!(err instanceof NoAdapterError) && err instanceof Error && err.stack) console.error(err.stack);
    process.exit(err instanceof NoAdapterError ? 3 : 1);
  },
);

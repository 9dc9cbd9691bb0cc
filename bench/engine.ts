import { availableParallelism, cpus, loadavg } from "node:os";
import { pathToFileURL } from "node:url";
import { type ModelConfig, ModelConfigSchema } from "../src/config/model.js";
import { engineInfo, initEngine, type Jax } from "../src/model/engine.js";
import { countParams } from "../src/model/params.js";
import { Sampler } from "../src/model/sampler.js";
import {
  benchPrompts,
  mainThreadCpu,
  REFERENCE_MODEL,
  referenceTrainStep,
  runToCapParams,
} from "./support/reference.js";

export interface BenchFigure {
  name: string;
  value: number;
  unit: string;
  /** Target the figure should reach (>=, or <= with atMost), when there is one. */
  target?: number;
  /** The target is an upper bound (latency, memory, errors). */
  atMost?: boolean;
  /** What the figure was before this work, for comparison. */
  baseline?: number;
}

export interface BenchReport {
  name: string;
  conditions: Record<string, string | number>;
  figures: BenchFigure[];
  notes: string[];
}

const quick = process.env.RLEV_BENCH_QUICK === "1";
const only = process.env.RLEV_BENCH_ONLY;

export { REFERENCE_MODEL };

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall and process-CPU seconds of one run (medians over repetitions). */
interface Timing {
  wall: number;
  cpu: number;
  /**
   * CPU seconds of the main thread alone (mean; Linux only, else NaN). The main thread dispatches
   * every kernel and computes one chunk of each, so on an idle machine the wall time is about this.
   */
  mainCpu: number;
}

async function timeIt(reps: number, body: (i: number) => Promise<void>): Promise<Timing> {
  const walls: number[] = [];
  const cpus_: number[] = [];
  let main0 = 0;
  for (let i = 0; i < reps + 1; i++) {
    // The first repetition compiles (jit tracing); it is not timed.
    if (i === 1) main0 = mainThreadCpu();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await body(i);
    const c = process.cpuUsage(c0);
    if (i > 0) {
      walls.push((performance.now() - t0) / 1000);
      cpus_.push((c.user + c.system) / 1e6);
    }
  }
  return { wall: median(walls), cpu: median(cpus_), mainCpu: (mainThreadCpu() - main0) / reps };
}

/** GFLOP/s of a jitted n×n matmul, per wall second and per CPU second. */
export async function matmulRate(
  jx: Jax,
  n: number,
  reps: number,
): Promise<{ wall: number; cpu: number; mainCpu: number }> {
  const { numpy: np, random, jit } = jx;
  const a = random.normal(random.key(1), [n, n]);
  const b = random.normal(random.key(2), [n, n]);
  const mm = jit((x: ReturnType<typeof np.zeros>, y: ReturnType<typeof np.zeros>) => np.matmul(x, y));
  const t = await timeIt(reps, async () => {
    const c = mm(a.ref, b.ref);
    await c.blockUntilReady();
    c.dispose();
  });
  a.dispose();
  b.dispose();
  mm.dispose();
  return { wall: (2 * n ** 3) / t.wall / 1e9, cpu: (2 * n ** 3) / t.cpu / 1e9, mainCpu: t.mainCpu };
}

/** Seconds (wall, CPU) of one fused training step (forward, backward, AdamW) on a B×T batch. */
async function trainStepSeconds(model: ModelConfig, B: number, T: number, reps: number): Promise<Timing> {
  const train = referenceTrainStep(model, B, T);
  const t = await timeIt(reps, (i) => train.step(i + 1));
  train.dispose();
  return t;
}

/**
 * Tokens per second generating `newTokens` for each of `rows` prompts of `promptLen` tokens. The
 * model's EOS logit is pushed far down so every row generates exactly `newTokens` tokens.
 */
async function samplingRate(
  jx: Jax,
  model: ModelConfig,
  rows: number,
  promptLen: number,
  newTokens: number,
  reps: number,
): Promise<{
  tokensPerSecond: number;
  tokensPerCpuSecond: number;
  tokensPerMainCpuSecond: number;
  prefillSeconds: number;
}> {
  const params = runToCapParams(model);
  const sampler = new Sampler(model);
  const prompts = benchPrompts(rows, promptLen, model.vocabSize);
  const opts = { maxNewTokens: newTokens, temperature: 1, topP: 1, seed: 1 };
  const t = await timeIt(reps, async (i) => {
    const out = await sampler.sample(params, prompts, { ...opts, seed: i });
    const generated = out.tokens.reduce((n, t) => n + t.length, 0);
    if (generated !== rows * newTokens)
      throw new Error(`expected ${rows * newTokens} tokens, got ${generated}`);
  });
  // Prefill alone: a one-token generation is one prefill pass plus host sampling.
  const pre = await timeIt(reps, async () => {
    await sampler.sample(params, prompts, { ...opts, maxNewTokens: 1 });
  });
  sampler.dispose();
  jx.tree.dispose(params);
  const tokens = rows * newTokens;
  return {
    tokensPerSecond: tokens / t.wall,
    tokensPerCpuSecond: tokens / t.cpu,
    tokensPerMainCpuSecond: tokens / t.mainCpu,
    prefillSeconds: pre.wall,
  };
}

export async function benchEngine(): Promise<BenchReport> {
  if (only !== undefined && only !== "sampling" && only !== "train")
    throw new Error(`RLEV_BENCH_ONLY: unknown value "${only}" (known: sampling, train)`);
  // Engine settings for A/B runs (defaults: the engine's own).
  const envNumber = (name: string) => {
    const raw = process.env[name];
    if (raw === undefined) return undefined;
    const value = Number(raw);
    if (raw.trim() === "" || !Number.isFinite(value) || value < 0)
      throw new Error(`${name} must be a number >= 0, got "${raw}"`);
    return value;
  };
  const threads = envNumber("RLEV_THREADS") ?? availableParallelism();
  const jx = await initEngine({
    threads,
    spinPolls: envNumber("RLEV_SPIN_POLLS"),
    inlineBelowMicros: envNumber("RLEV_INLINE_BELOW_US"),
  });
  const reps = quick ? 2 : 4;
  const load0 = loadavg()[0];
  const t0 = performance.now();
  const figures: BenchFigure[] = [];
  const notes: string[] = [];

  if (only === "sampling") {
    const ref = ModelConfigSchema.parse(REFERENCE_MODEL);
    const samp = await samplingRate(jx, ref, 64, 16, 64, reps);
    figures.push(
      {
        name: "sampling 64 prompts × 64 new tokens, per wall second",
        value: samp.tokensPerSecond,
        unit: "tokens/s",
        target: 6000,
      },
      {
        name: "sampling 64 prompts × 64 new tokens, per CPU second",
        value: samp.tokensPerCpuSecond,
        unit: "tokens/cpu-s",
      },
      {
        name: "sampling, per main-thread CPU second (≈ idle wall rate)",
        value: samp.tokensPerMainCpuSecond,
        unit: "tokens/s",
        target: 6000,
      },
    );
    const demo = ModelConfigSchema.parse({ vocabSize: 17, nLayers: 2 });
    const demoSamp = await samplingRate(jx, demo, 128, 12, 20, reps);
    figures.push(
      {
        name: "demo model: sampling 128 × 20 tokens, per wall second",
        value: demoSamp.tokensPerSecond,
        unit: "tokens/s",
      },
      {
        name: "demo model: sampling 128 × 20 tokens, per CPU second",
        value: demoSamp.tokensPerCpuSecond,
        unit: "tokens/cpu-s",
      },
      {
        name: "demo model: sampling, per main-thread CPU second",
        value: demoSamp.tokensPerMainCpuSecond,
        unit: "tokens/s",
      },
    );
    return { name: "engine (sampling only)", conditions: runConditions(threads, load0, t0), figures, notes };
  }

  // Matmul before and after the step, averaged, so a change of load in between biases neither.
  const mmBefore = await matmulRate(jx, 1024, reps);
  const ref = ModelConfigSchema.parse(REFERENCE_MODEL);
  const P = countParams(ref);
  const B = 32;
  const T = 96;
  const flops = 6 * P * B * T;
  const step = await trainStepSeconds(ref, B, T, reps);
  const mmAfter = await matmulRate(jx, 1024, reps);
  const mm = { wall: (mmBefore.wall + mmAfter.wall) / 2, cpu: (mmBefore.cpu + mmAfter.cpu) / 2 };
  const mmMainCpu = (mmBefore.mainCpu + mmAfter.mainCpu) / 2;
  const stepRate = { wall: flops / step.wall / 1e9, cpu: flops / step.cpu / 1e9 };
  figures.push({ name: "matmul 1024² (jit), per wall second", value: mm.wall, unit: "GFLOP/s" });
  figures.push({ name: "matmul 1024² (jit), per CPU second", value: mm.cpu, unit: "GFLOP/cpu-s" });
  figures.push({
    name: "matmul 1024² (jit), per main-thread CPU second (≈ idle wall rate)",
    value: (2 * 1024 ** 3) / mmMainCpu / 1e9,
    unit: "GFLOP/s",
  });
  figures.push({
    name: "train step 32×96 (fwd+bwd+AdamW), wall time",
    value: step.wall * 1000,
    unit: "ms",
    baseline: 1220,
  });
  figures.push({ name: "train step, CPU time (all threads)", value: step.cpu * 1000, unit: "cpu-ms" });
  figures.push({
    name: "train step, 6·params·tokens per wall second",
    value: stepRate.wall,
    unit: "GFLOP/s",
    target: 20,
    baseline: 12.4,
  });
  figures.push({
    name: "train step, 6·params·tokens per CPU second",
    value: stepRate.cpu,
    unit: "GFLOP/cpu-s",
  });
  figures.push({
    name: "train step / matmul rate (wall)",
    value: (100 * stepRate.wall) / mm.wall,
    unit: "%",
    target: 75,
  });
  figures.push({
    name: "train step / matmul rate (CPU time: load-independent)",
    value: (100 * stepRate.cpu) / mm.cpu,
    unit: "%",
    target: 75,
  });
  figures.push({
    name: "parallelism during the step (CPU time / wall time)",
    value: step.cpu / step.wall,
    unit: "×",
  });
  figures.push({
    name: "train step, main-thread CPU time (≈ wall time when idle)",
    value: step.mainCpu * 1000,
    unit: "cpu-ms",
  });
  figures.push({
    name: "train step, 6·params·tokens per main-thread CPU second (≈ idle wall rate)",
    value: flops / step.mainCpu / 1e9,
    unit: "GFLOP/s",
    target: 20,
  });
  figures.push({
    name: "train step / matmul rate, both per main-thread CPU second",
    value: (100 * (flops / step.mainCpu)) / ((2 * 1024 ** 3) / mmMainCpu),
    unit: "%",
    target: 75,
  });
  if (only === "train")
    return {
      name: "engine (train step only)",
      conditions: runConditions(threads, load0, t0),
      figures,
      notes,
    };

  const samp = await samplingRate(jx, ref, 64, 16, 64, reps);
  figures.push({
    name: "sampling 64 prompts × 64 new tokens (KV cache), per wall second",
    value: samp.tokensPerSecond,
    unit: "tokens/s",
    target: 6000,
    baseline: 1733,
  });
  figures.push({ name: "sampling, per CPU second", value: samp.tokensPerCpuSecond, unit: "tokens/cpu-s" });
  figures.push({
    name: "sampling, per main-thread CPU second (≈ idle wall rate)",
    value: samp.tokensPerMainCpuSecond,
    unit: "tokens/s",
    target: 6000,
  });
  figures.push({ name: "prefill of 64 prompts × 16 tokens", value: samp.prefillSeconds * 1000, unit: "ms" });

  // Scaling: context and width doubled (one point each beside the reference).
  const ctx2 = ModelConfigSchema.parse({ ...REFERENCE_MODEL, contextLength: 192 });
  const ctxStep = await trainStepSeconds(ctx2, B, 192, reps);
  figures.push({
    name: "scaling: train step, context 96 → 192 (32×192), CPU time",
    value: ctxStep.cpu * 1000,
    unit: "cpu-ms",
  });
  figures.push({
    name: "scaling: step CPU time ratio, context ×2 (tokens ×2)",
    value: ctxStep.cpu / step.cpu,
    unit: "×",
  });
  const ctxSamp = await samplingRate(jx, ctx2, 64, 80, 64, reps);
  figures.push({
    name: "scaling: sampling 64 × 64 after 80-token prompts (cache 144)",
    value: ctxSamp.tokensPerCpuSecond,
    unit: "tokens/cpu-s",
  });

  const wide = ModelConfigSchema.parse({ ...REFERENCE_MODEL, dModel: 256, dMlp: 1024 });
  const wideStep = await trainStepSeconds(wide, B, T, reps);
  figures.push({
    name: "scaling: train step, width 128 → 256 (32×96), CPU time",
    value: wideStep.cpu * 1000,
    unit: "cpu-ms",
  });
  figures.push({
    name: "scaling: step CPU time ratio, width ×2 (params ×3.9)",
    value: wideStep.cpu / step.cpu,
    unit: "×",
  });
  figures.push({
    name: "scaling: width 256, 6·params·tokens per CPU second",
    value: (6 * countParams(wide) * B * T) / wideStep.cpu / 1e9,
    unit: "GFLOP/cpu-s",
  });
  const wideSamp = await samplingRate(jx, wide, 64, 16, 64, reps);
  figures.push({
    name: "scaling: sampling, width 256",
    value: wideSamp.tokensPerCpuSecond,
    unit: "tokens/cpu-s",
  });

  // The demo's size (2 layers, token shift) at the RL step's shape.
  const demo = ModelConfigSchema.parse({ vocabSize: 17, nLayers: 2 });
  const demoStep = await trainStepSeconds(demo, 128, 32, reps);
  figures.push({
    name: "demo model (2 layers, shift): step 128×32, wall",
    value: demoStep.wall * 1000,
    unit: "ms",
  });
  figures.push({ name: "demo model: step 128×32, CPU time", value: demoStep.cpu * 1000, unit: "cpu-ms" });
  const demoSamp = await samplingRate(jx, demo, 128, 12, 20, reps);
  figures.push({
    name: "demo model: sampling 128 × 20 tokens, per wall second",
    value: demoSamp.tokensPerSecond,
    unit: "tokens/s",
  });
  figures.push({
    name: "demo model: sampling, per CPU second",
    value: demoSamp.tokensPerCpuSecond,
    unit: "tokens/cpu-s",
  });

  notes.push(
    "CPU-time figures count the work of all threads and hardly depend on how busy the machine is. The main thread dispatches every kernel and computes one chunk of each (the worker thread the other), so on an idle machine the wall time is about the main thread's CPU time; on a shared machine wall figures are whatever share of the cores the run got.",
    `reference model: ${P.toLocaleString("en-US")} parameters (vocab 64, d_model 128, 4 layers, 4 heads, MLP 512, context 96, learned positions)`,
  );
  return { name: "engine", conditions: runConditions(threads, load0, t0), figures, notes };
}

function runConditions(threads: number, load0: number, t0: number): Record<string, string | number> {
  const info = engineInfo();
  return {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    threads: info?.threads ?? threads,
    workerThreads: info?.workerThreads ?? 0,
    node: process.version,
    "load average at start": Number(load0.toFixed(2)),
    "load average at end": Number(loadavg()[0].toFixed(2)),
    seconds: Number(((performance.now() - t0) / 1000).toFixed(1)),
  };
}

export function formatReport(r: BenchReport): string {
  const lines = [`## ${r.name}`, ""];
  for (const [k, v] of Object.entries(r.conditions)) lines.push(`- ${k}: ${v}`);
  lines.push("", "| figure | value | target | baseline |", "|---|---|---|---|");
  for (const f of r.figures) {
    const v = f.value >= 100 ? f.value.toFixed(0) : f.value.toFixed(2);
    const met = f.atMost ? f.value <= (f.target ?? 0) : f.value >= (f.target ?? 0);
    const target = f.target === undefined ? "" : `${f.atMost ? "≤" : "≥"} ${f.target} ${met ? "✓" : "✗"}`;
    lines.push(`| ${f.name} | ${v} ${f.unit} | ${target} | ${f.baseline ?? ""} |`);
  }
  for (const n of r.notes) lines.push("", n);
  return lines.join("\n");
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const report = await benchEngine();
    console.log(formatReport(report));
    console.log(`BENCH_RESULT ${JSON.stringify(report)}`);
  } catch (err) {
    console.error(`bench/engine.ts: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

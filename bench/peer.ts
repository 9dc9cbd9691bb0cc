/**
 * The engine against its PyTorch CPU peer (issue 17): the reference model's training step (32 × 96,
 * forward + backward + AdamW) and KV-cache sampling (64 prompts × 16 tokens, 64 new tokens each),
 * with 1 and 2 threads, engine and PyTorch measured one after the other for each thread count.
 *
 *   npm run bench -- peer          (or: node --import tsx bench/peer.ts)
 *
 * The engine side runs in a child process per thread count (the engine's thread pool is fixed per
 * process); the PyTorch side is bench/support/torch_peer.py, started from the engine's initial
 * weights, batch and prompts (written here as params.bin and batch.json, the layout of
 * bench/gpu/webgpu-step.ts --write-init). Before any ratio is reported, the first training steps'
 * losses and gradient norms of both must agree within PEER_TOLERANCE, else the run fails.
 * Without python3 or torch it prints one line saying so and reports no figures (exit 0).
 *
 * RLEV_BENCH_QUICK=1 takes fewer repetitions; RLEV_PEER_THREADS=1,2 picks the thread counts.
 */
import { spawn, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { ModelConfigSchema, OptimizerConfigSchema } from "../src/config/model.js";
import { engineInfo, initEngine } from "../src/model/engine.js";
import { countParams, initHostParams, paramSpecs } from "../src/model/params.js";
import { Sampler } from "../src/model/sampler.js";
import { type BenchFigure, type BenchReport, matmulRate } from "./engine.js";
import {
  benchPrompts,
  REFERENCE_MODEL,
  referenceBatch,
  referenceTrainStep,
  runToCapParams,
} from "./support/reference.js";

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, "..");
const quick = process.env.RLEV_BENCH_QUICK === "1";
const B = 32;
const T = 96;
const ROWS = 64;
const PROMPT = 16;
const NEW_TOKENS = 64;
const CHECK_STEPS = 2;
/**
 * Largest relative difference allowed between the engine's and PyTorch's loss and gradient norm
 * over the first CHECK_STEPS steps. Both compute in float32 with different summation orders, which
 * moves these by ~1e-6 relative; a wrong mask, activation, layer-norm epsilon or optimizer constant
 * moves them by 1e-3 or more.
 */
export const PEER_TOLERANCE = 1e-4;
export const PEER_SKIP =
  "peer: skipped, no python3 with torch (on Debian: apt-get install python3-torch libopenblas0-pthread; or set RLEV_PEER_PYTHON)";

interface EngineSide {
  threads: number;
  first: { loss: number; gradNorm: number }[];
  stepSeconds: number;
  sampleSeconds: number;
  /** Whether the engine's matmuls used fused multiply-add (EngineOptions.fusedMultiplyAdd). */
  fusedMultiplyAdd: boolean;
  /** The engine's 1024² matmul, GFLOP per wall second (its ceiling for the step's matmuls). */
  matmul1024Gflops: number;
}

interface TorchSide {
  torch: string;
  threads: number;
  blas: string;
  ompWaitPolicy: string;
  matmul1024Gflops: number;
  first: { loss: number; gradNorm: number }[];
  stepSeconds: number;
  sampleSeconds: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/**
 * The first Python that imports torch: RLEV_PEER_PYTHON, else `python3` on PATH, else /usr/bin/python3
 * (Debian's python3-torch installs for the system Python, which a pyenv or venv on PATH may hide).
 */
export function torchPython(): string | null {
  const candidates = process.env.RLEV_PEER_PYTHON
    ? [process.env.RLEV_PEER_PYTHON]
    : ["python3", "/usr/bin/python3"];
  for (const py of candidates)
    if (spawnSync(py, ["-c", "import torch"], { stdio: "ignore" }).status === 0) return py;
  return null;
}

/**
 * Writes params.bin (the engine's seed-1 weights, flat in paramSpecs order) and batch.json (model,
 * order, batch, optimizer, the engine's first-step stats, the sampling prompts) for torch_peer.py.
 */
export function writePeerInit(
  dir: string,
  model = ModelConfigSchema.parse(REFERENCE_MODEL),
  batch = { B, T },
  engineStats: { loss: number; gradNorm: number }[] = [],
  sampling = { rows: ROWS, promptLength: PROMPT, newTokens: NEW_TOKENS },
): void {
  const host = initHostParams(model, 1);
  const specs = paramSpecs(model);
  const flat = new Float32Array(countParams(model));
  let at = 0;
  for (const spec of specs) {
    const data = host.get(spec.name)!;
    flat.set(data, at);
    at += data.length;
  }
  const pb = referenceBatch(model, batch.B, batch.T);
  writeFileSync(join(dir, "params.bin"), Buffer.from(flat.buffer));
  const manifest = {
    model,
    params: flat.length,
    order: specs.map((s) => ({ name: s.name, shape: s.shape, decay: s.decay })),
    batch: { B: batch.B, T: batch.T, tokens: Array.from(pb.tokens), targets: Array.from(pb.targets) },
    lr: 1e-4,
    optimizer: OptimizerConfigSchema.parse({}),
    engineStats,
    sampling: {
      prompts: benchPrompts(sampling.rows, sampling.promptLength, model.vocabSize),
      newTokens: sampling.newTokens,
    },
  };
  writeFileSync(join(dir, "batch.json"), `${JSON.stringify(manifest)}\n`);
}

/** Largest relative difference of loss and gradient norm over the steps both sides ran. */
export function firstStepsDifference(
  a: { loss: number; gradNorm: number }[],
  b: { loss: number; gradNorm: number }[],
): number {
  const n = Math.min(a.length, b.length);
  if (n === 0) throw new Error("no first steps to compare");
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (const k of ["loss", "gradNorm"] as const)
      worst = Math.max(worst, Math.abs(a[i][k] - b[i][k]) / Math.abs(a[i][k]));
  return worst;
}

/** The engine child: first steps (checked), timed steps, timed sampling; prints PEER_ENGINE <json>. */
async function engineChild(threads: number): Promise<void> {
  // RLEV_PEER_FMA=0 times the engine without fused multiply-add (its arithmetic before the option).
  const jx = await initEngine({ threads, fusedMultiplyAdd: process.env.RLEV_PEER_FMA !== "0" });
  const model = ModelConfigSchema.parse(REFERENCE_MODEL);
  const reps = quick ? 2 : 4;
  const train = referenceTrainStep(model, B, T);
  const first: EngineSide["first"] = [];
  let t = 0;
  // The first step compiles; the first CHECK_STEPS steps are also the ones compared with PyTorch.
  for (; t < CHECK_STEPS; ) {
    const s = await train.stepStats(++t);
    first.push({ loss: s[0], gradNorm: s[1] });
  }
  const stepTimes: number[] = [];
  for (let i = 0; i < reps; i++) {
    const t0 = performance.now();
    await train.step(++t);
    stepTimes.push((performance.now() - t0) / 1000);
  }
  train.dispose();

  const params = runToCapParams(model);
  const sampler = new Sampler(model);
  const prompts = benchPrompts(ROWS, PROMPT, model.vocabSize);
  const sampleTimes: number[] = [];
  for (let i = 0; i <= (quick ? 2 : 3); i++) {
    const t0 = performance.now();
    const out = await sampler.sample(params, prompts, {
      maxNewTokens: NEW_TOKENS,
      temperature: 1,
      topP: 1,
      seed: i + 1,
    });
    const generated = out.tokens.reduce((n, x) => n + x.length, 0);
    if (generated !== ROWS * NEW_TOKENS)
      throw new Error(`expected ${ROWS * NEW_TOKENS} tokens, got ${generated}`);
    if (i > 0) sampleTimes.push((performance.now() - t0) / 1000); // the first compiles
  }
  sampler.dispose();
  jx.tree.dispose(params);
  const side: EngineSide = {
    threads,
    first,
    stepSeconds: median(stepTimes),
    sampleSeconds: median(sampleTimes),
    fusedMultiplyAdd: engineInfo()?.fusedMultiplyAdd ?? false,
    matmul1024Gflops: (await matmulRate(jx, 1024, quick ? 2 : 3)).wall,
  };
  console.log(`PEER_ENGINE ${JSON.stringify(side)}`);
}

function runChild(cmd: string, args: string[], env: NodeJS.ProcessEnv, tag: string): Promise<unknown> {
  return new Promise((done, fail) => {
    const child = spawn(cmd, args, { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("close", (code) => {
      const line = out.split("\n").find((l) => l.startsWith(`${tag} `));
      if (code !== 0 || !line)
        return fail(
          new Error(
            `${cmd} ${args.join(" ")} exited ${code}: ${out.trim().split("\n").slice(-3).join(" | ")}`,
          ),
        );
      done(JSON.parse(line.slice(tag.length + 1)));
    });
  });
}

export function runTorchPeer(
  python: string,
  initDir: string,
  threads: number,
  extra: string[] = [],
): Promise<TorchSide> {
  return runChild(
    python,
    [join(here, "support", "torch_peer.py"), "--init", initDir, "--threads", String(threads), ...extra],
    process.env,
    "PEER_RESULT",
  ) as Promise<TorchSide>;
}

async function benchPeer(): Promise<BenchReport> {
  const model = ModelConfigSchema.parse(REFERENCE_MODEL);
  const conditions: Record<string, string | number> = {
    cpu: cpus()[0]?.model ?? "unknown",
    cores: availableParallelism(),
    node: process.version,
    "load average at start": Number(loadavg()[0].toFixed(2)),
  };
  const python = torchPython();
  if (!python) {
    return { name: "peer (PyTorch CPU)", conditions, figures: [], notes: [PEER_SKIP] };
  }
  const threadCounts = (process.env.RLEV_PEER_THREADS ?? "1,2").split(",").map((x) => {
    const n = Number(x);
    if (!Number.isInteger(n) || n < 1) throw new Error(`RLEV_PEER_THREADS: expected e.g. 1,2, got "${x}"`);
    return n;
  });
  const dir = mkdtempSync(join(tmpdir(), "rlev-peer-"));
  const figures: BenchFigure[] = [];
  const notes: string[] = [];
  const t0 = performance.now();
  try {
    let firstEngine: EngineSide["first"] | null = null;
    for (const threads of threadCounts) {
      const engine = (await runChild(
        process.execPath,
        ["--import", "tsx", join(here, "peer.ts"), "--engine-child", String(threads)],
        process.env,
        "PEER_ENGINE",
      )) as EngineSide;
      if (!firstEngine) {
        firstEngine = engine.first;
        writePeerInit(dir, model, { B, T }, firstEngine);
      }
      const torch = await runTorchPeer(
        python,
        dir,
        threads,
        quick ? ["--steps", "2", "--sample-reps", "2"] : [],
      );
      const diff = firstStepsDifference(engine.first, torch.first);
      console.log(
        `${threads} thread(s): first ${CHECK_STEPS} steps, engine loss ${engine.first.map((s) => s.loss.toFixed(6)).join(", ")}, PyTorch ${torch.first.map((s) => s.loss.toFixed(6)).join(", ")}; max relative difference (loss, grad norm) ${diff.toExponential(2)}`,
      );
      if (!(diff <= PEER_TOLERANCE))
        throw new Error(
          `first losses disagree with ${threads} thread(s): relative difference ${diff.toExponential(2)} > ${PEER_TOLERANCE}`,
        );
      conditions["engine fused multiply-add"] = engine.fusedMultiplyAdd ? "on" : "off";
      conditions.torch = `${torch.torch} (${python})`;
      conditions["torch OMP_WAIT_POLICY"] = torch.ompWaitPolicy;
      conditions["torch BLAS"] = torch.blas;
      conditions[`torch matmul 1024², ${threads} thread(s)`] = `${torch.matmul1024Gflops.toFixed(1)} GFLOP/s`;
      conditions[`engine matmul 1024², ${threads} thread(s)`] =
        `${engine.matmul1024Gflops.toFixed(1)} GFLOP/s`;
      const tokens = ROWS * NEW_TOKENS;
      const flops = 6 * countParams(model) * B * T;
      figures.push(
        {
          name: `${threads} thread(s): first ${CHECK_STEPS} steps, max relative difference of loss and grad norm`,
          value: diff,
          unit: "",
          target: PEER_TOLERANCE,
          atMost: true,
        },
        {
          name: `${threads} thread(s): engine train step 32×96`,
          value: engine.stepSeconds * 1000,
          unit: "ms",
        },
        {
          name: `${threads} thread(s): PyTorch train step 32×96`,
          value: torch.stepSeconds * 1000,
          unit: "ms",
        },
        {
          name: `${threads} thread(s): train step, engine rate / PyTorch rate`,
          value: torch.stepSeconds / engine.stepSeconds,
          unit: "×",
          target: 0.8,
        },
        {
          name: `${threads} thread(s): engine sampling 64 × 64 (KV cache)`,
          value: tokens / engine.sampleSeconds,
          unit: "tokens/s",
        },
        {
          name: `${threads} thread(s): PyTorch sampling 64 × 64 (KV cache)`,
          value: tokens / torch.sampleSeconds,
          unit: "tokens/s",
        },
        {
          name: `${threads} thread(s): sampling, engine rate / PyTorch rate`,
          value: torch.sampleSeconds / engine.sampleSeconds,
          unit: "×",
          target: 1,
        },
      );
      figures.push({
        name: `${threads} thread(s): matmul 1024², engine rate / PyTorch rate`,
        value: engine.matmul1024Gflops / torch.matmul1024Gflops,
        unit: "×",
      });
      notes.push(
        `${threads} thread(s): engine ${(flops / engine.stepSeconds / 1e9).toFixed(1)}, PyTorch ${(flops / torch.stepSeconds / 1e9).toFixed(1)} GFLOP/s (6·params·tokens per wall second).`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  conditions["load average at end"] = Number(loadavg()[0].toFixed(2));
  conditions.seconds = Number(((performance.now() - t0) / 1000).toFixed(1));
  notes.push(
    `Wall-clock medians. Engine and PyTorch run one after the other for each thread count (engine: ${quick ? 2 : 4} timed steps after ${CHECK_STEPS} checked ones, ${quick ? 2 : 3} sampling runs after one that compiles; PyTorch likewise), so a change of load between them shows in the ratio: compare ratios from an idle machine only.`,
    "Sampling: engine with its Sampler (temperature 1, top-p 1, weights whose EOS logit is pushed down so every row runs to 64 tokens); PyTorch with a per-layer K/V cache, prefill then one token per pass, multinomial over the softmax, exactly 64 tokens per row.",
  );
  return { name: "peer (PyTorch CPU)", conditions, figures, notes };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  try {
    const at = process.argv.indexOf("--engine-child");
    if (at >= 0) await engineChild(Number(process.argv[at + 1]));
    else {
      const report = await benchPeer();
      for (const f of report.figures) console.log(`${f.name}: ${f.value.toPrecision(4)} ${f.unit}`);
      for (const n of report.notes) console.log(n);
      console.log(`BENCH_RESULT ${JSON.stringify(report)}`);
    }
  } catch (err) {
    console.error(`bench/peer.ts: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(1);
  }
}

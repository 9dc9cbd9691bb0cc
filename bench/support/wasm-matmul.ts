/**
 * How fast can a WebAssembly matmul be on this CPU? One thread each, the same shapes:
 * jax-js's SIMD matmul (the engine) with and without fused multiply-add, and XNNPACK, the
 * hand-tuned wasm SIMD kernels behind TensorFlow.js's wasm backend (`@tensorflow/tfjs-backend-wasm`,
 * a devDependency used only here). If XNNPACK ran far ahead, a better kernel source would be the
 * engine's lever; if they run alike, the gap to native BLAS is WebAssembly's 128-bit SIMD
 * (docs/performance.md#pytorch-peer). For scale, the same shapes in PyTorch on one thread (its BLAS,
 * OpenBLAS on Debian with libopenblas0-pthread), where the peer's python3 with torch exists.
 *
 *   node --import tsx bench/support/wasm-matmul.ts            # prints a table and WASM_MATMUL <json>
 *
 * Each figure is the best of 7 calls of GFLOP per CPU second of this process (one thread, so CPU
 * time is the kernel's own time even on a shared machine); jax-js runs in child processes because
 * its arithmetic (FMA or not) is fixed per process.
 */
import { execFileSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { PEER_SKIP, torchPython } from "../peer.js";

const here = dirname(fileURLToPath(import.meta.url));
/** [M, K, N]: square sizes, then the reference model's training-step and decoding shapes. */
const SHAPES: [number, number, number][] = [
  [1024, 1024, 1024],
  [256, 256, 256],
  [3072, 128, 512],
  [3072, 512, 128],
  [64, 128, 512],
];
const REPS = 7;

type Rates = Record<string, number>;
const key = ([m, k, n]: [number, number, number]) => `${m}×${k} · ${k}×${n}`;

async function bestCpuSeconds(run: () => Promise<void>): Promise<number> {
  await run();
  await run(); // compile and warm caches
  let best = Infinity;
  for (let i = 0; i < REPS; i++) {
    const t0 = process.cpuUsage();
    await run();
    const u = process.cpuUsage(t0);
    best = Math.min(best, (u.user + u.system) / 1e6);
  }
  return best;
}

async function jaxRates(fma: boolean): Promise<Rates> {
  const { initEngine } = await import("../../src/model/engine.js");
  const jx = await initEngine({ threads: 1, fusedMultiplyAdd: fma });
  const { numpy: np, random, jit } = jx;
  const out: Rates = {};
  for (const shape of SHAPES) {
    const [m, k, n] = shape;
    const a = random.normal(random.key(1), [m, k]);
    const b = random.normal(random.key(2), [k, n]);
    const mm = jit((x: typeof a, y: typeof a) => np.matmul(x, y));
    const s = await bestCpuSeconds(async () => {
      const c = mm(a.ref, b.ref);
      await c.blockUntilReady();
      c.dispose();
    });
    out[key(shape)] = (2 * m * k * n) / s / 1e9;
    a.dispose();
    b.dispose();
    mm.dispose();
  }
  return out;
}

async function xnnpackRates(): Promise<Rates> {
  const tf = await import("@tensorflow/tfjs-core");
  const wasm = await import("@tensorflow/tfjs-backend-wasm");
  const dist = join(dirname(fileURLToPath(import.meta.resolve("@tensorflow/tfjs-backend-wasm"))), "/");
  wasm.setWasmPaths(dist.endsWith("dist/") ? dist : join(dist, "dist/"));
  await tf.setBackend("wasm");
  await tf.ready();
  const out: Rates = {};
  for (const shape of SHAPES) {
    const [m, k, n] = shape;
    const a = tf.randomNormal([m, k]);
    const b = tf.randomNormal([k, n]);
    const s = await bestCpuSeconds(async () => {
      const c = tf.matMul(a, b);
      await c.data();
      c.dispose();
    });
    out[key(shape)] = (2 * m * k * n) / s / 1e9;
    a.dispose();
    b.dispose();
  }
  return out;
}

/** The same shapes in PyTorch on one thread, CPU time, best of REPS after 2 warm-ups. */
function torchRates(python: string): Rates {
  const script = `
import json, sys, time, torch
torch.set_num_threads(1)
out = {}
for key, (m, k, n) in json.loads(sys.argv[1]):
    a, b = torch.randn(m, k), torch.randn(k, n)
    a @ b; a @ b
    best = float("inf")
    for _ in range(${REPS}):
        t = time.process_time(); a @ b; best = min(best, time.process_time() - t)
    out[key] = 2 * m * k * n / best / 1e9
print("RATES " + json.dumps(out))
`;
  const stdout = execFileSync(python, ["-c", script, JSON.stringify(SHAPES.map((s) => [key(s), s]))], {
    encoding: "utf8",
    env: { ...process.env, OMP_NUM_THREADS: "1", OPENBLAS_NUM_THREADS: "1" },
  });
  const line = stdout.split("\n").find((l) => l.startsWith("RATES "));
  if (!line) throw new Error(`${python}: the PyTorch matmul script printed no RATES line`);
  return JSON.parse(line.slice(6)) as Rates;
}

function child(which: string): Rates {
  const stdout = execFileSync(
    process.execPath,
    ["--import", "tsx", join(here, "wasm-matmul.ts"), "--child", which],
    {
      encoding: "utf8",
    },
  );
  const line = stdout.split("\n").find((l) => l.startsWith("RATES "));
  if (!line) throw new Error(`wasm-matmul child ${which} printed no RATES line`);
  return JSON.parse(line.slice(6)) as Rates;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) {
  const at = process.argv.indexOf("--child");
  if (at >= 0) {
    const which = process.argv[at + 1];
    const rates = which === "xnnpack" ? await xnnpackRates() : await jaxRates(which === "jax-fma");
    console.log(`RATES ${JSON.stringify(rates)}`);
    process.exit(0);
  }
  const results: Record<string, Rates> = {};
  for (const c of ["jax-fma", "jax-nofma", "xnnpack"]) results[c] = child(c);
  const python = torchPython();
  if (python) results.torch = torchRates(python);
  else console.log(PEER_SKIP);
  const columns = Object.keys(results);
  const titles: Record<string, string> = {
    "jax-fma": "jax-js, FMA",
    "jax-nofma": "jax-js, no FMA",
    xnnpack: "XNNPACK (tfjs wasm)",
    torch: "PyTorch (native BLAS)",
  };
  console.log(`| matmul (one thread) | ${columns.map((c) => titles[c]).join(" | ")} |`);
  console.log(`|---|${columns.map(() => "---").join("|")}|`);
  for (const shape of SHAPES) {
    const k = key(shape);
    console.log(`| ${k} | ${columns.map((c) => results[c][k].toFixed(1)).join(" | ")} |`);
  }
  console.log("GFLOP per CPU second, best of 7 calls after 2 warm-ups.");
  console.log(`WASM_MATMUL ${JSON.stringify(results)}`);
}

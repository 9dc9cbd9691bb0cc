import { availableParallelism } from "node:os";
import { setFlagsFromString } from "node:v8";
import {
  DEFAULT_INLINE_BELOW_MICROS,
  DEFAULT_SPIN_POLLS,
  installWorkerAdapter,
  workerThreads,
} from "./worker-adapter.js";

export { DEFAULT_INLINE_BELOW_MICROS, DEFAULT_SPIN_POLLS } from "./worker-adapter.js";

/**
 * Engine setup for @jax-js/jax in Node.
 *
 * jax-js runs its wasm kernels on a pool of Web Workers (one chunk of every kernel per worker) and
 * creates that pool when the module is first imported. Node has no global `Worker`, so without help
 * jax-js silently runs on one thread. `initEngine` installs a Web `Worker` adapter over
 * node:worker_threads (worker-adapter.ts), sets `navigator.hardwareConcurrency` (the pool size
 * jax-js reads), and only then imports jax-js dynamically and calls `init("wasm")`.
 *
 * How the pool runs (measured choices, see docs/engine.md#threads):
 * - Pool slot 0 runs inline on the main thread (in a microtask): the main thread would otherwise
 *   sit idle while the workers compute.
 * - The other slots are worker threads driven through a shared-memory control block (kernel
 *   launches by module id and pointers; each side spins on it briefly before a futex sleep)
 *   instead of postMessage, which cost ~150 µs per launch on a busy machine.
 * - A kernel whose main-thread chunk takes under `inlineBelowMicros` runs whole on the main
 *   thread: handing it to a thread costs more than it saves.
 * Which thread computes which rows does not change any result: every output element is computed
 * by the same code either way (test/model/threads.test.ts compares 1 and 2 threads bit for bit).
 */

export type Jax = typeof import("@jax-js/jax");

export interface EngineOptions {
  /** Cores to use (jax-js pool size). Default: os.availableParallelism(). */
  threads?: number;
  /** Run pool slot 0 on the main thread (default true). False: every slot is a worker thread. */
  inlineMain?: boolean;
  /**
   * Kernels whose main-thread chunk took less than this many microseconds (moving average) run
   * entirely on the main thread (default `DEFAULT_INLINE_BELOW_MICROS`; 0 always splits across
   * threads).
   */
  inlineBelowMicros?: number;
  /**
   * Polls of the shared control block before a thread sleeps on a futex, on both sides of a kernel
   * hand-off (default `DEFAULT_SPIN_POLLS`).
   */
  spinPolls?: number;
  /**
   * Let jax-js's SIMD matmuls use WebAssembly's relaxed fused multiply-add (default true): matmuls
   * about 14% faster, a one-thread training step 4–14% (docs/performance.md#pytorch-peer). Node 20 ships
   * relaxed SIMD behind a V8 flag, which this sets before jax-js is imported. A fused
   * multiply-add rounds once where mul + add round twice, so results differ from `false` in the
   * last bits, and (relaxed semantics) may differ on a CPU without FMA; 1 and 2 threads still
   * agree bit for bit.
   */
  fusedMultiplyAdd?: boolean;
}

export interface EngineInfo {
  threads: number;
  inlineMain: boolean;
  workerThreads: number;
  /** Whether the wasm runtime accepts relaxed fused multiply-add (so jax-js's matmuls use it). */
  fusedMultiplyAdd: boolean;
}

/** A wasm module whose one function is f32x4.relaxed_madd: valid iff the runtime has relaxed SIMD. */
const RELAXED_MADD_PROBE = "0061736d0100000001080160037b7b7b017b030201000a0d010b00200020012002fd85020b";

/** Whether this process's wasm runtime accepts relaxed SIMD's fused multiply-add. */
export function relaxedMaddAvailable(): boolean {
  return WebAssembly.validate(Buffer.from(RELAXED_MADD_PROBE, "hex"));
}

let jaxModule: Jax | null = null;
let pending: Promise<Jax> | null = null;
let info: EngineInfo | null = null;

/** The jax-js module; throws when `initEngine()` has not completed. */
export function jax(): Jax {
  if (!jaxModule) throw new Error("the tensor engine is not initialized: await initEngine() first");
  return jaxModule;
}

/** Settings the engine was started with (null before `initEngine`). */
export function engineInfo(): EngineInfo | null {
  return info ? { ...info, workerThreads: workerThreads() } : null;
}

/**
 * Starts jax-js on the wasm backend with `threads` cores. Idempotent: later calls return the same
 * module (their options are ignored, because the worker pool is fixed when jax-js is imported).
 */
export function initEngine(options: EngineOptions = {}): Promise<Jax> {
  // A NaN here would never compare true: a spin that never sleeps, a split rule that never applies.
  for (const key of ["threads", "inlineBelowMicros", "spinPolls"] as const) {
    const value = options[key];
    if (value !== undefined && !(Number.isFinite(value) && value >= 0))
      return Promise.reject(
        new RangeError(`engine option ${key} must be a finite number >= 0, got ${value}`),
      );
  }
  if (pending) return pending;
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const inlineMain = options.inlineMain ?? true;
  const fusedMultiplyAdd = options.fusedMultiplyAdd ?? true;
  const handOff = {
    inlineBelowMicros: options.inlineBelowMicros ?? DEFAULT_INLINE_BELOW_MICROS,
    spinPolls: Math.floor(options.spinPolls ?? DEFAULT_SPIN_POLLS),
  };
  pending = (async () => {
    // jax-js probes the runtime once, at its first kernel, and caches the answer; V8 flags are
    // process-wide, so worker threads started later compile the same instructions.
    setFlagsFromString(
      fusedMultiplyAdd ? "--experimental-wasm-relaxed-simd" : "--no-experimental-wasm-relaxed-simd",
    );
    installWorkerAdapter(threads, inlineMain, handOff);
    const mod = await import("@jax-js/jax");
    await mod.init("wasm");
    mod.defaultDevice("wasm");
    jaxModule = mod;
    info = { threads, inlineMain, workerThreads: 0, fusedMultiplyAdd: relaxedMaddAvailable() };
    return mod;
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

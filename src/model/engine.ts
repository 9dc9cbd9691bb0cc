import { resolveObjectURL } from "node:buffer";
import { availableParallelism } from "node:os";
import { Worker as NodeWorker } from "node:worker_threads";

/**
 * Engine setup for @jax-js/jax in Node.
 *
 * jax-js runs its wasm kernels on a pool of Web Workers (one chunk of every kernel per worker) and
 * creates that pool when the module is first imported. Node has no global `Worker`, so without help
 * jax-js silently runs on one thread. `initEngine` installs a Web `Worker` adapter over
 * node:worker_threads, sets `navigator.hardwareConcurrency` (the pool size jax-js reads), and only then
 * imports jax-js dynamically and calls `init("wasm")`.
 *
 * Pool slot 0 runs inline on the main thread (in a microtask), the other slots on real threads.
 * The main thread would otherwise sit idle while the workers compute, and kernels too small to split
 * (most of the kernels of a decoding step) then run with no thread round trip at all; this is what
 * makes KV-cache decoding fast (engine-notes: "decoding is dispatch-bound").
 */

export type Jax = typeof import("@jax-js/jax");

export interface EngineOptions {
  /** Cores to use (jax-js pool size). Default: os.availableParallelism(). */
  threads?: number;
  /** Run pool slot 0 on the main thread (default true). False: every slot is a worker thread. */
  inlineMain?: boolean;
}

export interface EngineInfo {
  threads: number;
  inlineMain: boolean;
  workerThreads: number;
}

let jaxModule: Jax | null = null;
let pending: Promise<Jax> | null = null;
let info: EngineInfo | null = null;
let installOptions: { inlineMain: boolean; inlineCreated: boolean } = {
  inlineMain: true,
  inlineCreated: false,
};
let workerThreadCount = 0;

/** The jax-js module; throws when `initEngine()` has not completed. */
export function jax(): Jax {
  if (!jaxModule) throw new Error("the tensor engine is not initialized: await initEngine() first");
  return jaxModule;
}

/** Settings the engine was started with (null before `initEngine`). */
export function engineInfo(): EngineInfo | null {
  return info ? { ...info, workerThreads: workerThreadCount } : null;
}

/**
 * Starts jax-js on the wasm backend with `threads` cores. Idempotent: later calls return the same
 * module (their options are ignored, because the worker pool is fixed when jax-js is imported).
 */
export function initEngine(options: EngineOptions = {}): Promise<Jax> {
  if (pending) return pending;
  const threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
  const inlineMain = options.inlineMain ?? true;
  pending = (async () => {
    installWorkerAdapter(threads, inlineMain);
    const mod = await import("@jax-js/jax");
    await mod.init("wasm");
    mod.defaultDevice("wasm");
    jaxModule = mod;
    info = { threads, inlineMain, workerThreads: 0 };
    return mod;
  })();
  pending.catch(() => {
    pending = null;
  });
  return pending;
}

function installWorkerAdapter(threads: number, inlineMain: boolean): void {
  const g = globalThis as unknown as Record<string, unknown>;
  const nav = (g.navigator ?? {}) as Record<string, unknown>;
  try {
    Object.defineProperty(nav, "hardwareConcurrency", { value: threads, configurable: true });
  } catch {
    // navigator is frozen in some runtimes; jax-js then falls back to its default pool size.
  }
  if (!g.navigator) Object.defineProperty(g, "navigator", { value: nav, configurable: true, writable: true });
  installOptions = { inlineMain: inlineMain && threads > 1, inlineCreated: false };
  // One thread: no pool at all, so jax-js runs every kernel synchronously on the main thread.
  if (threads === 1) return;
  g.Worker = WebWorkerAdapter;
}

type MessageHandler = ((event: { data: unknown }) => void) | null;
type ErrorHandler = ((event: { message: string; error?: unknown }) => void) | null;

/** Bootstrap of a worker thread: receives the Web Worker source first, then forwards messages to it. */
const WORKER_BOOTSTRAP = `
const { parentPort } = require("node:worker_threads");
globalThis.self = globalThis;
globalThis.postMessage = (data) => parentPort.postMessage(data);
parentPort.once("message", (source) => {
  (0, eval)(source);
  parentPort.on("message", (data) => globalThis.onmessage({ data }));
});
`;

/** The subset of the Web `Worker` interface that jax-js uses, over node:worker_threads. */
class WebWorkerAdapter {
  onmessage: MessageHandler = null;
  onerror: ErrorHandler = null;
  private readonly impl: InlineWorker | ThreadWorker;

  constructor(url: string | URL) {
    const blob = resolveObjectURL(String(url));
    if (!blob) throw new Error(`cannot resolve worker script ${String(url)}`);
    const source = blob.text();
    const deliver = (data: unknown) => this.onmessage?.({ data });
    const fail = (err: unknown) =>
      this.onerror?.({ message: err instanceof Error ? err.message : String(err), error: err });
    if (installOptions.inlineMain && !installOptions.inlineCreated) {
      installOptions.inlineCreated = true;
      this.impl = new InlineWorker(source, deliver, fail);
    } else {
      workerThreadCount++;
      this.impl = new ThreadWorker(source, deliver, fail);
    }
  }

  postMessage(data: unknown): void {
    this.impl.post(data);
  }

  terminate(): void {
    this.impl.terminate();
  }
}

/** A pool slot on a real thread. Holds a ref on the event loop only while a reply is outstanding. */
class ThreadWorker {
  private readonly worker: NodeWorker;
  private queue: unknown[] | null = [];
  private outstanding = 0;

  constructor(source: Promise<string>, deliver: (data: unknown) => void, fail: (err: unknown) => void) {
    this.worker = new NodeWorker(WORKER_BOOTSTRAP, { eval: true });
    this.worker.unref();
    this.worker.on("message", (data) => {
      if (--this.outstanding === 0) this.worker.unref();
      deliver(data);
    });
    this.worker.on("error", fail);
    source.then(
      (text) => {
        this.worker.postMessage(text);
        for (const data of this.queue ?? []) this.worker.postMessage(data);
        this.queue = null;
      },
      (err) => fail(err),
    );
  }

  post(data: unknown): void {
    // Every jax-js message expects exactly one reply ("ready" or "done").
    if (this.outstanding++ === 0) this.worker.ref();
    if (this.queue) this.queue.push(data);
    else this.worker.postMessage(data);
  }

  terminate(): void {
    void this.worker.terminate();
  }
}

/** A pool slot on the main thread: runs the worker source in a private scope, one microtask per message. */
class InlineWorker {
  private handler: MessageHandler = null;
  private ready: Promise<void>;

  constructor(source: Promise<string>, deliver: (data: unknown) => void, fail: (err: unknown) => void) {
    const scope = {
      set onmessage(h: MessageHandler) {
        inline.handler = h;
      },
      get onmessage(): MessageHandler {
        return inline.handler;
      },
    };
    const inline = this;
    this.ready = source.then(
      (text) => {
        // The worker source assigns `self.onmessage` and calls `postMessage`; give it both.
        new Function("self", "postMessage", text)(scope, (data: unknown) => deliver(data));
        this.ready = Promise.resolve();
        this.readySync = true;
      },
      (err) => fail(err),
    );
  }

  private readySync = false;

  post(data: unknown): void {
    const run = () => this.handler?.({ data });
    if (this.readySync) queueMicrotask(run);
    else void this.ready.then(run);
  }

  terminate(): void {
    this.handler = null;
  }
}
